#!/usr/bin/env bash
# Huge hostile values (issue 9, "Trust"; not a CI test): on a throwaway PostgreSQL that this
# script starts itself, each case gets its own database, is dumped with cbdump -Fc (and, for
# comparison, pg_dump -Fc), restored with cbrestore -d into a fresh database and compared by
# checksum. Prints wall time and peak RSS (/usr/bin/time) of every dump and restore, the
# archive sizes, and PASS/FAIL per case.
#
#   text500   one 500 MB text value full of backslashes, tabs and newlines (COPY escapes
#             them, so its COPY line is about 715 MB)
#   bytea500  one 500 MB bytea (COPY writes it as hex: a 1 GB line, just under the limit)
#   bytea1g   one ~1000 MB bytea: its hex form (2 GB) is over PostgreSQL's 1 GB allocation
#             limit, so the server cannot output it and pg_dump fails too; the case passes
#             when cbdump fails cleanly with the server's error, as pg_dump does
#   rows10m   10 million tiny rows
#
#   CASES="text500 bytea500 bytea1g rows10m"  PGBIN=/usr/lib/postgresql/15/bin
#   CONFIG=release (or debug: use the already built debug binaries)
set -euo pipefail
cd "$(dirname "$0")/.."

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
CASES=${CASES:-"text500 bytea500 bytea1g rows10m"}
CONFIG=${CONFIG:-release}
. scripts/lib/throwaway-pg.sh
pg_work cbdump-hostile-big

echo "== build ($CONFIG)"
swift build -c "$CONFIG" --product cbdump >/dev/null
swift build -c "$CONFIG" --product cbrestore >/dev/null
BIN=$(swift build -c "$CONFIG" --show-bin-path)
CBDUMP=$BIN/cbdump CBRESTORE=$BIN/cbrestore

PG_FAST=1 pg_start -c max_wal_size=8GB
q() { local db=$1; shift; "${PSQL[@]}" -d "$db" -At -c "$*"; }

run() {  # label, command...: prints "label seconds peak-kB"; returns the command's status
  local label=$1; shift
  local st=0
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || st=$?
  read -r secs kb < <(tail -1 "$WORK/time")
  printf '  %-22s %8.1f s %9d kB peak RSS  (exit %d)\n' "$label" "$secs" "$kb" "$st"
  return $st
}
size() { printf '  %-22s %8d MB\n' "$1" $(( $(stat -c %s "$2") / 1024 / 1024 )); }

checksum() {  # db case
  case $2 in
    text500|bytea500|bytea1g) q "$1" "SELECT id, length(v), md5(v) FROM big ORDER BY id" | tr '\n' ' ' ;;
    rows10m) q "$1" "SELECT count(*), md5(string_agg(md5(t::text), '' ORDER BY id)) FROM tiny t" ;;
  esac
}

status=0
for c in $CASES; do
  echo "== $c"
  q postgres "CREATE DATABASE $c"
  case $c in
    text500)
      # 'ab\c<TAB>d<LF>' is 7 bytes: 74,898,286 of them make 524,288,002 bytes (500 MB).
      q $c "CREATE TABLE big (id int PRIMARY KEY, v text);
            ALTER TABLE big ALTER v SET STORAGE EXTERNAL;
            INSERT INTO big VALUES (1, repeat(E'ab\\\\c\\td\\n', 74898286)), (2, E'\\\\.\\n\\\\! touch /tmp/PWNED')" ;;
    bytea500)
      q $c "CREATE TABLE big (id int PRIMARY KEY, v bytea);
            ALTER TABLE big ALTER v SET STORAGE EXTERNAL;
            INSERT INTO big SELECT 1, decode(repeat('00ff5c0a0d09', 87381333), 'hex')" ;;
    bytea1g)
      q $c "CREATE TABLE big (id int PRIMARY KEY, v bytea);
            ALTER TABLE big ALTER v SET STORAGE EXTERNAL;
            INSERT INTO big SELECT 1, decode(repeat('00ff5c0a0d09', 87381333), 'hex');
            UPDATE big SET v = v || v" ;;
    rows10m)
      q $c "CREATE TABLE tiny (id int PRIMARY KEY, v smallint);
            INSERT INTO tiny SELECT g, g % 7 FROM generate_series(1, 10000000) g" ;;
  esac
  q $c "VACUUM ANALYZE"
  echo "  source: $(q $c "SELECT pg_size_pretty(pg_database_size('$c'))"), checksum $(checksum $c $c)"

  pg_st=0; run "pg_dump -Fc" "$PGBIN/pg_dump" -Fc "${CONN[@]}" -d $c -f "$WORK/$c.pg.dump" || pg_st=$?
  [ $pg_st = 0 ] && size "pg_dump archive" "$WORK/$c.pg.dump" || echo "  pg_dump: $(tail -1 "$WORK/err")"
  cb_st=0; run "cbdump -Fc" "$CBDUMP" -Fc "${CONN[@]}" -d $c -f "$WORK/$c.cb.dump" || cb_st=$?
  if [ $cb_st != 0 ]; then
    echo "  cbdump: $(tail -1 "$WORK/err")"
    if [ $c = bytea1g ] && [ $pg_st != 0 ]; then
      echo "  PASS $c: both refuse (the server cannot output a bytea whose hex form exceeds 1 GB)"
    else
      echo "  FAIL $c: cbdump failed"; status=1
    fi
    q postgres "DROP DATABASE $c"; rm -f "$WORK/$c".*; continue
  fi
  size "cbdump archive" "$WORK/$c.cb.dump"
  [ $c = bytea1g ] && [ $pg_st != 0 ] && { echo "  FAIL $c: cbdump succeeded where pg_dump failed"; status=1; }

  q postgres "CREATE DATABASE ${c}_back"
  if run "cbrestore -d" "$CBRESTORE" "${CONN[@]}" -d ${c}_back --exit-on-error "$WORK/$c.cb.dump"; then
    a=$(checksum $c $c) b=$(checksum ${c}_back $c)
    if [ "$a" = "$b" ]; then echo "  PASS $c: checksums match"; else echo "  FAIL $c: $a vs $b"; status=1; fi
  else
    echo "  cbrestore: $(tail -3 "$WORK/err")"; echo "  FAIL $c: cbrestore failed"; status=1
  fi
  q postgres "DROP DATABASE $c"; q postgres "DROP DATABASE ${c}_back"; rm -f "$WORK/$c".*
done
exit $status
