package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.Inode;
import dev.friscy.fs.OpenFlags;
import dev.friscy.fs.Stat;
import dev.friscy.mem.IoBuffer;
import dev.friscy.tty.Tty;
import dev.friscy.waiter.WaitQueue;

/**
 * The master end of a pty, what open("/dev/ptmx") gives: reads what the slave's line
 * discipline put out, writes the slave's input, and passes the terminal's settings (termios,
 * window size) through to the slave as Linux does.
 */
public final class PtyMaster extends FileDescription {
    private final Pty pty;
    /** The ptmx node it was opened through (fstat reports it). */
    private final Inode ptmx;
    /** TIOCEXCL on the master: kept and read back (every open of /dev/ptmx makes a new pair anyway). */
    private boolean exclusive;

    PtyMaster(Pty pty, Inode ptmx, int flags) {
        super(flags & ~OpenFlags.O_NOCTTY);
        this.pty = pty;
        this.ptmx = ptmx;
    }

    @Override
    public int read(Task t, IoBuffer dst) {
        byte[] b = new byte[Math.min(dst.chunk(), Pty.ROOM + 1)];
        if (b.length == 0) {
            return 0;
        }
        int n = pty.masterRead(b, 0, b.length);
        dst.copyOut(0, b, 0, n);
        return n;
    }

    @Override
    public int write(Task t, IoBuffer src) {
        return TtyWrite.all(src, flags, pty::masterWrite);
    }

    @Override
    public int poll() {
        return pty.masterPoll();
    }

    @Override
    public WaitQueue waitQueue() {
        return pty.masterWait;
    }

    @Override
    public long ioctl(Task t, int cmd, long arg) {
        switch (cmd) {
            case Tty.TIOCGPTN:
                UserMemory.store32(t, arg, pty.index);
                return 0;
            case Tty.TIOCSPTLCK:
                pty.locked = UserMemory.load32(t, arg) != 0;
                return 0;
            case Tty.TIOCGPTLCK:
                UserMemory.store32(t, arg, pty.locked ? 1 : 0);
                return 0;
            case Tty.TIOCGPTPEER: {
                int fl = (int) arg;
                FileDescription s = t.kernel.ptys.openPeer(t, pty, fl);
                try {
                    return t.files.install(s, 0, (fl & OpenFlags.O_CLOEXEC) != 0);
                } catch (SyscallError e) {
                    s.decRef();
                    throw e;
                }
            }
            case Tty.TIOCPKT: {
                boolean on = UserMemory.load32(t, arg) != 0;
                if (on && !pty.packet) {
                    pty.packetStatus = 0;
                }
                pty.packet = on;
                return 0;
            }
            case Tty.TIOCGPKT:
                UserMemory.store32(t, arg, pty.packet ? 1 : 0);
                return 0;
            case Tty.TIOCSIG: {
                int sig = (int) arg;
                if (sig <= 0 || sig > Signals.NSIG) {
                    throw new SyscallError(Errno.EINVAL);
                }
                pty.slave.signalForeground(sig, false);
                return 0;
            }
            case Tty.FIONREAD:
                UserMemory.store32(t, arg, pty.masterAvailable());
                return 0;
            // the master's own terminal, not the slave's (Linux handles these before real_tty)
            case Tty.TIOCEXCL:
            case Tty.TIOCNXCL:
                exclusive = cmd == Tty.TIOCEXCL;
                return 0;
            case Tty.TIOCGEXCL:
                UserMemory.store32(t, arg, exclusive ? 1 : 0);
                return 0;
            case Tty.TIOCSTI: {
                if (t.cred().euid != 0) {
                    throw new SyscallError(Errno.EPERM); // a master is no one's controlling terminal
                }
                byte[] c = UserMemory.read(t, arg, 1);
                pty.fromSlave(c, 0, 1); // into the master's own input: its next read has it
                return 0;
            }
            case Tty.TIOCOUTQ:
                UserMemory.store32(t, arg, 0);
                return 0;
            case Tty.TCFLSH:
                pty.masterFlush(arg);
                return 0;
            case Tty.TCXONC:
            case Tty.TCSBRK:
                return 0;
            default:
                // termios, window size, process groups: the slave's (Linux's real_tty)
                return pty.slave.ioctl(t, cmd, arg, true);
        }
    }

    @Override
    protected void release() {
        pty.masterReleased();
    }

    @Override
    public void stat(Stat st) {
        ptmx.stat(st);
    }

    @Override
    public String describe() {
        return "/dev/ptmx";
    }

    @Override
    public boolean isTty() {
        return true;
    }
}
