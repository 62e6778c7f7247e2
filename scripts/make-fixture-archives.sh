#!/usr/bin/env bash
# Regenerates the committed archive fixtures in Fixtures/archives/.
#
# Starts a throwaway PostgreSQL 15 cluster (removed again on exit), creates
# database `fixturedb`, loads Fixtures/schemas/01_basics.sql and
# Fixtures/archives/small.sql into it, and then, for each pg_dump major that
# is available (15, 16, 17, 18), writes into Fixtures/archives/:
#
#   small-pg<M>.custom.dump        custom format, default (gzip) compression
#   small-pg<M>.custom-z0.dump     custom format, -Z0
#   small-pg<M>.custom-lz4.dump    custom format, -Z lz4    (16+)
#   small-pg<M>.custom-zstd.dump   custom format, -Z zstd   (16+)
#   small-pg<M>.tar                tar format
#   small-pg<M>.dir/               directory format, default (gzip) compression
#
# and, for each archive <A>, the output of the same major's pg_restore:
#
#   <A>.list   pg_restore -l <A>
#   <A>.sql    pg_restore --restrict-key=FIXTUREKEY -f - <A>
#
# plus Fixtures/archives/README.md naming the versions used. Everything runs
# with TZ=UTC (pg_restore -l prints the archive's creation time in local time).
#
# Binaries:
#   15      ${CBDUMP_PG15_BIN:-/usr/lib/postgresql/15/bin} (server and client)
#   16-18   ${CBDUMP_PG_CACHE:-/var/tmp/cbdump-pg}/<major>/bin (filled by
#           scripts/fetch-pg-binaries.sh), else /tmp/pgx/<version>/postgresql-*/bin;
#           a major found in neither place is skipped with a message.
#
# Environment: CBDUMP_FIXTURE_PORT (default 54399) is the throwaway server's
# port; it listens on a Unix socket in its temporary folder only. When run as
# root, the server runs as the `postgres` OS user (initdb refuses root).
#
# Usage: scripts/make-fixture-archives.sh
set -euo pipefail

export TZ=UTC
export LC_ALL=C
export PGTZ=UTC
unset PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS 2>/dev/null || true

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/Fixtures/archives"
CACHE="${CBDUMP_PG_CACHE:-/var/tmp/cbdump-pg}"
PG15_BIN="${CBDUMP_PG15_BIN:-/usr/lib/postgresql/15/bin}"
PORT="${CBDUMP_FIXTURE_PORT:-54399}"
KEY=FIXTUREKEY
DB=fixturedb
MAJORS=(15 16 17 18)

log() { echo "make-fixture-archives: $*"; }
die() { echo "make-fixture-archives: error: $*" >&2; exit 1; }

# Prints the bin folder of a PostgreSQL major, or fails.
bin_for() {
    local major="$1" d
    if [ "$major" = 15 ]; then
        d="$PG15_BIN"
        [ -x "$d/pg_dump" ] && { echo "$d"; return 0; }
        return 1
    fi
    d="$CACHE/$major/bin"
    [ -x "$d/pg_dump" ] && [ -x "$d/pg_restore" ] && { echo "$d"; return 0; }
    for d in /tmp/pgx/"$major".*/postgresql-"$major".*/bin; do
        [ -x "$d/pg_dump" ] && [ -x "$d/pg_restore" ] && { echo "$d"; return 0; }
    done
    return 1
}

# Major version of a PostgreSQL program, from its --version output.
major_of() {
    "$1" --version | sed -E 's/^[^0-9]*([0-9]+).*/\1/'
}

[ -x "$PG15_BIN/initdb" ] && [ -x "$PG15_BIN/pg_ctl" ] && [ -x "$PG15_BIN/psql" ] \
    || die "PostgreSQL 15 server binaries not found in $PG15_BIN (set CBDUMP_PG15_BIN)"
[ -f "$ROOT/Fixtures/schemas/01_basics.sql" ] || die "missing Fixtures/schemas/01_basics.sql"
[ -f "$OUT/small.sql" ] || die "missing Fixtures/archives/small.sql"

if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' OS user for the server"
    as_server() { runuser -u postgres -- "$@"; }
else
    as_server() { "$@"; }
fi

WORK="$(mktemp -d /tmp/cbdump-fixtures.XXXXXX)"
chmod 755 "$WORK"
[ "$(id -u)" = 0 ] && chown postgres "$WORK"
PGDATA_DIR="$WORK/data"
SERVER_STARTED=0

cleanup() {
    local rc=$?
    if [ "$SERVER_STARTED" = 1 ]; then
        as_server "$PG15_BIN/pg_ctl" -D "$PGDATA_DIR" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "starting a throwaway PostgreSQL 15 server in $WORK (port $PORT)"
as_server "$PG15_BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --no-locale \
    >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
as_server "$PG15_BIN/pg_ctl" -D "$PGDATA_DIR" -w -l "$WORK/server.log" \
    -o "-p $PORT -c unix_socket_directories=$WORK -c listen_addresses='' -c timezone=UTC -c fsync=off" \
    start >/dev/null || { cat "$WORK/server.log" >&2; die "server did not start"; }
SERVER_STARTED=1

CONN=(-h "$WORK" -p "$PORT" -U postgres)
psql15() { "$PG15_BIN/psql" -X -q -v ON_ERROR_STOP=1 "${CONN[@]}" "$@"; }

psql15 -d postgres -c "CREATE DATABASE $DB TEMPLATE template0 ENCODING 'UTF8'"
for f in "$ROOT/Fixtures/schemas/01_basics.sql" "$OUT/small.sql"; do
    log "loading ${f#"$ROOT"/}"
    psql15 -d "$DB" -f "$f" >/dev/null
done
SERVER_VERSION="$(psql15 -d "$DB" -Atc 'SHOW server_version')"

log "removing previous outputs"
rm -rf "$OUT"/small-pg*

declare -a USED=()
for major in "${MAJORS[@]}"; do
    if ! bin="$(bin_for "$major")"; then
        log "PostgreSQL $major binaries not found (looked in $CACHE/$major/bin and /tmp/pgx): skipped"
        continue
    fi
    [ "$(major_of "$bin/pg_dump")" = "$major" ] || die "$bin/pg_dump is not version $major"
    [ "$(major_of "$bin/pg_restore")" = "$major" ] || die "$bin/pg_restore is not version $major"
    help="$("$bin/pg_restore" --help)"
    [[ "$help" == *--restrict-key* ]] \
        || die "$bin/pg_restore has no --restrict-key option (too old a minor release)"

    variants=("custom.dump:-Fc" "custom-z0.dump:-Fc -Z0")
    if [ "$major" -ge 16 ]; then
        variants+=("custom-lz4.dump:-Fc -Z lz4" "custom-zstd.dump:-Fc -Z zstd")
    fi
    variants+=("tar:-Ft" "dir:-Fd")

    for v in "${variants[@]}"; do
        name="small-pg$major.${v%%:*}"
        read -r -a opts <<<"${v#*:}"
        archive="$OUT/$name"
        log "pg_dump $major ${opts[*]} -> $name"
        "$bin/pg_dump" "${CONN[@]}" "${opts[@]}" -f "$archive" "$DB"
        "$bin/pg_restore" -l "$archive" >"$archive.list"
        "$bin/pg_restore" --restrict-key="$KEY" -f - "$archive" >"$archive.sql"
    done
    USED+=("$major|$("$bin/pg_dump" --version)|$("$bin/pg_restore" --version)")
done

[ ${#USED[@]} -gt 0 ] || die "no pg_dump found at all"

# Size check: the committed archives should stay small.
while IFS= read -r -d '' a; do
    size="$(du -sk "$a" | cut -f1)"
    if [ "$size" -gt 100 ]; then
        log "warning: $(basename "$a") is ${size} kB (> 100 kB)"
    fi
done < <(find "$OUT" -maxdepth 1 -name 'small-pg*' ! -name '*.list' ! -name '*.sql' -print0)

{
    cat <<EOF
# Archive fixtures

Generated by \`scripts/make-fixture-archives.sh\`, which rewrites every file
here (this README included) except \`small.sql\`, the hand-written schema it
loads. Do not edit the generated files by hand; rerun the script.

Source database: \`$DB\` on a throwaway PostgreSQL server $SERVER_VERSION
(initdb -E UTF8 --no-locale, timezone=UTC), loaded with
\`Fixtures/schemas/01_basics.sql\` and \`Fixtures/archives/small.sql\`.

All commands ran with \`TZ=UTC\` (pg_restore -l prints "Archive created at"
in local time) and \`LC_ALL=C\`.

## Files

For each pg_dump major M:

| archive | made with |
| --- | --- |
| \`small-pgM.custom.dump\` | \`pg_dump -Fc\` (default compression: gzip) |
| \`small-pgM.custom-z0.dump\` | \`pg_dump -Fc -Z0\` |
| \`small-pgM.custom-lz4.dump\` | \`pg_dump -Fc -Z lz4\` (16+) |
| \`small-pgM.custom-zstd.dump\` | \`pg_dump -Fc -Z zstd\` (16+) |
| \`small-pgM.tar\` | \`pg_dump -Ft\` |
| \`small-pgM.dir/\` | \`pg_dump -Fd\` (default compression: gzip) |

and for each archive \`A\`, produced by pg_restore of the same major:

- \`A.list\`: \`pg_restore -l A\`
- \`A.sql\`: \`pg_restore --restrict-key=$KEY -f - A\`

Exact command lines (\`\$BIN\` is the major's bin folder, \`\$SOCK\` the
throwaway server's socket folder):

\`\`\`
TZ=UTC LC_ALL=C \$BIN/pg_dump -h \$SOCK -p $PORT -U postgres <options above> -f A $DB
TZ=UTC LC_ALL=C \$BIN/pg_restore -l A > A.list
TZ=UTC LC_ALL=C \$BIN/pg_restore --restrict-key=$KEY -f - A > A.sql
\`\`\`

## Versions used

| major | pg_dump | pg_restore |
| --- | --- | --- |
EOF
    for u in "${USED[@]}"; do
        IFS='|' read -r m d r <<<"$u"
        echo "| $m | $d | $r |"
    done
    cat <<'EOF'

## Notes

- The PostgreSQL 15 server used here (Debian's 15.x build) stores a
  `pg_attver` attribute option on every column. pg_dump 15 from the same
  build hides it, but the upstream pg_dump 16, 17 and 18 binaries dump it, so
  the pg16-pg18 archives contain lines such as
  `ALTER TABLE ONLY data.tiny ALTER COLUMN id SET (pg_attver=...);`. They are
  what those pg_dump versions really produce against that server; only a
  restore into a server that does not know the option would reject them.
- pg_dump 16 and later, dumping a pre-16 server, are newer than the server:
  their output is meant for servers of their own major or later.
EOF
} >"$OUT/README.md"

log "done:"
du -sk "$OUT"/small-pg* | sort -k2 | sed 's/^/    /'
