# Python's pty module: pty.fork (glibc's forkpty: /dev/ptmx, grantpt, unlockpt, login_tty's
# setsid and TIOCSCTTY), the child's session and terminal, a resize, echo and the line
# discipline seen from the master, and the EIO that ends the master's reads
python3 - <<'PY' 2>&1
import errno, fcntl, os, pty, struct, sys, termios
pid, fd = pty.fork()
if pid == 0:
    print("isatty", os.isatty(0), os.isatty(1), os.isatty(2))
    print("session leader", os.getsid(0) == os.getpid())
    print("foreground", os.tcgetpgrp(0) == os.getpgrp())
    sys.stdout.flush()
    line = sys.stdin.readline()
    print("got", repr(line))
    sys.stdout.flush()
    os.execvp("sh", ["sh", "-c", "stty size; tty | sed 's/[0-9][0-9]*$/N/'; stty -echo; echo ready; read x; echo \"read $x\""])
out = b""
while b"foreground" not in out:
    out += os.read(fd, 1024)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 33, 99, 0, 0))
os.write(fd, b"hel\x7flo\n")
while b"ready" not in out:
    out += os.read(fd, 1024)
os.write(fd, b"secret\n")
while True:
    try:
        b = os.read(fd, 1024)
    except OSError as e:
        print("master read ends with", errno.errorcode[e.errno])
        break
    if not b:
        print("master read ends with EOF")
        break
    out += b
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode().replace("\r\n", "<CR><LF>\n"))
print("exit", os.waitstatus_to_exitcode(st))
PY
echo "python: $?"
echo "== end"
