#!/usr/bin/env bash
# The large-object rows of the benchmark (issue 22; not a test), on a throwaway PostgreSQL 18
# (pg_dump 17+ groups large objects in archive 1.16): LOS large objects (100,000 at SCALE=1)
# of 0 to 1,000 bytes, dumped by pg_dump 18 and cbdump (-Fc, alternately, ROUNDS times), then
# pg_dump's archive and cbdump's each restored with pg_restore 18 -d and cbrestore -d into
# fresh databases, alternately. Wall time, peak RSS and CPU come from /usr/bin/time.
#
# Checks (exit 1 if one fails): every restore has the source's large objects (count, and an
# md5 over every object's OID and contents), and pg_restore -f - prints the same script from
# both archives (but the "Dumped by" line and the restrict keys).
#
# Run alone it prints its own table; scripts/bench.sh runs it for SETS=lo100k with ROWS_OUT
# and TARGETS_OUT set, files to which it appends its rows and targets in bench.sh's layout.
#
#   scripts/bench-lo.sh                     # 100,000 objects, 3 rounds
#   SCALE=0.05 ROUNDS=1 scripts/bench-lo.sh # a smoke run
#
# Knobs: ROUNDS (3), SCALE (1), LOS (100000 x SCALE), PG18 (the 18 binaries' folder:
# $CBDUMP_PG_CACHE/18, scripts/fetch-pg-binaries.sh puts them there), CBDUMP / CBRESTORE.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
SCALE=${SCALE:-1}
PG18=${PG18:-${CBDUMP_PG_CACHE:-/var/tmp/cbdump-pg}/18}
die() { echo "bench-lo.sh: $*" >&2; exit 1; }
[ -x /usr/bin/time ] || die "needs /usr/bin/time (apt-get install time)"
[ -x "$PG18/bin/pg_dump" ] || die "no PostgreSQL 18 in $PG18 (run scripts/fetch-pg-binaries.sh 18)"
LOS=${LOS:-$(awk -v s="$SCALE" 'BEGIN { n = int(100000 * s + 0.5); print (n < 1 ? 1 : n) }')}
export LD_LIBRARY_PATH="$PG18/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
PGBIN=$PG18/bin

. scripts/lib/throwaway-pg.sh
pg_work cbdump-bench-lo
RES=$WORK/res
mkdir "$RES"

if [ -z "${CBDUMP:-}" ] || [ -z "${CBRESTORE:-}" ]; then
  echo "== build cbdump and cbrestore (release)"
  swift build -c release --product cbdump >/dev/null
  swift build -c release --product cbrestore >/dev/null
  BIN=$(swift build -c release --show-bin-path)
  CBDUMP=${CBDUMP:-$BIN/cbdump}
  CBRESTORE=${CBRESTORE:-$BIN/cbrestore}
fi

PG_FAST=1 pg_start -c autovacuum=off -c max_locks_per_transaction=256
PGVER=$("$PGBIN/pg_dump" --version | awk '{ print $3 }')

echo "== lo100k: $LOS large objects"
"${PSQL[@]}" -c "CREATE DATABASE lo100k"
"${PSQL[@]}" -d lo100k -v n="$LOS" <<'SQL'
SELECT count(lo_from_bytea(0, convert_to(repeat('x', (g % 50) * 20) || g::text, 'UTF8'))) FROM generate_series(1, :n) g;
SQL
# What a restore must give back: the count and an md5 over every object (OID and contents).
fingerprint() {
  "${PSQL[@]}" -d "$1" -At -c "SELECT count(*) || ' ' || md5(string_agg(m.oid::text || ':' || encode(lo_get(m.oid), 'hex'), ',' ORDER BY m.oid))
                                FROM pg_largeobject_metadata m"
}
SOURCE=$(fingerprint lo100k)

FAILED=0
check() { echo "  CHECK FAILED: $*" >&2; FAILED=1; }
timed() {  # KEY COMMAND...: appends "wall_s maxrss_kb cpu_s" to $RES/KEY.times, leaves it in $LAST
  local key=$1; shift
  if ! /usr/bin/time -f '%e %M %U %S' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err"; then
    cat "$WORK/err" >&2; die "failed: $*"
  fi
  LAST=$(tail -n 1 "$WORK/time" | awk '{ printf "%s %s %.2f", $1, $2, $3 + $4 }')
  echo "$LAST" >> "$RES/$key.times"
}
fmt() { awk -v l="$2" '{ printf "%s %6.2f s %6.1f MB %6.2f s CPU", l, $1, $2 / 1024, $3 }' <<< "$1"; }
restore() {  # KEY ARCHIVE COMMAND...: into a fresh database, then checked against the source
  local key=$1 archive=$2; shift 2
  PGOPTIONS='-c client_min_messages=warning' "${PSQL[@]}" -c "DROP DATABASE IF EXISTS restored" -c "CREATE DATABASE restored"
  timed "$key" "$@" "${CONN[@]}" -d restored "$archive"
  [ "$(fingerprint restored)" = "$SOURCE" ] || check "$key: the restored large objects differ from the source's"
}

for r in $(seq 1 "$ROUNDS"); do
  echo "  round $r"
  timed lo.dump.pg "$PGBIN/pg_dump" -Fc "${CONN[@]}" -f "$WORK/pg.dump" lo100k
  p=$LAST
  timed lo.dump.cb "$CBDUMP" -Fc "${CONN[@]}" -f "$WORK/cb.dump" lo100k
  echo "    dump            $(fmt "$p" pg_dump)     $(fmt "$LAST" cbdump)"
  restore lo.rpg.pg "$WORK/pg.dump" "$PGBIN/pg_restore"
  p=$LAST
  restore lo.rpg.cb "$WORK/pg.dump" "$CBRESTORE"
  echo "    pg_dump's arch  $(fmt "$p" pg_restore)  $(fmt "$LAST" cbrestore)"
  restore lo.rcb.pg "$WORK/cb.dump" "$PGBIN/pg_restore"
  p=$LAST
  restore lo.rcb.cb "$WORK/cb.dump" "$CBRESTORE"
  echo "    cbdump's arch   $(fmt "$p" pg_restore)  $(fmt "$LAST" cbrestore)"
done
stat -c %s "$WORK/pg.dump" > "$RES/lo.dump.pg.size"
stat -c %s "$WORK/cb.dump" > "$RES/lo.dump.cb.size"
a=$("$PGBIN/pg_restore" -f - "$WORK/pg.dump" | grep -Ev '^(-- Dumped by |\\(un)?restrict )' | sha256sum)
b=$("$PGBIN/pg_restore" -f - "$WORK/cb.dump" | grep -Ev '^(-- Dumped by |\\(un)?restrict )' | sha256sum)
[ "$a" = "$b" ] && SAME=yes || { SAME=no; check "pg_restore -f - of cbdump's archive differs from pg_dump's"; }

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
stat_of() { cut -d' ' -f"$2" "$RES/$1.times" | median; }
max_of() { cut -d' ' -f"$2" "$RES/$1.times" | sort -n | tail -n 1; }
ROWS=$WORK/rows.tsv TGTS=$WORK/targets.tsv
: > "$ROWS"; : > "$TGTS"
row() {  # mode pgkey cbkey [sizes]
  awk -F'\t' -v OFS='\t' -v m="$1" -v pt="$(stat_of "$2" 1)" -v ct="$(stat_of "$3" 1)" \
    -v pm="$(stat_of "$2" 2)" -v cm="$(stat_of "$3" 2)" -v pc="$(stat_of "$2" 3)" -v cc="$(stat_of "$3" 3)" \
    -v ps="${4:-}" -v cs="${5:-}" '
    function mb(x) { return x == "" ? "" : sprintf("%.1f", x / 1048576) }
    BEGIN { print "lo100k", m, sprintf("%.2f", pt), sprintf("%.2f", ct), (pt > 0 ? sprintf("%.2f", ct / pt) : "n/a"),
                  sprintf("%.1f", pm / 1024), sprintf("%.1f", cm / 1024), sprintf("%.2f", pc), sprintf("%.2f", cc), mb(ps), mb(cs) }' >> "$ROWS"
}
row "dump -Fc (PostgreSQL $PGVER)" lo.dump.pg lo.dump.cb "$(cat "$RES/lo.dump.pg.size")" "$(cat "$RES/lo.dump.cb.size")"
row "restore -d of pg_dump's archive" lo.rpg.pg lo.rpg.cb
row "restore -d of cbdump's archive" lo.rcb.pg lo.rcb.cb
target() {  # text key-a key-b limit: a/b <= limit
  local a b
  a=$(stat_of "$2" 1); b=$(stat_of "$3" 1)
  printf '%s\t%s\t%s\n' "$1" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2fx (%.2f s / %.2f s)", a / b, a, b }')" \
    "$(awk -v a="$a" -v b="$b" -v l="$4" 'BEGIN { print (b > 0 && a / b <= l + 1e-9) ? "PASS" : "MISS" }')" >> "$TGTS"
}
target "lo100k: cbdump -Fc <= 1.0x pg_dump $PGVER" lo.dump.cb lo.dump.pg 1.0
target "lo100k: cbrestore -d <= 1.0x pg_restore $PGVER (pg_dump's archive)" lo.rpg.cb lo.rpg.pg 1.0
target "lo100k: cbrestore -d <= 1.0x pg_restore $PGVER (cbdump's archive)" lo.rcb.cb lo.rcb.pg 1.0
m=$(max_of lo.dump.cb 2)
printf '%s\t%s\t%s\n' "lo100k: cbdump -Fc peak RSS < 64 MB" "$(awk -v m="$m" 'BEGIN { printf "%.1f MB (highest of the rounds)", m / 1024 }')" \
  "$(awk -v m="$m" 'BEGIN { print (m < 64 * 1024) ? "PASS" : "MISS" }')" >> "$TGTS"
printf '%s\t%s\t%s\n' "lo100k: pg_restore -f - of cbdump's archive = pg_dump's" "$SAME" "$([ "$SAME" = yes ] && echo PASS || echo MISS)" >> "$TGTS"

if [ -n "${ROWS_OUT:-}" ]; then cat "$ROWS" >> "$ROWS_OUT"; cat "$TGTS" >> "${TARGETS_OUT:?}"
else
  echo
  echo "== medians of $ROUNDS round(s); PostgreSQL $PGVER; $LOS large objects; $(nproc) cores"
  { printf 'set\tmode\tpg s\tcb s\tcb/pg\tpg MB\tcb MB\tpg CPU s\tcb CPU s\tpg archive MB\tcb archive MB\n'; cat "$ROWS"; } | column -t -s $'\t' | sed 's/^/  /'
  echo
  { printf 'target\tmeasured\tresult\n'; cat "$TGTS"; } | column -t -s $'\t' | sed 's/^/  /'
fi
[ "$FAILED" = 0 ] || { echo "bench-lo.sh: a correctness check failed (see CHECK FAILED above)" >&2; exit 1; }
