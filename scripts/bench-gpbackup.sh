#!/usr/bin/env bash
# Benchmark (not a test) of issue 18's target: restoring a gpbackup set through one connection
# takes at most 1.1 times as long as cbrestore -d of an equivalent custom archive. On a
# throwaway PostgreSQL this script starts itself, a table of about 1 GB of CSV is written as a
# 2-segment gpbackup set the way gpbackup writes it (COPY ... TO PROGRAM 'gzip -1 > file' WITH
# CSV, one file per segment, with its config.yaml, toc.yaml and metadata.sql) and as a custom
# archive (cbdump -Fc -Z1); both are restored ROUNDS times, alternately, into fresh databases.
# Prints the medians, the ratio, cbrestore's peak memory, and checks the row counts.
# scripts/bench.sh runs it for SETS=gpbackup with ROWS_OUT and TARGETS_OUT set, files to which
# it appends its row and target in bench.sh's layout.
#   ROWS=8000000   ROUNDS=3   PGBIN=/usr/lib/postgresql/15/bin   CBRESTORE=/CBDUMP= (default: release build)
set -euo pipefail
cd "$(dirname "$0")/.."

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
ROWS=${ROWS:-8000000}
ROUNDS=${ROUNDS:-3}
. scripts/lib/throwaway-pg.sh
pg_work cbrestore-gpbackup-bench

if [ -z "${CBRESTORE:-}" ] || [ -z "${CBDUMP:-}" ]; then
  echo "== build (release)"
  swift build -c release --product cbrestore >/dev/null
  swift build -c release --product cbdump >/dev/null
  CBRESTORE=$(swift build -c release --show-bin-path)/cbrestore
  CBDUMP=$(swift build -c release --show-bin-path)/cbdump
fi

PG_FAST=1 pg_start -c max_wal_size=4GB

echo "== generate $ROWS rows"
"${PSQL[@]}" -c "CREATE DATABASE src"
"${PSQL[@]}" -d src <<SQL
CREATE TABLE public.big (id bigint, label text, payload text, amount numeric(14,2), at timestamptz);
INSERT INTO public.big
  SELECT g, 'row ' || g, repeat(md5(g::text), 3), (g % 1000003) / 100.0, '2026-01-01'::timestamptz + g * interval '1 second'
  FROM generate_series(1, $ROWS) g;
SQL

echo "== the gpbackup set (2 segments, gzip -1) and the custom archive (cbdump -Fc -Z1)"
TS=20260101000000
SET=$WORK/set
mkdir -p "$SET"
if [ "$(id -u)" = 0 ]; then chown postgres "$SET"; fi
for c in 0 1; do
  "${PSQL[@]}" -d src -c "COPY (SELECT id, label, payload, amount, at FROM public.big WHERE id % 2 = $c) TO PROGRAM 'gzip -c -1 > $SET/gpbackup_${c}_${TS}_16400.gz' WITH CSV DELIMITER ','"
done
meta=$SET/gpbackup_${TS}_metadata.sql
printf "\n\nSET client_encoding = 'UTF8';\n" > "$meta"
s1=$(stat -c %s "$meta")
printf '\n\nCREATE TABLE public.big (\n\tid bigint,\n\tlabel text,\n\tpayload text,\n\tamount numeric(14,2),\n\tat timestamp with time zone\n) DISTRIBUTED BY (id);\n' >> "$meta"
s2=$(stat -c %s "$meta")
cat > "$SET/gpbackup_${TS}_toc.yaml" <<EOF
globalentries:
- schema: ""
  name: ""
  objecttype: SESSION GUCS
  referenceobject: ""
  startbyte: 0
  endbyte: $s1
predataentries:
- schema: public
  name: big
  objecttype: TABLE
  referenceobject: ""
  startbyte: $s1
  endbyte: $s2
postdataentries: []
statisticsentries: []
dataentries:
- schema: public
  name: big
  oid: 16400
  attributestring: (id,label,payload,amount,at)
  rowscopied: $ROWS
  partitionroot: ""
incrementalmetadata:
  ao: {}
EOF
cat > "$SET/gpbackup_${TS}_config.yaml" <<EOF
backupversion: 1.30.5
compressed: true
compressiontype: gzip
databasename: src
databaseversion: 7.0.0 build bench
segmentcount: 2
incremental: false
plugin: ""
singledatafile: false
timestamp: "$TS"
EOF
"$CBDUMP" -Fc -Z1 "${CONN[@]}" -f "$WORK/big.dump" src
du -sh "$SET" "$WORK/big.dump"

run() {  # label, command...: appends "seconds peak-kB" to $WORK/<label>
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  cat "$WORK/time" >> "$WORK/$label"
}

echo "== restore, $ROUNDS rounds"
status=0
for r in $(seq "$ROUNDS"); do
  for kind in custom gpbackup; do
    db=dst_$RANDOM
    "${PSQL[@]}" -c "CREATE DATABASE $db"
    if [ $kind = custom ]; then run custom "$CBRESTORE" "${CONN[@]}" -d "$db" "$WORK/big.dump"
    else run gpbackup "$CBRESTORE" "${CONN[@]}" -d "$db" --no-gp-syntax "$SET"; fi
    rows=$("${PSQL[@]}" -d "$db" -At -c "SELECT count(*) FROM big")
    [ "$rows" = "$ROWS" ] || { echo "$kind: $rows rows, expected $ROWS" >&2; status=1; }
    "${PSQL[@]}" -c "DROP DATABASE $db"
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
c=$(cut -d' ' -f1 "$WORK/custom" | median); g=$(cut -d' ' -f1 "$WORK/gpbackup" | median)
ck=$(cut -d' ' -f2 "$WORK/custom" | sort -n | tail -1); gk=$(cut -d' ' -f2 "$WORK/gpbackup" | sort -n | tail -1)
ratio=$(awk -v a="$g" -v b="$c" 'BEGIN {printf "%.2f", a / b}')
printf 'cbrestore -d custom archive: median %s s, peak %s kB\n' "$c" "$ck"
printf 'cbrestore -d gpbackup set:   median %s s, peak %s kB\n' "$g" "$gk"
verdict=$(awk -v r="$ratio" 'BEGIN {print (r <= 1.10) ? "PASS" : "MISS"}')
printf 'ratio gpbackup / custom: %s (target <= 1.10): %s\n' "$ratio" "$verdict"
if [ -n "${ROWS_OUT:-}" ]; then
  # bench.sh's columns: the custom archive's restore stands where pg_restore's would.
  awk -v OFS='\t' -v c="$c" -v g="$g" -v r="$ratio" -v ck="$ck" -v gk="$gk" -v n="$ROWS" 'BEGIN {
    print "gpbackup (" n " rows)", "cbrestore -d: custom archive (pg columns) / set (cb columns)", c, g, r,
          sprintf("%.1f", ck / 1024), sprintf("%.1f", gk / 1024), "", "", "", "" }' >> "$ROWS_OUT"
  printf '%s\t%s\t%s\n' "gpbackup: cbrestore -d of a set <= 1.1x of an equivalent custom archive" \
    "${ratio}x ($g s / $c s)" "$verdict" >> "${TARGETS_OUT:?}"
fi
exit $status
