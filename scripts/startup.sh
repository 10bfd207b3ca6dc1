#!/usr/bin/env bash
# Start-up figures: wall time of one short program in an image, friscy (./friscy run, which
# reads only the tar's headers and uses the build's class-data-sharing archive) against
# qemu-riscv64-static on the same tree extracted to /dev/shm. Prints each run and the medians.
#   scripts/startup.sh [-n RUNS] IMAGE.tar PROGRAM [ARGS...]
#   e.g. scripts/startup.sh -n 5 ~/.cache/friscy/images/programs-*.tar /bin/true
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=5
if [ "${1:-}" = -n ]; then RUNS=$2; shift 2; fi
[ $# -ge 2 ] || { sed -n '2,6p' "$0" >&2; exit 2; }
IMAGE=$(realpath "$1"); shift
QEMU=${QEMU:-qemu-riscv64-static}

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

"$ROOT/friscy" run --image "$IMAGE" -- "$@" >/dev/null # builds the jar if needed, warms the disk cache
REF=$(mktemp -d /dev/shm/friscy-startup-XXXXXX)
trap 'rm -rf "$REF"' EXIT
tar -xf "$IMAGE" -C "$REF"
PROG=$1; shift
"$QEMU" -L "$REF" -0 "$PROG" "$REF$PROG" "$@" >/dev/null || true

F=(); Q=()
for i in $(seq "$RUNS"); do
    t=$(date +%s%N); "$ROOT/friscy" run --image "$IMAGE" -- "$PROG" "$@" >/dev/null; F+=("$(ms "$t")")
    t=$(date +%s%N); "$QEMU" -L "$REF" -0 "$PROG" "$REF$PROG" "$@" >/dev/null; Q+=("$(ms "$t")")
done
echo "friscy ms: ${F[*]}"
echo "qemu   ms: ${Q[*]}"
printf 'median: friscy %s ms, qemu %s ms (%s runs each, load %s)\n' "$(printf '%s\n' "${F[@]}" | median)" \
    "$(printf '%s\n' "${Q[@]}" | median)" "$RUNS" "$(cut -d' ' -f1-3 /proc/loadavg)"
