#!/usr/bin/env bash
# Memory benchmark of cbrestore -d (not a test): a table of about 1 GB of COPY text is dumped
# with pg_dump -Fc and restored into fresh databases by pg_restore and by cbrestore (release
# build, serially and with -j 2), on a throwaway PostgreSQL that this script starts itself.
# Prints wall time and peak resident memory (/usr/bin/time) of each, checks the row counts
# and that cbrestore stayed under 64 MB.
#   ROWS=5000000 (about 1 GB of table data)   PGBIN=/usr/lib/postgresql/15/bin
set -euo pipefail
cd "$(dirname "$0")/.."

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
ROWS=${ROWS:-5000000}
LIMIT_KB=$((64 * 1024))
. scripts/lib/throwaway-pg.sh
pg_work cbrestore-bench

echo "== build (release)"
swift build -c release --product cbrestore >/dev/null
CBRESTORE=$(swift build -c release --show-bin-path)/cbrestore

PG_FAST=1 pg_start -c max_wal_size=4GB

echo "== generate $ROWS rows"
"${PSQL[@]}" -c "CREATE DATABASE src"
"${PSQL[@]}" -d src <<SQL
CREATE TABLE big (id bigint PRIMARY KEY, label text, payload text, amount numeric(14,2), at timestamptz);
INSERT INTO big
  SELECT g, 'row ' || g, repeat(md5(g::text), 5), (g % 1000003) / 100.0, '2026-01-01'::timestamptz + g * interval '1 second'
  FROM generate_series(1, $ROWS) g;
SQL
COPY_BYTES=$("${PSQL[@]}" -d src -At -c "SELECT sum(length(b::text) + 1) FROM big b")
echo "table data as COPY text: $((COPY_BYTES / 1024 / 1024)) MB"

echo "== pg_dump -Fc"
"$PGBIN/pg_dump" -Fc -Z1 "${CONN[@]}" -f "$WORK/big.dump" src
ls -l "$WORK/big.dump"

run() {  # label, command...: prints "label seconds peak-kB"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  read -r secs kb < "$WORK/time"
  printf '%-28s %8.1f s %8d kB peak RSS\n' "$label" "$secs" "$kb"
  echo "$kb" > "$WORK/kb"
}

echo "== restore"
status=0
for tool in pg_restore cbrestore "cbrestore -j 2"; do
  db=dst_$RANDOM
  "${PSQL[@]}" -c "CREATE DATABASE $db"
  case $tool in
    pg_restore) run "$tool" "$PGBIN/pg_restore" "${CONN[@]}" -d "$db" "$WORK/big.dump" ;;
    cbrestore) run "$tool" "$CBRESTORE" "${CONN[@]}" -d "$db" "$WORK/big.dump" ;;
    *) run "$tool" "$CBRESTORE" "${CONN[@]}" -d "$db" -j 2 "$WORK/big.dump" ;;
  esac
  rows=$("${PSQL[@]}" -d "$db" -At -c "SELECT count(*) FROM big")
  [ "$rows" = "$ROWS" ] || { echo "$tool: $rows rows, expected $ROWS" >&2; status=1; }
  if [ "$tool" != pg_restore ] && [ "$(cat "$WORK/kb")" -ge "$LIMIT_KB" ]; then
    echo "$tool: peak RSS not under 64 MB" >&2; status=1
  fi
  "${PSQL[@]}" -c "DROP DATABASE $db"
done
exit $status
