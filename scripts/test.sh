#!/usr/bin/env bash
# The README's test command: installs what is missing (scripts/setup.sh), makes the
# PostgreSQL 14, 16, 17 and 18 binaries of the oracle available (scripts/fetch-pg-binaries.sh),
# then runs the whole suite.
#
# With arguments (other than --pure, below), they go to `swift test` as they are (e.g.
# --filter DumpOracleTests).
# Without, the suite is built once and its test classes run in CBDUMP_TEST_JOBS shards at
# once (default 2): most of a test's time is spent waiting on servers and child processes,
# so two shards finish in little more than half the serial time. Each shard is one XCTest
# process; each class starts its own servers in its own temp folder, so shards share
# nothing. At the end it prints every class's time, slowest first, and the skipped tests.
# With CI set (CI=true), a skipped test fails the run: CI has every oracle major, so a skip
# means an oracle went missing. The exceptions need what CI cannot have: MPPClusterTests
# without CBDUMP_TEST_MPP (a Greenplum coordinator, which CI cannot build), and the test of
# gpbackup's own backup sets without CBDUMP_TEST_GPBACKUP_SETS (fetched, never committed).
#
# --pure: only the pure tier, the classes in scripts/pure-tests.txt, which start no server and
# run no PostgreSQL program (no binaries are fetched). They run in one process with
# CBDUMP_TEST_PURE=1, under which TestSupport fails any test that looks for PostgreSQL's
# programs or starts a cluster. Prints the time the tests took (the build not counted) and
# fails if it passes CBDUMP_PURE_MAX_SECONDS (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

if [ "${1:-}" = --pure ]; then
    swift build --build-tests 2>&1 | tail -1
    xctest="$(swift build --show-bin-path)/cbdumpPackageTests.xctest"
    mapfile -t pure < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' scripts/pure-tests.txt | grep -v '^$')
    # A misspelt or removed class would otherwise just not run.
    listed=$("$xctest" --list-tests | sed -n 's|^\([A-Za-z0-9_]*\.[A-Za-z0-9_]*\)/.*|\1|p' | sort -u)
    for c in "${pure[@]}"; do
        grep -qx "$c" <<<"$listed" || { echo "test.sh --pure: $c (scripts/pure-tests.txt) is not a test class" >&2; exit 1; }
    done
    log=$(mktemp "${TMPDIR:-/tmp}/cbdump-pure.XXXXXX")
    start=$EPOCHREALTIME
    rc=0
    CBDUMP_TEST_PURE=1 "$xctest" "$(IFS=,; echo "${pure[*]}")" > "$log" 2>&1 || rc=$?
    end=$EPOCHREALTIME
    grep -v -E "^Test (Case|Suite) '.*' (started|passed)|^\s+Executed .* seconds$" "$log" || true
    seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    summary=$(grep -A1 -E "^Test Suite 'Selected tests' (passed|failed)" "$log" | grep Executed | sed 's/^[[:space:]]*//' || true)
    echo "test.sh --pure: ${#pure[@]} classes: ${summary:-no summary (the test process crashed?)}"
    echo "test.sh --pure: ${seconds} s (build not counted)"
    if grep -q "CBDUMP_TEST_PURE violation" "$log"; then
        echo "test.sh --pure: a pure class looked for PostgreSQL's programs or started a server (lines above)" >&2
        rc=1
    fi
    max=${CBDUMP_PURE_MAX_SECONDS:-60}
    if awk -v s="$seconds" -v m="$max" 'BEGIN { exit !(s > m) }'; then
        echo "test.sh --pure: took ${seconds} s, over ${max} s: the pure tier must stay fast" >&2
        rc=1
    fi
    rm -f "$log"
    exit $rc
fi

# CBDUMP_PG_NO_FETCH: use only the PostgreSQL binaries already here (the tests then skip, or
# under CI fail, where a major is missing).
[ -n "${CBDUMP_PG_NO_FETCH:-}" ] || bash scripts/fetch-pg-binaries.sh

if [ $# -gt 0 ]; then
    exec swift test --disable-swift-testing "$@"
fi

jobs=${CBDUMP_TEST_JOBS:-2}
swift build --build-tests 2>&1 | tail -1
bin_path=$(swift build --show-bin-path)
xctest="$bin_path/cbdumpPackageTests.xctest"

# Seconds each slow class took in a quiet serial run; the rest count 10. Only the shard
# balance depends on these: a class missing here still runs.
weight() {
    case "$1" in
        *.ScriptCompatibilityTests) echo 180 ;; *.DumpAllOracleTests) echo 190 ;;
        *.LiveRestoreMajorTests) echo 150 ;; *.OptionOracleTests) echo 130 ;;
        *.LiveRestoreTests) echo 105 ;; *.FormatOracleTests) echo 90 ;;
        *.HostileContentTests) echo 90 ;; *.BadInputTests) echo 76 ;;
        *.PatternOracleTests) echo 70 ;; *.DumpOracleTests) echo 68 ;;
        *.RegressionDatabaseTests) echo 68 ;; *.VerboseOracleTests) echo 45 ;;
        *.StatisticsDumpOracleTests) echo 34 ;; *.LiveRestoreFaultTests) echo 27 ;;
        *.LiveConnectionTests|*.SecretsTests) echo 25 ;;
        *.ParallelDeflateTests|*.ProgressTests) echo 21 ;;
        *) echo 10 ;;
    esac
}

mapfile -t classes < <("$xctest" --list-tests | sed -n 's|^\([A-Za-z0-9_]*\.[A-Za-z0-9_]*\)/.*|\1|p' | sort -u)
# CBDUMP_TEST_CLASSES=Module.Class,...: only those, with the same shards, timings and CI check.
if [ -n "${CBDUMP_TEST_CLASSES:-}" ]; then
    mapfile -t classes < <(printf '%s\n' "${classes[@]}" | grep -Fx -f <(tr ',' '\n' <<<"$CBDUMP_TEST_CLASSES"))
fi
if [ ${#classes[@]} -eq 0 ]; then echo "test.sh: no tests listed by $xctest" >&2; exit 1; fi

# Longest first, each to the shard with the least work so far.
declare -a load lists
for ((s = 0; s < jobs; s++)); do load[s]=0; lists[s]=""; done
while read -r w c; do
    best=0
    for ((s = 1; s < jobs; s++)); do [ "${load[s]}" -lt "${load[best]}" ] && best=$s; done
    load[best]=$((load[best] + w))
    lists[best]="${lists[best]:+${lists[best]},}$c"
done < <(for c in "${classes[@]}"; do echo "$(weight "$c") $c"; done | sort -rn)

logdir=$(mktemp -d "${TMPDIR:-/tmp}/cbdump-test-logs.XXXXXX")
started=$(date +%s)
pids=()
for ((s = 0; s < jobs; s++)); do
    [ -n "${lists[s]}" ] || continue
    echo "test.sh: shard $((s + 1)) of $jobs: $(tr ',' '\n' <<<"${lists[s]}" | wc -l) classes, log $logdir/shard$((s + 1)).log"
    # Each finished class is reported as it ends, so a long run shows it is moving.
    ( set +e; "$xctest" "${lists[s]}" > "$logdir/shard$((s + 1)).log" 2>&1; echo $? > "$logdir/shard$((s + 1)).rc" ) &
    pids+=($!)
done
( tail -q -n +1 -F "$logdir"/shard*.log 2>/dev/null \
    | grep --line-buffered -E "^Test Suite '[A-Za-z0-9_]+' (passed|failed)|: error: " ) &
watcher=$!
wait "${pids[@]}" || true
sleep 1; kill "$watcher" 2>/dev/null || true; wait "$watcher" 2>/dev/null || true

status=0
for ((s = 0; s < jobs; s++)); do
    [ -f "$logdir/shard$((s + 1)).log" ] || continue
    echo; echo "==== shard $((s + 1)) of $jobs"
    cat "$logdir/shard$((s + 1)).log"
    rc=$(cat "$logdir/shard$((s + 1)).rc" 2>/dev/null || echo 1)
    [ "$rc" = 0 ] || status=1
done

echo; echo "==== time per test class, slowest first (seconds, tests)"
cat "$logdir"/shard*.log | awk '
    /^Test Suite .[A-Za-z0-9_]+. (passed|failed)/ { split($0, q, "'"'"'"); name = q[2]; next }
    name != "" && /Executed/ { n = $2; t = $0; sub(/.*\(/, "", t); sub(/\).*/, "", t); printf "%9.1f  %-34s %s\n", t, name, n; name = "" }
' | sort -rn
total=0; failed=0; skipped=0
while read -r n f sk; do total=$((total + n)); failed=$((failed + f)); skipped=$((skipped + sk)); done < <(
    grep -h -A1 -E "^Test Suite 'Selected tests' (passed|failed)" "$logdir"/shard*.log | grep Executed \
    | sed -E 's/.*Executed ([0-9]+) tests?(, with ([0-9]+) tests? skipped)? and ([0-9]+) failures?.*/\1 \4 \3/; s/.*Executed ([0-9]+) tests?, with ([0-9]+) failures?.*/\1 \2 0/' \
    | awk '{print $1, $2, ($3 == "" ? 0 : $3)}')
echo "test.sh: $total tests, $failed failed, $skipped skipped, in $(( $(date +%s) - started )) s on $jobs shards"

mapfile -t skips < <(grep -h -E "^Test Case '.*' skipped" "$logdir"/shard*.log | sed -E "s/^Test Case '([^']*)'.*/\1/" || true)
if [ ${#skips[@]} -gt 0 ]; then
    echo "test.sh: skipped: ${skips[*]}"
    ci=$(printf '%s' "${CI:-}" | tr '[:upper:]' '[:lower:]')
    if [ -n "$ci" ] && [ "$ci" != 0 ] && [ "$ci" != false ]; then
        for t in "${skips[@]}"; do
            case "$t" in
                MPPClusterTests.*) [ -z "${CBDUMP_TEST_MPP:-}" ] && continue ;;
                GpbackupYAMLTests.testRealSetsWhenPresent) [ -z "${CBDUMP_TEST_GPBACKUP_SETS:-}" ] && continue ;;
            esac
            echo "test.sh: CI is set and $t was skipped: an oracle it needs is missing" >&2
            status=1
        done
    fi
fi
[ "$status" = 0 ] && rm -rf "$logdir"
exit $status
