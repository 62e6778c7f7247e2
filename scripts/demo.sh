#!/usr/bin/env bash
# The main job end to end on a throwaway local PostgreSQL that this script starts itself:
# build, create a sample database, dump it, list the archive, restore it, verify.
# cbdump makes the dump (large objects included); cbrestore lists it, writes the restore
# script, and restores it into a fresh database (-d, in one transaction); then both
# databases are compared (schema dump and per-table row checksums).
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/setup.sh
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
. scripts/lib/throwaway-pg.sh
pg_work cbdump-demo

echo "== build"
# The build's output is shown only when it fails (then all of it, so the error is seen).
build() {
  local log
  log=$(mktemp)
  if ! swift build -c release "$@" >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"; echo "demo: the build failed" >&2; exit 1
  fi
  rm -f "$log"
}
build --product cbrestore
build --product cbdump
CBRESTORE=$(swift build -c release --show-bin-path)/cbrestore
CBDUMP=$(swift build -c release --show-bin-path)/cbdump

pg_start

echo "== create a sample database"
"${PSQL[@]}" -c "CREATE DATABASE demo"
"${PSQL[@]}" -d demo <<'SQL'
CREATE SCHEMA shop;
CREATE TABLE shop.customer (id int PRIMARY KEY, name text NOT NULL, note text);
CREATE TABLE shop.orders (id bigserial PRIMARY KEY, customer int REFERENCES shop.customer,
                          amount numeric(12,2), placed timestamptz DEFAULT now());
CREATE INDEX ON shop.orders (customer);
CREATE VIEW shop.totals AS SELECT customer, sum(amount) FROM shop.orders GROUP BY customer;
INSERT INTO shop.customer SELECT g, 'customer ' || g, CASE WHEN g % 7 = 0 THEN E'tab\there' END
  FROM generate_series(1, 1000) g;
INSERT INTO shop.orders (customer, amount, placed)
  SELECT 1 + g % 1000, (g % 9973) / 100.0, '2026-01-01'::timestamptz + g * interval '1 minute'
  FROM generate_series(1, 50000) g;
COMMENT ON TABLE shop.orders IS 'every order ever';
SELECT lo_from_bytea(0, convert_to(repeat('an invoice scan ', 5000), 'UTF8'));
SQL

echo "== dump with cbdump"
"$CBDUMP" -h "$WORK" -p "$PORT" -U postgres -f "$WORK/demo.dump" demo
echo "== the same script as pg_dump's? (pg_restore -f - of both, header lines aside)"
"$PGBIN/pg_dump" -Fc -h "$WORK" -p "$PORT" -U postgres -f "$WORK/pg.dump" demo
if diff <("$PGBIN/pg_restore" -f - "$WORK/pg.dump" | grep -vE '^(\\(un)?restrict |-- Dumped (by|from))') \
        <("$PGBIN/pg_restore" -f - "$WORK/demo.dump" | grep -vE '^(\\(un)?restrict |-- Dumped (by|from))') >/dev/null; then
  echo "identical"
else
  echo "differs from pg_dump's" >&2; exit 1
fi
ls -l "$WORK/demo.dump"

echo "== list with cbrestore -l"
"$CBRESTORE" -l "$WORK/demo.dump" | tee "$WORK/demo.list" | sed -n '1,30p'

echo "== the restore script: cbrestore -f"
"$CBRESTORE" -f "$WORK/demo.sql" "$WORK/demo.dump"
wc -l "$WORK/demo.sql"

echo "== restore: cbrestore -d demo_copy -1"
"${PSQL[@]}" -c "CREATE DATABASE demo_copy"
"$CBRESTORE" -h "$WORK" -p "$PORT" -U postgres -d demo_copy -1 -v "$WORK/demo.dump"

echo "== verify"
for db in demo demo_copy; do
  "$PGBIN/pg_dump" --schema-only -h "$WORK" -p "$PORT" -U postgres "$db" | grep -vE '^\\(un)?restrict ' > "$WORK/$db.schema"
  "${PSQL[@]}" -d "$db" -At -c "
    SELECT 'shop.customer', count(*), md5(string_agg(t::text, ',' ORDER BY t::text)) FROM shop.customer t
    UNION ALL
    SELECT 'shop.orders', count(*), md5(string_agg(t::text, ',' ORDER BY t::text)) FROM shop.orders t
    UNION ALL
    SELECT 'large objects', count(*), md5(string_agg(lo_get(oid)::text, ',' ORDER BY oid)) FROM pg_largeobject_metadata" > "$WORK/$db.data"
done
diff -u "$WORK/demo.schema" "$WORK/demo_copy.schema" && echo "schemas identical"
diff -u "$WORK/demo.data" "$WORK/demo_copy.data" && { echo "data identical:"; sed 's/^/  /' "$WORK/demo.data"; }
echo "== demo passed"
