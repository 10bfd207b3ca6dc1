#!/usr/bin/env bash
# Coverage-guided fuzzing on demand (Jazzer). `mvn verify` only replays the seeds in
# emulator-core/src/test/resources/**/*FuzzTestInputs; this fuzzes each target in turn for its
# @FuzzTest maxDuration (10 minutes), ROUNDS times (default 1), so one round is one hour.
# The corpus grows in emulator-core/.cifuzz-corpus (kept between runs); a crash is written
# as a new seed under src/test/resources and fails the run, so `mvn verify` replays it from then on.
#   scripts/fuzz.sh            one round of all targets
#   scripts/fuzz.sh 3          three rounds
#   TARGETS="dev.friscy.fs.TarFuzzTest" scripts/fuzz.sh
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ROUNDS="${1:-1}"
TARGETS="${TARGETS:-dev.friscy.fs.TarFuzzTest#importArbitraryTar dev.friscy.image.ArchiveFuzzTest#layerTar
dev.friscy.image.ArchiveFuzzTest#json dev.friscy.image.ArchiveFuzzTest#ociManifests
dev.friscy.kernel.ElfFuzzTest#loadArbitraryElf dev.friscy.kernel.WorkerMessagesFuzzTest#bootThenMessages
dev.friscy.preview.PreviewFuzzTest#guestResponse}"
LOG_DIR="${LOG_DIR:-emulator-core/target/fuzz-logs}"
mkdir -p "$LOG_DIR"
failed=0
for ((round = 1; round <= ROUNDS; round++)); do
    for t in $TARGETS; do
        log="$LOG_DIR/$(echo "$t" | tr '#.' '__')-round$round.log"
        echo "fuzz: $t (round $round) -> $log"
        if ! JAZZER_FUZZ=1 mvn -B -ntp -o -pl emulator-core test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
            echo "fuzz: $t FOUND A PROBLEM (see $log)"
            failed=1
        fi
        grep -E "^#[0-9]+ +DONE" "$log" | tail -1
    done
done
exit $failed
