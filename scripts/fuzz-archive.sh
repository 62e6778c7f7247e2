#!/usr/bin/env bash
# Fuzzes the archive reader with libFuzzer (not a test): header and TOC parsing, every data
# block through its codec, the SQL script cbrestore -f would print, and the verifier, on
# custom and tar archives (Sources/ArchiveFuzzHarness). The corpus is seeded from
# Fixtures/archives and Fixtures/fuzz-regressions, copied into a temporary folder.
#
#   scripts/fuzz-archive.sh              # 1800 s
#   scripts/fuzz-archive.sh 600
#   CORPUS=/tmp/my-corpus KEEP=1 scripts/fuzz-archive.sh 3600   # reuse/keep a corpus
#   SANITIZE=fuzzer CONFIG=debug scripts/fuzz-archive.sh 60      # without AddressSanitizer
#
# Crashing inputs land in $ARTIFACTS (default /tmp/archive-fuzz-artifacts); a finding is
# fixed in Sources/, its input kept in Fixtures/fuzz-regressions (FuzzRegressionTests).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TO_RUN=${1:-1800}
SANITIZE=${SANITIZE:-fuzzer,address}
CONFIG=${CONFIG:-release}
ARTIFACTS=${ARTIFACTS:-/tmp/archive-fuzz-artifacts}
MAX_LEN=${MAX_LEN:-262144}      # the biggest seed is ~40 KB
RSS_LIMIT_MB=${RSS_LIMIT_MB:-2048}
TIMEOUT=${TIMEOUT:-10}          # seconds per input; more is a hang
SCRATCH=.build/fuzz             # separate from the ordinary .build/debug

echo "== build archive-fuzz ($CONFIG, -sanitize=$SANITIZE)"
CBDUMP_FUZZ=1 swift build -c "$CONFIG" --scratch-path "$SCRATCH" --product archive-fuzz \
  -Xswiftc "-sanitize=$SANITIZE" 2>&1 | grep -v "Cannot export local symbol" || true
BIN="$SCRATCH/$CONFIG/archive-fuzz"
[ -x "$BIN" ] || { echo "build failed: no $BIN" >&2; exit 1; }

if [ -n "${CORPUS:-}" ]; then
  mkdir -p "$CORPUS"
else
  CORPUS=$(mktemp -d /tmp/archive-fuzz-corpus-XXXXXX)
  [ -n "${KEEP:-}" ] || trap 'rm -rf "$CORPUS"' EXIT
fi
cp Fixtures/archives/*.dump Fixtures/archives/*.tar "$CORPUS"/ 2>/dev/null || true
cp Fixtures/fuzz-regressions/*.dump Fixtures/fuzz-regressions/*.tar "$CORPUS"/ 2>/dev/null || true
mkdir -p "$ARTIFACTS"
SEEDS=$(ls "$CORPUS" | wc -l)
BEFORE=$(ls "$ARTIFACTS" | wc -l)
LOG=$(mktemp /tmp/archive-fuzz-log-XXXXXX)

echo "== fuzz for ${SECONDS_TO_RUN}s: corpus $CORPUS ($SEEDS files), artifacts $ARTIFACTS"
START=$(date +%s)
set +e
SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no} ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=0} \
"$BIN" "$CORPUS" -max_total_time="$SECONDS_TO_RUN" -max_len="$MAX_LEN" -rss_limit_mb="$RSS_LIMIT_MB" \
  -malloc_limit_mb="$RSS_LIMIT_MB" -timeout="$TIMEOUT" -print_final_stats=1 \
  -artifact_prefix="$ARTIFACTS/" 2>&1 | tee "$LOG"
RC=${PIPESTATUS[0]}
set -e
END=$(date +%s)

# (one process: no -jobs, the machine is shared)
if [ -f fuzz-0.log ]; then cat fuzz-0.log >> "$LOG"; rm -f fuzz-0.log; fi
EXECS=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$LOG" | tail -1 | grep -o '[0-9]*$' || true)
RATE=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$LOG" | tail -1 | grep -o '[0-9]*$' || true)
NEW=$(( $(ls "$ARTIFACTS" | wc -l) - BEFORE ))
echo
echo "== archive-fuzz summary"
echo "duration:    $((END - START)) s"
echo "executions:  ${EXECS:-?}"
echo "exec/s:      ${RATE:-?}"
echo "corpus:      $(ls "$CORPUS" | wc -l) files (seeded with $SEEDS)"
echo "findings:    $NEW new file(s) in $ARTIFACTS (fuzzer exit status $RC)"
grep -hE '^(==[0-9]+==ERROR|SUMMARY|Fatal error|.*(deadly signal|ALARM|out-of-memory|malloc\(|Timeout))' "$LOG" | sort | uniq -c || true
rm -f "$LOG"
[ "$NEW" = 0 ]
