#!/usr/bin/env bash
# The browser benchmarks, translator on and off in turn: guest/bench/cpubench (checksum checked
# against qemu-riscv64-static), busybox sh's 100k while loop, node -e under dash (and, if asked for,
# "hello": a busybox shell's start-up, one command substitution and exit). Each run is a
# fresh headless Chromium; times are the page's own clock from boot to the guest's exit, and the
# CPU time of the Worker's thread (boot included), which a busy machine disturbs much less, and how
# long that thread waited for a core (worker_wait_ms: on 2 cores, V8 compiling regions competes). "bc"
# runs busybox bc -l on guest/bench/bcmix.bc (its output's MD5 checked against qemu-riscv64-static's);
# "py" the site's python3 on guest/bench/pystart.py, Python start-ups, and "pylib" on
# guest/bench/pystdlib.py, PythonTest's standard-library script (outputs checked the same way).
#   scripts/browser-bench/run.sh [REPEATS=3] [KINDS="cpu sh node"]
# env: JITLOG=1 prints the Worker's translator statistics line per run (stderr);
#      THREADS=1 prints the browser's busiest threads by name and CPU time per run (stderr);
#      CPUBENCH_SRC=file.c CPUBENCH_CFLAGS=... build another cpubench (e.g. one phase of it);
#      MODES="1" runs the translator only ("0": the interpreter only; default "1 0");
#      THRESHOLD=N passes jitThreshold N to the translated runs (default: the page's default);
#      TUNE=name=value,... passes jitTune, the translator's policy knobs (WorkerMain.friscy_jit_tune);
#      CHROMELOG=file appends each run's browser log (the page's and the Worker's console) to file;
#      CHROME_FLAGS="..." more Chromium flags (e.g. --js-flags=--prof, which writes v8 logs in the cwd);
#      ROUNDS=N cpubench rounds (10); CHROMIUM=path (/usr/bin/chromium); SITE=dir (web/target/site).
# Needs the built site (mvn -q package -DskipTests), riscv64-linux-gnu-gcc, qemu-riscv64-static, python3.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
REPEATS=${1:-3}
KINDS=${2:-"cpu sh node"}
ROUNDS=${ROUNDS:-10}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
SITE=${SITE:-$ROOT/web/target/site}
[ -f "$SITE/friscy.js" ] || { echo "no site at $SITE: build it with mvn -q package -DskipTests" >&2; exit 1; }

WORK=$(mktemp -d)
SPID=""
cleanup() {
    [ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
cp "$HERE/bench.html" "$WORK/"
if [[ " $KINDS " == *" cpu "* ]]; then
    # shellcheck disable=SC2086
    riscv64-linux-gnu-gcc -static -O2 ${CPUBENCH_CFLAGS:-} -o "$WORK/cpubench" "${CPUBENCH_SRC:-$ROOT/guest/bench/cpubench.c}"
    EXPECT=$(qemu-riscv64-static "$WORK/cpubench" "$ROUNDS")
    (cd "$WORK" && tar --owner=0 --group=0 --format=ustar -cf cpubench.tar cpubench)
fi
if [[ " $KINDS " == *" bc "* ]]; then
    cp "$ROOT/guest/bench/bcmix.bc" "$WORK/"
    tar -xzf "$SITE/images/busybox.tar.gz" -C "$WORK" usr/bin/busybox
    EXPECT_BC="$(qemu-riscv64-static "$WORK/usr/bin/busybox" bc -l "$WORK/bcmix.bc" | md5sum)"
fi
if [[ " $KINDS " == *" py "* || " $KINDS " == *" pylib "* ]]; then
    cp "$ROOT/guest/bench/pystart.py" "$ROOT/guest/bench/pystdlib.py" "$WORK/"
    mkdir "$WORK/py"
    tar -xzf "$SITE/images/python.tar.gz" -C "$WORK/py"
    # the reference runs in $WORK/py's parent, as the page's python3 runs in /
    if [[ " $KINDS " == *" py "* ]]; then
        EXPECT_PY="$(cd "$WORK" && PYSTART_LAUNCHER="qemu-riscv64-static -L $WORK/py" qemu-riscv64-static -L "$WORK/py" "$WORK/py/usr/bin/python3" -c "$(cat "$WORK/pystart.py")")"
    fi
    if [[ " $KINDS " == *" pylib "* ]]; then
        EXPECT_PYLIB="$(cd "$WORK" && qemu-riscv64-static -L "$WORK/py" "$WORK/py/usr/bin/python3" -c "$(cat "$WORK/pystdlib.py")")"
    fi
fi
PORT=$((20000 + RANDOM % 20000))
python3 "$HERE/serve.py" "$PORT" "$SITE" "$WORK" "$WORK/results" & SPID=$!
sleep 0.5

tree_cpu_ms() { # pid -> user+system CPU ms of it and all its descendants, then "worker_cpu_ms": its Workers' threads
    python3 - "$1" <<'PY'
import os, sys
kids, cpu = {}, {}
for d in os.listdir('/proc'):
    if d.isdigit():
        try:
            f = open(f'/proc/{d}/stat').read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        kids.setdefault(int(f[1]), []).append(int(d))
        cpu[int(d)] = int(f[11]) + int(f[12])
todo, total, worker, wait, threads = [int(sys.argv[1])], 0, 0, 0, {}
while todo:
    p = todo.pop()
    total += cpu.get(p, 0)
    todo += kids.get(p, [])
    try:
        for t in os.listdir(f'/proc/{p}/task'):
            name = open(f'/proc/{p}/task/{t}/comm').read().strip()
            f = open(f'/proc/{p}/task/{t}/stat').read().rsplit(')', 1)[1].split()
            threads[name] = threads.get(name, 0) + int(f[11]) + int(f[12])
            if name.startswith('DedicatedWorker'):
                worker += int(f[11]) + int(f[12])
                try:
                    # ns on a core, ns waiting on the run queue for one, time slices
                    wait += int(open(f'/proc/{p}/task/{t}/schedstat').read().split()[1])
                except (OSError, IndexError, ValueError):
                    pass
    except OSError:
        pass
tck = os.sysconf('SC_CLK_TCK')
if os.environ.get('THREADS'):
    top = sorted(threads.items(), key=lambda kv: -kv[1])[:8]
    print('threads (CPU ms): ' + ', '.join(f'{n} {c * 1000 // tck}' for n, c in top), file=sys.stderr)
print(f'{total * 1000 // tck},"worker_cpu_ms":{worker * 1000 // tck},"worker_wait_ms":{wait // 1000000}')
PY
}

one() { # kind jit -> one JSON line
    local prof="$WORK/profile" query="kind=$1&jit=$2&rounds=$ROUNDS"
    [ "$2" = 1 ] && [ -n "${THRESHOLD:-}" ] && query="$query&threshold=$THRESHOLD"
    [ "$2" = 1 ] && [ -n "${TUNE:-}" ] && query="$query&tune=$TUNE"
    rm -rf "$prof"
    mkdir "$prof"
    : > "$WORK/results"
    timeout 900 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --no-first-run --disable-quic \
        --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$prof" \
        --enable-logging=stderr --v=0 ${CHROME_FLAGS:-} "http://127.0.0.1:$PORT/bench/bench.html?$query" >/dev/null 2>"$WORK/chrome.log" & local cpid=$!
    for _ in $(seq 1 9000); do [ -s "$WORK/results" ] && break; sleep 0.1; done
    # CPU time of the whole browser (every process) and of the Worker's thread: steadier figures
    # than wall time on a busy machine
    local cpu
    cpu=$(tree_cpu_ms "$cpid")
    kill "$cpid" 2>/dev/null || true
    wait "$cpid" 2>/dev/null || true
    [ -n "${JITLOG:-}" ] && grep -ao "friscy: regions.*" "$WORK/chrome.log" | head -1 >&2 || true
    [ -n "${CHROMELOG:-}" ] && cat "$WORK/chrome.log" >> "$CHROMELOG" || true
    if [ -s "$WORK/results" ]; then sed "s/}\$/,\"cpu_ms\":$cpu}/" "$WORK/results"; else echo "{\"kind\":\"$1\",\"error\":\"no result\"}"; fi
}

echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, $("$CHROMIUM" --version 2>/dev/null | head -1)"
[ -n "${EXPECT:-}" ] && echo "# qemu-riscv64-static cpubench $ROUNDS: $EXPECT"
[ -n "${EXPECT_BC:-}" ] && echo "# qemu-riscv64-static bc: $EXPECT_BC"
[ -n "${EXPECT_PY:-}" ] && echo "# qemu-riscv64-static py: $(echo "$EXPECT_PY" | tr '\n' ' ')"
[ -n "${EXPECT_PYLIB:-}" ] && echo "# qemu-riscv64-static pylib: $EXPECT_PYLIB"
for kind in $KINDS; do
    for i in $(seq 1 "$REPEATS"); do
        for mode in ${MODES:-1 0}; do
            one "$kind" "$mode" | tee -a "$WORK/all"
        done
    done
done
echo "# load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK/all" "${EXPECT:-}" "${EXPECT_BC:-}" "${EXPECT_PY:-}" "${EXPECT_PYLIB:-}" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
expects = {'cpu': sys.argv[2].strip(), 'bc': sys.argv[3].strip(), 'py': sys.argv[4].strip(), 'pylib': sys.argv[5].strip()}
for kind in dict.fromkeys(r['kind'] for r in rows):
    on = [r['run_ms'] for r in rows if r['kind'] == kind and r.get('jit') and 'run_ms' in r]
    off = [r['run_ms'] for r in rows if r['kind'] == kind and r.get('jit') is False and 'run_ms' in r]
    expect = expects.get(kind)
    bad = [r for r in rows if r['kind'] == kind and (r.get('status') != 0 or 'error' in r
           or (expect and r.get('out') != expect))]
    won = [r['worker_cpu_ms'] for r in rows if r['kind'] == kind and r.get('jit') and 'worker_cpu_ms' in r]
    woff = [r['worker_cpu_ms'] for r in rows if r['kind'] == kind and r.get('jit') is False and 'worker_cpu_ms' in r]
    if on and off:
        print(f"{kind}: translator on median {statistics.median(on)} ms, off {statistics.median(off)} ms, "
              f"on/off {statistics.median(on) / statistics.median(off):.2f}  (runs {on} vs {off})"
              + (f"; {len(bad)} runs FAILED" if bad else ""))
        if won and woff:
            print(f"{kind}: Worker thread CPU on median {statistics.median(won)} ms, off {statistics.median(woff)} ms, "
                  f"on/off {statistics.median(won) / statistics.median(woff):.2f}  (runs {won} vs {woff})")
    elif on or off:
        print(f"{kind}: {'on' if on else 'off'} median {statistics.median(on or off)} ms (runs {on or off})"
              + (f"; {len(bad)} runs FAILED" if bad else ""))
    else:
        print(f"{kind}: no complete run; {len(bad)} runs failed")
PY
