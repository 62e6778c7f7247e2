#!/usr/bin/env bash
# Dump benchmark (not a test): cbdump -Fc against pg_dump -Fc on the same generated database
# of at least 500 MB, on a throwaway local PostgreSQL 15 that this script starts itself.
# Both tools run alternately, ROUNDS times each; wall time and peak RSS come from
# /usr/bin/time. Prints the medians, the cbdump/pg_dump ratios and the archive sizes, and
# checks that pg_restore reads cbdump's archive.
#
#   scripts/bench-dump.sh                 # ~650 MB database, 3 rounds
#   SCALE=2 ROUNDS=5 scripts/bench-dump.sh
#   BASELINE=/tmp/cbdump-old scripts/bench-dump.sh   # also time another cbdump build, same rounds
#   ZARGS="-Z0" scripts/bench-dump.sh                # options for both tools (-Z0, -Z zstd, ...)
#   BASEARGS="--compress-jobs 1" BASELINE=.build/release/cbdump scripts/bench-dump.sh
#                                                    # the baseline run with options of its own
#
# Targets for now: cbdump no slower than pg_dump, peak RSS under 64 MB.
set -euo pipefail
cd "$(dirname "$0")/.."

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
ROUNDS=${ROUNDS:-3}
SCALE=${SCALE:-1}          # multiplies every table's row count
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
. scripts/lib/throwaway-pg.sh
pg_work cbdump-bench

echo "== build cbdump (release)"
swift build -c release --product cbdump >/dev/null
CBDUMP=$(swift build -c release --show-bin-path)/cbdump

PG_FAST=1 pg_start -c max_wal_size=4GB

echo "== generate the database (server-side)"
"${PSQL[@]}" -c "CREATE DATABASE bench"
start=$(date +%s)
"${PSQL[@]}" -d bench -v scale="$SCALE" <<'SQL'
-- A wide table of random text and numerics.
CREATE TABLE wide (id bigint PRIMARY KEY, code text, title text, body text, qty int,
                   price numeric(12,2), ratio float8, amount numeric, created timestamptz, flag bool);
INSERT INTO wide
  SELECT g, upper(substr(md5(g::text), 1, 8)), 'title ' || md5(random()::text),
         md5(random()::text) || ' ' || md5(random()::text) || ' ' || md5(random()::text),
         (random() * 10000)::int, round((random() * 100000)::numeric, 2), random(),
         (random() * 1e12)::numeric / 7, '2020-01-01'::timestamptz + random() * interval '1500 days',
         random() < 0.5
  FROM generate_series(1, 800000 * :scale) g;
-- Documents.
CREATE TABLE docs (id bigint PRIMARY KEY, doc jsonb);
INSERT INTO docs
  SELECT g, jsonb_build_object('id', g, 'name', md5(g::text), 'tags', jsonb_build_array(md5(random()::text), (random() * 100)::int),
                               'price', round((random() * 1000)::numeric, 2), 'active', random() < 0.5,
                               'address', jsonb_build_object('street', md5(random()::text), 'zip', (random() * 99999)::int))
  FROM generate_series(1, 500000 * :scale) g;
-- Binary data (random, so it does not compress).
CREATE TABLE blobs (id int PRIMARY KEY, data bytea);
INSERT INTO blobs
  SELECT g, decode(string_agg(md5(random()::text), ''), 'hex')
  FROM generate_series(1, 40000 * :scale) g, generate_series(1, 128) k
  GROUP BY g;
-- Narrow, many rows.
CREATE TABLE narrow (id int, v int);
INSERT INTO narrow SELECT g, (random() * 1000000)::int FROM generate_series(1, 5000000 * :scale) g;
VACUUM ANALYZE;
SQL
echo "generated in $(( $(date +%s) - start )) s:"
"${PSQL[@]}" -d bench -At -F ' ' -c "
  SELECT '  ' || relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class
  WHERE relname IN ('wide', 'docs', 'blobs', 'narrow') ORDER BY 1" \
  -c "SELECT '  database', pg_size_pretty(pg_database_size('bench'))"
SIZE=$("${PSQL[@]}" -d bench -At -c "SELECT pg_database_size('bench')")
if [ "$SIZE" -lt $((500 * 1024 * 1024)) ]; then echo "database smaller than 500 MB" >&2; exit 1; fi

# One run: "wall_seconds maxrss_kb cpu_seconds" of the tool's process (CPU: user + system,
# a steadier figure than wall time on a busy machine).
run() {
  local tool=$1 out=$2; shift 2
  rm -f "$out"
  # shellcheck disable=SC2086 # ZARGS and the extra options are word lists
  /usr/bin/time -f '%e %M %U %S' -o "$WORK/time" "$tool" -Fc ${ZARGS:-} "$@" -f "$out" "${CONN[@]}" bench
  awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$WORK/time"
}

echo "== $ROUNDS rounds, alternately"
: > "$WORK/pg_dump.times"; : > "$WORK/cbdump.times"
for i in $(seq 1 "$ROUNDS"); do
  p=$(run "$PGBIN/pg_dump" "$WORK/pg.dump"); echo "$p" >> "$WORK/pg_dump.times"
  c=$(run "$CBDUMP" "$WORK/cb.dump"); echo "$c" >> "$WORK/cbdump.times"
  printf '  round %d: pg_dump %6.2f s %7d KB %6.2f s CPU   cbdump %6.2f s %7d KB %6.2f s CPU\n' "$i" $p $c
  if [ -n "${BASELINE:-}" ]; then
    # shellcheck disable=SC2086
    b=$(run "$BASELINE" "$WORK/base.dump" ${BASEARGS:-}); echo "$b" >> "$WORK/baseline.times"
    printf '           baseline %6.2f s %7d KB %6.2f s CPU\n' $b
  fi
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
pt=$(cut -d' ' -f1 "$WORK/pg_dump.times" | median); pm=$(cut -d' ' -f2 "$WORK/pg_dump.times" | median)
ct=$(cut -d' ' -f1 "$WORK/cbdump.times" | median); cm=$(cut -d' ' -f2 "$WORK/cbdump.times" | median)
pc=$(cut -d' ' -f3 "$WORK/pg_dump.times" | median); cc=$(cut -d' ' -f3 "$WORK/cbdump.times" | median)
ps=$(stat -c %s "$WORK/pg.dump"); cs=$(stat -c %s "$WORK/cb.dump")
bt=; bm=; bc=
if [ -n "${BASELINE:-}" ]; then
  bt=$(cut -d' ' -f1 "$WORK/baseline.times" | median); bm=$(cut -d' ' -f2 "$WORK/baseline.times" | median)
  bc=$(cut -d' ' -f3 "$WORK/baseline.times" | median)
fi

echo "== medians of $ROUNDS rounds (database $((SIZE / 1024 / 1024)) MB)"
awk -v pt="$pt" -v pm="$pm" -v ct="$ct" -v cm="$cm" -v ps="$ps" -v cs="$cs" -v pc="$pc" -v cc="$cc" -v bt="$bt" -v bm="$bm" -v bc="$bc" 'BEGIN {
  printf "  %-8s %10s %14s %14s %10s\n", "", "wall (s)", "peak RSS (MB)", "archive (MB)", "CPU (s)"
  printf "  %-8s %10.2f %14.1f %14.1f %10.2f\n", "pg_dump", pt, pm / 1024, ps / 1048576, pc
  printf "  %-8s %10.2f %14.1f %14.1f %10.2f\n", "cbdump", ct, cm / 1024, cs / 1048576, cc
  printf "  %-8s %10.2f %14.2f %14.3f %10.2f\n", "ratio", ct / pt, cm / pm, cs / ps, cc / pc
  if (bt != "") printf "  %-8s %10.2f %14.1f %14s %10.2f   (ratios to pg_dump: %.2f wall, %.2f RSS)\n", "baseline", bt, bm / 1024, "", bc, bt / pt, bm / pm
  printf "  targets: wall ratio <= 1.00: %s; cbdump peak RSS < 64 MB: %s\n", (ct <= pt ? "met" : "NOT met"), (cm < 65536 ? "met" : "NOT met")
}'

echo "== pg_restore -l reads cbdump's archive"
n=$("$PGBIN/pg_restore" -l "$WORK/cb.dump" | grep -c 'TABLE DATA')
echo "  $n TABLE DATA entries"
[ "$n" = 4 ] || { echo "expected 4 TABLE DATA entries" >&2; exit 1; }
