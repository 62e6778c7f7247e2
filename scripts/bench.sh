#!/usr/bin/env bash
# The benchmark of issues 8, 18 and 22 (not a test): pg_dump/pg_restore against cbdump/cbrestore
# on five generated data sets, in a throwaway PostgreSQL 15 that this script starts itself (and
# a PostgreSQL 18 for the large objects; the gpbackup set against a custom archive).
#
#   hard       ~1 GB of COPY text at SCALE=1 that compresses badly: random base64 text,
#              numerics, jsonb documents of random strings, random bytea
#   pgbench    pgbench -i -s (30 x SCALE), server-side generated (a few hundred MB)
#   tables10k  TABLES tables (10,000 at SCALE=1), each with a primary key, one more index and
#              three rows: schema-only dumps (-s -Fc)
#   lo100k     100,000 x SCALE large objects on PostgreSQL 18: dumps, and restores of pg_dump's
#              archive and of cbdump's (scripts/bench-lo.sh, which runs its own 18 server)
#   gpbackup   8 million x SCALE rows as a 2-segment gpbackup set, restored by cbrestore -d
#              against an equivalent custom archive (scripts/bench-gpbackup.sh, its own server)
#
# Per round (ROUNDS, at least 3 for the figures that count) and data set, the tools run
# alternately: pg_dump -Fc / cbdump -Fc at the default compression, the same with -Z0, a bare
# `COPY ... TO STDOUT` of every table (one psql, one transaction, output to /dev/null), the
# same with -Z zstd, then pg_restore -d / cbrestore -d of pg_dump's default archive into fresh
# databases (dropped after each run). Wall time, peak RSS and CPU (user + system) of each tool
# come from /usr/bin/time. Prints per set and mode the medians and the cb/pg ratios, the
# archive sizes, the issue's targets with PASS/MISS, and the same tables in Markdown.
#
# pg_dump 15 has no zstd for -Fc: the zstd column uses the oldest pg_dump 16+ found in
# $CBDUMP_PG_CACHE/<major>/bin (scripts/fetch-pg-binaries.sh puts them in /var/tmp/cbdump-pg),
# or PGZSTDBIN; without one it is n/a and cbdump is timed alone.
#
# Checks (exit 1 if one fails): pg_restore -l reads every cbdump archive; each restore has the
# source's row counts; pg_restore's script (-f -) of cbdump's default-compression archive and
# of the 10k-table schema archive is that of pg_dump's archive (all but the "Dumped by" line and
# the random \restrict keys).
# Missed targets are reported, not failed (STRICT=1: exit 2 if any target is missed).
# At full size it needs about 8 GB free in TMPDIR (database, archives, a restored copy, WAL)
# and takes tens of minutes on 2 cores.
#
#   scripts/bench.sh                                   # everything, full size, 3 rounds
#   SETS=hard ROUNDS=5 scripts/bench.sh
#   SCALE=0.02 TABLES=300 ROUNDS=1 scripts/bench.sh    # a smoke run (under a minute)
#   CBARGS="--compress-jobs 1" scripts/bench.sh        # extra cbdump options (every cbdump run)
#
# Knobs: SETS ("hard pgbench tables10k lo100k gpbackup"), ROUNDS (3), SCALE (1: every data size and the table
# count), TABLES (10000 x SCALE), PGBENCH_SCALE (30 x SCALE), PGBIN
# (/usr/lib/postgresql/15/bin), PGZSTDBIN, CBARGS, CBRESTOREARGS, CBDUMP / CBRESTORE (binaries
# to use instead of building the release products), STRICT.
set -euo pipefail
cd "$(dirname "$0")/.."

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
SETS=${SETS:-hard pgbench tables10k lo100k gpbackup}
ROUNDS=${ROUNDS:-3}
SCALE=${SCALE:-1}
CBARGS=${CBARGS:-}
CBRESTOREARGS=${CBRESTOREARGS:-}
STRICT=${STRICT:-0}
PGCACHE=${CBDUMP_PG_CACHE:-/var/tmp/cbdump-pg}

die() { echo "bench.sh: $*" >&2; exit 1; }
[ -x /usr/bin/time ] || die "needs /usr/bin/time (apt-get install time)"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer"
[[ $SCALE =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ ]] && awk -v s="$SCALE" 'BEGIN { exit !(s > 0) }' \
  || die "SCALE must be a positive number"
for s in $SETS; do
  case $s in hard|pgbench|tables10k|lo100k|gpbackup) ;; *) die "unknown set '$s' (hard pgbench tables10k lo100k gpbackup)" ;; esac
done
# n x SCALE, rounded, at least 1
scaled() { awk -v b="$1" -v s="$SCALE" 'BEGIN { n = int(b * s + 0.5); print (n < 1 ? 1 : n) }'; }
TABLES=${TABLES:-$(scaled 10000)}
PGBENCH_SCALE=${PGBENCH_SCALE:-$(scaled 30)}
[[ $TABLES =~ ^[1-9][0-9]*$ ]] || die "TABLES must be a positive integer"
[[ $PGBENCH_SCALE =~ ^[1-9][0-9]*$ ]] || die "PGBENCH_SCALE must be a positive integer"
[ "$ROUNDS" -ge 3 ] || echo "note: ROUNDS=$ROUNDS; the issue's figures want at least 3 rounds"

# cbdump's gzip threads (--compress-jobs, default: the cores): the memory allowance of gzip runs
CJOBS=$(nproc)
if [[ " $CBARGS " =~ [[:space:]]--compress-jobs[=[:space:]]+([0-9]+) ]]; then CJOBS=${BASH_REMATCH[1]}; fi
LIMIT_MB=64
GZ_LIMIT_MB=$((64 + 8 * CJOBS))

. scripts/lib/throwaway-pg.sh
pg_work cbdump-bench
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
[ -x "$CBDUMP" ] && [ -x "$CBRESTORE" ] || die "no cbdump/cbrestore at $CBDUMP, $CBRESTORE"

# The 10k-table schema needs a lock per table in pg_dump's transaction.
MAXLOCKS=$((128 + 2 * TABLES / 100))
PG_FAST=1 pg_start -c max_wal_size=4GB -c autovacuum=off -c max_locks_per_transaction=$MAXLOCKS
PGVER=$("$PGBIN/pg_dump" --version | awk '{ print $3 }')

# pg_dump for the zstd column: its own if it has zstd (16+), else the oldest 16+ in the cache.
ZBIN=
zstd_ok() {  # bin dir: its pg_dump writes a zstd custom archive that its pg_restore lists
  [ -x "$1/pg_dump" ] && [ -x "$1/pg_restore" ] || return 1
  "$1/pg_dump" -Fc -Z zstd -s "${CONN[@]}" -f "$WORK/zstd-probe" postgres >/dev/null 2>&1 &&
    "$1/pg_restore" -l "$WORK/zstd-probe" >/dev/null 2>&1
}
for d in ${PGZSTDBIN:-} "$PGBIN" "$PGCACHE"/16/bin "$PGCACHE"/17/bin "$PGCACHE"/18/bin; do
  if zstd_ok "$d"; then ZBIN=$d; break; fi
done
rm -f "$WORK/zstd-probe"
if [ -n "$ZBIN" ]; then
  ZVER=$("$ZBIN/pg_dump" --version | awk '{ print $3 }')
  echo "pg_dump $PGVER; for -Z zstd: pg_dump $ZVER ($ZBIN)"
else
  ZVER=
  echo "pg_dump $PGVER; no pg_dump with zstd (run scripts/fetch-pg-binaries.sh 16): zstd is cbdump alone"
fi

# ---- the data sets

gen_hard() {
  local wide docs blobs nums
  wide=$(scaled 1200000); docs=$(scaled 800000); blobs=$(scaled 75000); nums=$(scaled 2000000)
  "${PSQL[@]}" -c "CREATE DATABASE hard"
  "${PSQL[@]}" -d hard -v wide="$wide" -v docs="$docs" -v blobs="$blobs" -v nums="$nums" <<'SQL'
-- pgcrypto only for random bytes; dropped again, so the dumps do not have it.
CREATE EXTENSION pgcrypto;
CREATE FUNCTION pg_temp.rtext(n int) RETURNS text LANGUAGE sql
  AS $$ SELECT translate(encode(gen_random_bytes(n), 'base64'), E'\n', '') $$;
-- Random text and numerics.
CREATE TABLE wide (id bigint PRIMARY KEY, code text, title text, body text, qty int,
                   price numeric(12,2), ratio float8, amount numeric, created timestamptz, flag bool);
INSERT INTO wide
  SELECT g, encode(gen_random_bytes(4), 'hex'), pg_temp.rtext(24), pg_temp.rtext(120),
         (random() * 1000000)::int, round((random() * 10000000)::numeric, 2), random(),
         (random() * 1e12)::numeric / 7, '2020-01-01'::timestamptz + random() * interval '1500 days',
         random() < 0.5
  FROM generate_series(1, :wide) g;
-- jsonb documents of random strings and numbers.
CREATE TABLE docs (id bigint PRIMARY KEY, doc jsonb);
INSERT INTO docs
  SELECT g, jsonb_build_object('id', g, 'name', pg_temp.rtext(18),
                               'tags', jsonb_build_array(pg_temp.rtext(9), pg_temp.rtext(12), (random() * 1000)::int),
                               'price', round((random() * 100000)::numeric, 2), 'active', random() < 0.5,
                               'score', random(),
                               'address', jsonb_build_object('street', pg_temp.rtext(24), 'zip', (random() * 99999)::int,
                                                             'city', pg_temp.rtext(9)))
  FROM generate_series(1, :docs) g;
-- Random binary data (hex in COPY text).
CREATE TABLE blobs (id int PRIMARY KEY, data bytea);
INSERT INTO blobs SELECT g, gen_random_bytes(1024) || gen_random_bytes(1024) FROM generate_series(1, :blobs) g;
-- Random numerics, no index.
CREATE TABLE nums (id bigint, a int, b bigint, c numeric(18,6), d float8, e numeric);
INSERT INTO nums
  SELECT g, (random() * 2e9 - 1e9)::int, (random() * 9e18)::bigint, round((random() * 1e12)::numeric, 6),
         random() * 1e6, (random() * 1e15)::numeric / 13
  FROM generate_series(1, :nums) g;
DROP EXTENSION pgcrypto CASCADE;
VACUUM ANALYZE;
SQL
}

gen_pgbench() {
  "${PSQL[@]}" -c "CREATE DATABASE pgbench"
  # dtGvp: drop, tables, server-side generation, vacuum, primary keys
  "$PGBIN/pgbench" -i -I dtGvp -s "$PGBENCH_SCALE" -q "${CONN[@]}" pgbench >"$WORK/err" 2>&1 \
    || { cat "$WORK/err" >&2; die "pgbench -i failed"; }
  "${PSQL[@]}" -d pgbench -c "ANALYZE"
}

gen_tables10k() {
  "${PSQL[@]}" -c "CREATE DATABASE tables10k"
  # Committed every 500 tables: one transaction would need a lock for each of them.
  "${PSQL[@]}" -d tables10k -v n="$TABLES" <<'SQL'
CREATE PROCEDURE make_tables(n int) LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..n LOOP
    EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, name text NOT NULL, v int)', i);
    EXECUTE format('CREATE INDEX t%s_v ON t%s (v)', i, i);
    EXECUTE format('INSERT INTO t%s SELECT g, %L || g, g * %s FROM generate_series(1, 3) g', i, 'name ', i);
    IF i % 500 = 0 THEN COMMIT; END IF;
  END LOOP;
END $$;
CALL make_tables(:n);
DROP PROCEDURE make_tables(int);
SQL
}

# Every ordinary table of the database's public schema, qualified and quoted.
tables_of() {
  "${PSQL[@]}" -d "$1" -At -c "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY 1"
}
# "table rows" for every table of $2 (the table list comes from the source database $1)
row_counts() {
  local q
  q=$(tables_of "$1" | awk '{ printf "%sSELECT %s, count(*) FROM %s", (NR > 1 ? " UNION ALL " : ""), "'\''" $0 "'\''", $0 }')
  "${PSQL[@]}" -d "$2" -At -F ' ' -c "$q ORDER BY 1"
}

# ---- timing

# timed KEY COMMAND...: runs it (stdout to /dev/null), appends "wall_s maxrss_kb cpu_s" to
# $RES/KEY.times and leaves that line in $LAST.
timed() {
  local key=$1; shift
  if ! /usr/bin/time -f '%e %M %U %S' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err"; then
    cat "$WORK/err" >&2
    die "failed: $*"
  fi
  LAST=$(tail -n 1 "$WORK/time" | awk '{ printf "%s %s %.2f", $1, $2, $3 + $4 }')
  echo "$LAST" >> "$RES/$key.times"
}
fmt() { awk -v l="$2" '{ printf "%s %6.2f s %6.1f MB %6.2f s CPU", l, $1, $2 / 1024, $3 }' <<< "$1"; }
size_of() { stat -c %s "$1" > "$RES/$2.size"; }

FAILED=0
check() { echo "  CHECK FAILED: $*" >&2; FAILED=1; }
lists() {  # pg_restore BIN, archive, key: pg_restore -l reads it
  [ -x "$1" ] || return 0   # zstd without a pg_restore 16+: nothing to list it with
  "$1" -l "$2" > "$WORK/list" 2>"$WORK/err" || { cat "$WORK/err" >&2; check "$3: pg_restore -l cannot read cbdump's archive"; }
}
same_script() {  # pg_restore BIN, pg archive, cb archive, key: the same restore script
  local a b
  a=$("$1" -f - "$2" | grep -Ev '^(-- Dumped by |\\(un)?restrict )' | sha256sum)
  b=$("$1" -f - "$3" | grep -Ev '^(-- Dumped by |\\(un)?restrict )' | sha256sum)
  if [ "$a" = "$b" ]; then
    echo yes > "$RES/$4.same"
  else
    echo no > "$RES/$4.same"
    check "$4: pg_restore -f - differs from pg_dump's archive's; the first differences:"
    diff <("$1" -f - "$2") <("$1" -f - "$3") | cut -c 1-200 | head -n 20 >&2 || true
  fi
  # informative: archive bytes, but for the header's dump time
  if [ "$(stat -c %s "$2")" = "$(stat -c %s "$3")" ]; then
    echo "$(cmp -l "$2" "$3" | head -n 1000 | wc -l)" > "$RES/$4.bytediff"
  else
    echo "size $(stat -c %s "$2") $(stat -c %s "$3")" > "$RES/$4.bytediff"
  fi
}

dump_pair() {  # set, mode, pg_dump dir or "", pg_restore dir for -l, options...
  local set=$1 mode=$2 pgdir=$3 lsdir=$4; shift 4
  local line=
  if [ -n "$pgdir" ]; then
    timed "$set.$mode.pg" "$pgdir/pg_dump" -Fc "$@" "${CONN[@]}" -f "$WORK/pg.$mode" "$set"
    size_of "$WORK/pg.$mode" "$set.$mode.pg"
    line="$(fmt "$LAST" pg_dump)   "
  fi
  # shellcheck disable=SC2086 # CBARGS is a word list
  timed "$set.$mode.cb" "$CBDUMP" -Fc "$@" $CBARGS -f "$WORK/cb.$mode" "${CONN[@]}" "$set"
  size_of "$WORK/cb.$mode" "$set.$mode.cb"
  echo "    $(printf '%-7s' "$mode") $line$(fmt "$LAST" cbdump)"
  lists "$lsdir/pg_restore" "$WORK/cb.$mode" "$set $mode"
}

restore_one() {  # set, tool key, command...
  local set=$1 key=$2; shift 2
  PGOPTIONS='-c client_min_messages=warning' "${PSQL[@]}" -c "DROP DATABASE IF EXISTS restored" -c "CREATE DATABASE restored"
  timed "$set.restore.$key" "$@" -d restored "$WORK/pg.gz"
  row_counts "$set" restored > "$WORK/counts.restored"
  cmp -s "$WORK/counts.$set" "$WORK/counts.restored" || check "$set: $key's restore has other row counts than the source"
  "${PSQL[@]}" -c "DROP DATABASE restored"
}

bench_data_set() {
  local set=$1 r
  tables_of "$set" | awk '
    BEGIN { print "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;" }
    { print "COPY " $0 " TO STDOUT;" }
    END { print "COMMIT;" }' > "$WORK/copy.sql"
  row_counts "$set" "$set" > "$WORK/counts.$set"
  for r in $(seq 1 "$ROUNDS"); do
    echo "  round $r"
    dump_pair "$set" gz "$PGBIN" "$PGBIN"
    dump_pair "$set" z0 "$PGBIN" "$PGBIN" -Z0
    timed "$set.copy.pg" "${PSQL[@]}" -d "$set" -f "$WORK/copy.sql"
    echo "    copy    $(fmt "$LAST" 'COPY   ')"
    rm -f "$WORK/pg.z0" "$WORK/cb.z0"
    if [ -n "$ZBIN" ]; then dump_pair "$set" zstd "$ZBIN" "$ZBIN" -Z zstd
    else dump_pair "$set" zstd "" "$PGCACHE/none" -Z zstd; fi
    rm -f "$WORK/pg.zstd" "$WORK/cb.zstd"
    if [ "$r" = "$ROUNDS" ]; then same_script "$PGBIN/pg_restore" "$WORK/pg.gz" "$WORK/cb.gz" "$set.gz"; fi
    rm -f "$WORK/cb.gz"
    # shellcheck disable=SC2086 # CBRESTOREARGS is a word list
    restore_one "$set" pg "$PGBIN/pg_restore" "${CONN[@]}"
    local p=$LAST
    # shellcheck disable=SC2086
    restore_one "$set" cb "$CBRESTORE" $CBRESTOREARGS "${CONN[@]}"
    echo "    restore $(fmt "$p" pg_restore)   $(fmt "$LAST" cbrestore)"
  done
  rm -f "$WORK/pg.gz"
}

bench_tables10k() {
  local set=tables10k r
  for r in $(seq 1 "$ROUNDS"); do
    echo "  round $r"
    dump_pair "$set" schema "$PGBIN" "$PGBIN" -s
  done
  same_script "$PGBIN/pg_restore" "$WORK/pg.schema" "$WORK/cb.schema" "$set.schema"
  rm -f "$WORK/pg.schema" "$WORK/cb.schema"
}

for set in $SETS; do
  # Their own servers: scripts/bench-lo.sh and scripts/bench-gpbackup.sh, below.
  [ "$set" = lo100k ] || [ "$set" = gpbackup ] && continue
  echo "== $set: generate"
  start=$(date +%s)
  "gen_$set"
  echo "  generated in $(( $(date +%s) - start )) s; database $("${PSQL[@]}" -d "$set" -At -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
  echo "== $set: $ROUNDS round(s), alternately"
  if [ "$set" = tables10k ]; then bench_tables10k; else bench_data_set "$set"; fi
  "${PSQL[@]}" -c "DROP DATABASE $set"   # room for the next set
done

# ---- the report

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# stat KEY COLUMN (1 wall, 2 rss kB, 3 cpu): the median, or empty
stat_of() { [ -f "$RES/$1.times" ] && cut -d' ' -f"$2" "$RES/$1.times" | median || true; }
max_of() { [ -f "$RES/$1.times" ] && cut -d' ' -f"$2" "$RES/$1.times" | sort -n | tail -n 1 || true; }
val() { [ -f "$RES/$1" ] && cat "$RES/$1" || true; }

ROWS_TXT=$WORK/rows.tsv      # set, mode, pg wall, cb wall, ratio, pg MB, cb MB, pg CPU, cb CPU, pg arch, cb arch
TGT_TXT=$WORK/targets.tsv    # target, measured, result
: > "$ROWS_TXT"; : > "$TGT_TXT"
MISSED=0
label() {
  case $1 in
    gz) echo "dump -Fc (default -Z)" ;; z0) echo "dump -Fc -Z0" ;; zstd) echo "dump -Fc -Z zstd" ;;
    copy) echo "COPY TO STDOUT (psql)" ;; restore) echo "restore -d (default archive)" ;;
    schema) echo "dump -s -Fc" ;;
  esac
}
row() {  # set mode pgkey cbkey
  awk -F'\t' -v OFS='\t' -v s="$1" -v m="$(label "$2")" \
    -v pt="$(stat_of "$3" 1)" -v ct="$(stat_of "$4" 1)" -v pm="$(stat_of "$3" 2)" -v cm="$(stat_of "$4" 2)" \
    -v pc="$(stat_of "$3" 3)" -v cc="$(stat_of "$4" 3)" -v ps="$(val "$3.size")" -v cs="$(val "$4.size")" '
    function n(x, f) { return x == "" ? "n/a" : sprintf(f, x) }
    function mb(x) { return x == "" ? "" : sprintf("%.1f", x / 1048576) }
    BEGIN { print s, m, n(pt, "%.2f"), n(ct, "%.2f"), (pt != "" && ct != "" && pt > 0 ? sprintf("%.2f", ct / pt) : "n/a"),
                  n(pm == "" ? "" : pm / 1024, "%.1f"), n(cm == "" ? "" : cm / 1024, "%.1f"), n(pc, "%.2f"), n(cc, "%.2f"),
                  mb(ps), mb(cs) }' >> "$ROWS_TXT"
}
# target TEXT MEASURED-TEXT OK(1/0/"")
target() {
  local res=n/a
  if [ "$3" = 1 ]; then res=PASS; elif [ "$3" = 0 ]; then res=MISS; MISSED=1; fi
  printf '%s\t%s\t%s\n' "$1" "$2" "$res" >> "$TGT_TXT"
}
ratio_target() {  # text, numerator key, denominator key, limit
  local a b
  a=$(stat_of "$2" 1); b=$(stat_of "$3" 1)
  if [ -z "$a" ] || [ -z "$b" ]; then target "$1" "n/a" ""; return; fi
  target "$1" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2fx (%.2f s / %.2f s)", (b > 0 ? a / b : 0), a, b }')" \
      "$(awk -v a="$a" -v b="$b" -v l="$4" 'BEGIN { print (b > 0 && a / b <= l + 1e-9) ? 1 : 0 }')"
}
bytes_note() {  # KEY: how the two archive files compare (informative)
  local b
  b=$(val "$1.bytediff")
  case $b in
    size*) awk -v l="$b" 'BEGIN { split(l, f, " "); printf "archive files differ: pg %d, cb %d bytes", f[2], f[3] }' ;;
    "") ;;
    *) echo "archive files of equal size, $b bytes differ" ;;
  esac
}
rss_target() {  # text, key, limit MB
  local m
  m=$(max_of "$2" 2)
  [ -n "$m" ] || return 0
  target "$1" "$(awk -v m="$m" 'BEGIN { printf "%.1f MB (highest of the rounds)", m / 1024 }')" \
    "$(awk -v m="$m" -v l="$3" 'BEGIN { print (m < l * 1024) ? 1 : 0 }')"
}

for set in $SETS; do
  if [ "$set" = lo100k ]; then
    echo "== lo100k: scripts/bench-lo.sh (a PostgreSQL 18 of its own)"
    ROWS_OUT=$ROWS_TXT TARGETS_OUT=$TGT_TXT CBDUMP=$CBDUMP CBRESTORE=$CBRESTORE ROUNDS=$ROUNDS SCALE=$SCALE \
      bash scripts/bench-lo.sh || FAILED=1
    grep -q MISS "$TGT_TXT" && MISSED=1
    continue
  fi
  if [ "$set" = gpbackup ]; then
    echo "== gpbackup: scripts/bench-gpbackup.sh (a PostgreSQL of its own)"
    ROWS_OUT=$ROWS_TXT TARGETS_OUT=$TGT_TXT CBDUMP=$CBDUMP CBRESTORE=$CBRESTORE ROUNDS=$ROUNDS PGBIN=$PGBIN \
      ROWS=$(scaled 8000000) bash scripts/bench-gpbackup.sh || FAILED=1
    grep -q MISS "$TGT_TXT" && MISSED=1
    continue
  fi
  if [ "$set" = tables10k ]; then
    row "$set" schema "$set.schema.pg" "$set.schema.cb"
    ratio_target "tables10k ($TABLES tables): cbdump -s -Fc <= 0.5x pg_dump" "$set.schema.cb" "$set.schema.pg" 0.5
    s=$(val "$set.schema.same"); b=$(bytes_note "$set.schema")
    target "tables10k: pg_restore -f - of cbdump's schema archive = pg_dump's" "${s:-n/a}${b:+ ($b)}" "$([ "$s" = yes ] && echo 1 || echo 0)"
    continue
  fi
  for m in gz z0 copy zstd restore; do
    case $m in
      copy) row "$set" copy "$set.copy.pg" "" ;;
      restore) row "$set" restore "$set.restore.pg" "$set.restore.cb" ;;
      *) row "$set" "$m" "$set.$m.pg" "$set.$m.cb" ;;
    esac
  done
  if [ "$set" = pgbench ]; then
    ratio_target "pgbench: cbdump -Fc (default -Z) <= 0.8x pg_dump" pgbench.gz.cb pgbench.gz.pg 0.8
  fi
  if [ "$set" = hard ]; then
    ratio_target "hard: cbdump -Fc (default -Z) <= 0.6x pg_dump" hard.gz.cb hard.gz.pg 0.6
    s=$(val hard.gz.same); b=$(bytes_note hard.gz)
    target "hard: pg_restore -f - of cbdump's default archive = pg_dump's" "${s:-n/a}${b:+ ($b)}" "$([ "$s" = yes ] && echo 1 || echo 0)"
  fi
  ratio_target "$set: cbdump -Fc -Z0 <= 1.1x bare COPY TO STDOUT" "$set.z0.cb" "$set.copy.pg" 1.1
  ratio_target "$set: cbrestore -d <= 0.9x pg_restore -d" "$set.restore.cb" "$set.restore.pg" 0.9
  rss_target "$set: cbdump -Fc (gzip, $CJOBS threads) peak RSS < $GZ_LIMIT_MB MB" "$set.gz.cb" "$GZ_LIMIT_MB"
  rss_target "$set: cbdump -Fc -Z0 peak RSS < $LIMIT_MB MB" "$set.z0.cb" "$LIMIT_MB"
  rss_target "$set: cbdump -Fc -Z zstd peak RSS < $LIMIT_MB MB" "$set.zstd.cb" "$LIMIT_MB"
  rss_target "$set: cbrestore -d peak RSS < $LIMIT_MB MB" "$set.restore.cb" "$LIMIT_MB"
done

HEAD="set	mode	pg s	cb s	cb/pg	pg MB	cb MB	pg CPU s	cb CPU s	pg archive MB	cb archive MB"
INFO="PostgreSQL $PGVER server (local, unix socket), pg_dump/pg_restore $PGVER${ZVER:+ (zstd: pg_dump $ZVER)}; cbdump $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $(nproc) cores; SCALE=$SCALE ROUNDS=$ROUNDS TABLES=$TABLES PGBENCH_SCALE=$PGBENCH_SCALE${CBARGS:+ CBARGS=\"$CBARGS\"}${CBRESTOREARGS:+ CBRESTOREARGS=\"$CBRESTOREARGS\"}"
echo
echo "== medians of $ROUNDS round(s): wall s, peak RSS MB, CPU s (user + system); pg = pg_dump / pg_restore / psql, cb = cbdump / cbrestore"
echo "   $INFO"
{ echo "$HEAD"; cat "$ROWS_TXT"; } | column -t -s $'\t' | sed 's/^/  /'
echo
echo "== targets (issues 8, 18 and 22)"
{ printf 'target\tmeasured\tresult\n'; cat "$TGT_TXT"; } | column -t -s $'\t' | sed 's/^/  /'
echo
echo "== Markdown"
echo
echo "$INFO; medians of $ROUNDS round(s)."
echo
md() { awk -F'\t' -v left="$1" '{ line = "|"; for (i = 1; i <= NF; i++) line = line " " $i " |"; print line
                     if (NR == 1) { line = "|"; for (i = 1; i <= NF; i++) line = line (i > left ? " ---: |" : " --- |"); print line } }'; }
{ echo "$HEAD"; cat "$ROWS_TXT"; } | md 2
echo
{ printf 'target\tmeasured\tresult\n'; cat "$TGT_TXT"; } | md 3

if [ "$FAILED" != 0 ]; then echo "bench.sh: a correctness check failed (see CHECK FAILED above)" >&2; exit 1; fi
if [ "$STRICT" = 1 ] && [ "$MISSED" != 0 ]; then exit 2; fi
exit 0
