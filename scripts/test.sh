#!/usr/bin/env bash
# Installs what the tests need (when missing) and runs every test suite.
# This is the README's test command; CI runs it through .ci/run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

need=()
command -v riscv64-linux-gnu-gcc >/dev/null || need+=(gcc-riscv64-linux-gnu libc6-dev-riscv64-cross)
[ -x /usr/bin/qemu-riscv64-static ] || need+=(qemu-user-static)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v make >/dev/null || need+=(make)
if [ ${#need[@]} -gt 0 ]; then
    echo "test.sh: installing ${need[*]}"
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
mvn -B -ntp verify "$@"
