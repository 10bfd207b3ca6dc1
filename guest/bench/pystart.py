# The browser benchmark's "py" case (scripts/browser-bench): Python start-ups, this one and three
# children's through subprocess (glibc's clone3 path), then a short loop in the interpreter.
# PYSTART_LAUNCHER runs the children through a launcher: run.sh's reference run under
# qemu-riscv64-static, which cannot exec a riscv64 binary itself.
import json, os, re, subprocess, sys

launcher = os.environ.get('PYSTART_LAUNCHER', '').split()
for i in range(3):
    subprocess.run(launcher + [sys.executable, '-c', 'import json, re; print(json.dumps(re.findall(r"[0-9]+", "a1b22c")))'])
print(sum(x * x for x in range(300000)))
