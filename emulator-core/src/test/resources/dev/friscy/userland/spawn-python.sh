# Python's subprocess (list, shell=True, absolute path), os.system and os.popen; multiprocessing
# with fork, threading, json, hashlib
python3 - <<'PY' 2>&1
import os, subprocess, sys
print(subprocess.run(["echo", "list"], capture_output=True, text=True).stdout, end="")
print(subprocess.run("echo shell $((6*7))", shell=True, capture_output=True, text=True).stdout, end="")
print("absolute", subprocess.run(["/bin/sh", "-c", "exit 4"]).returncode)
print("system", os.waitstatus_to_exitcode(os.system("exit 3")))
with os.popen("echo popen; echo two") as f:
    print(f.read(), end="")
p = subprocess.Popen(["tr", "a-z", "A-Z"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
print(p.communicate(b"through a pipe\n")[0].decode(), end="")
print("spawned", sum(subprocess.call(["true"]) == 0 for _ in range(30)))
# a program that does not exist: 127 from the shell (python's own failing exec is not compared:
# qemu-user's fake vfork loses its error)
print("missing", subprocess.run("./no-such-program 2>/dev/null", shell=True).returncode)
sys.stdout.flush()
pid = os.posix_spawnp("sh", ["sh", "-c", "exit 6"], os.environ)
print("posix_spawnp", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
# multiprocessing with fork (a pool, a queue), threads, json and hashlib
import hashlib, json, multiprocessing, threading
def square(x):
    return x * x
ctx = multiprocessing.get_context("fork")
with ctx.Pool(2) as pool:
    print("pool", pool.map(square, range(8)))
q = ctx.Queue()
p = ctx.Process(target=q.put, args=("from a child process",))
p.start(); print(q.get()); p.join(); print("child exit", p.exitcode)
results = []
lock = threading.Lock()
def work(n):
    h = hashlib.sha256(str(n).encode()).hexdigest()[:12]
    with lock:
        results.append((n, h))
threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print("threads", sorted(results))
print(json.dumps({"b": [1, 2.5, None], "a": "\u00e9"}, sort_keys=True), json.loads('{"x": [1, {"y": true}]}'))
PY
echo "python: $?"
echo "== end"
