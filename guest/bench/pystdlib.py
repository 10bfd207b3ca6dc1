# Debian's python3 through the standard library's process, thread, pipe, signal, socket and
# compression code: e2e-tests' PythonTest runs it in the page (output compared with qemu's) and
# scripts/browser-bench's "pylib" case times it.
import os, sys, subprocess, threading, json, hashlib, zlib, re, signal, select, socket, tempfile, shutil
import multiprocessing
out = []
out.append(subprocess.run(['echo', 'spawned'], capture_output=True, text=True).stdout.strip())
out.append(subprocess.run('echo $((6*7)) | cat', shell=True, capture_output=True, text=True).stdout.strip())
r = []
ts = [threading.Thread(target=lambda i=i: r.append(sum(range(i * 1000)))) for i in range(4)]
[t.start() for t in ts]
[t.join() for t in ts]
out.append(sorted(r))
pid = os.fork()
if pid == 0:
    os._exit(7)
out.append(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
rd, wr = os.pipe()
os.write(wr, b'through a pipe')
os.close(wr)
out.append(select.select([rd], [], [], 5)[0] == [rd])
out.append(os.read(rd, 100).decode())
got = []
signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
os.kill(os.getpid(), signal.SIGUSR1)
out.append(got)
out.append(hashlib.sha256(b'friscy').hexdigest())
out.append(len(zlib.compress(b'friscy' * 10000)))
out.append(json.dumps({'x': [1, 2.5, None], 'y': 'z'}, sort_keys=True))
out.append(re.sub(r'(\d+)', lambda m: str(int(m.group(1)) * 2), 'a1b22c333'))
d = tempfile.mkdtemp()
with open(os.path.join(d, 'f'), 'w') as f:
    f.write('data')
shutil.copy(os.path.join(d, 'f'), os.path.join(d, 'g'))
out.append(sorted(os.listdir(d)))
shutil.rmtree(d)
a, b = socket.socketpair()
a.sendall(b'unix')
out.append(b.recv(10).decode())
srv = socket.socket()
srv.bind(('127.0.0.1', 0))
srv.listen()
c = socket.create_connection(srv.getsockname())
s2, _ = srv.accept()
c.sendall(b'tcp')
out.append(s2.recv(10).decode())
with multiprocessing.Pool(2) as p:
    out.append(p.map(abs, [-1, -2, -3]))
print(out)
