#!/usr/bin/env bash
# Rebuilds Fixtures/regression/regression.pg15.dump: PostgreSQL 15's regression suite run
# against a throwaway PostgreSQL 15 server, the database it leaves behind trimmed by
# prepare.sql, dumped with pg_dump 15 -Fc -Z9. By hand, as root, on Debian bookworm with
# postgresql-15 and postgresql-server-dev-15 installed (not run by CI). See README.md.
#
#   make.sh SRCDIR [WORKDIR] [PORT]
#     SRCDIR   PostgreSQL 15 source tree (holds src/test/regress), e.g. /tmp/pgsrc/postgresql-15.18
#     WORKDIR  scratch folder, removed first (default /tmp/regress)
#     PORT     port of the throwaway server (default 56432)
set -euo pipefail
SRC="${1:?usage: make.sh SRCDIR [WORKDIR] [PORT]}"
WORK="${2:-/tmp/regress}"
PORT="${3:-56432}"
HERE="$(cd "$(dirname "$0")" && pwd)"
BIN=/usr/lib/postgresql/15/bin
PGC="$BIN/pg_config"
PG_REGRESS="$($PGC --pkglibdir)/pgxs/src/test/regress/pg_regress"
as_pg() { runuser -u postgres -- "$@"; }

rm -rf "$WORK"
mkdir -p "$WORK"/{lib,out,sock}
cp -r "$SRC/src/test/regress" "$WORK/src"

# regress.so, and contrib/spi's autoinc.so and refint.so next to it (--dlpath).
gcc -O2 -fPIC -shared -I"$($PGC --includedir-server)" $($PGC --cflags_sl) \
    "$WORK/src/regress.c" -o "$WORK/lib/regress.so"
cp "$($PGC --pkglibdir)"/{autoinc,refint}.so "$WORK/lib/"

# psql 15.19 and later skip in-line data after a COPY ... FROM STDIN that fails before it
# starts, up to the next \. line; the 15.18 scripts have no data after such a COPY, so
# that psql would swallow the statements that follow. Give each such COPY its (empty) \.
# line. They are found by the expected output: the COPY echoed, then an ERROR, then the
# script's next non-blank line echoed as a statement.
python3 - "$WORK/src" <<'PY'
import os, re, sys
root = sys.argv[1]
for f in sorted(os.listdir(root + "/sql")):
    exp = f"{root}/expected/{f[:-4]}.out"
    if not f.endswith(".sql") or not os.path.exists(exp):
        continue
    el = open(exp, encoding="utf-8", errors="surrogateescape").read().split("\n")
    sl = open(f"{root}/sql/{f}", encoding="utf-8", errors="surrogateescape").read().split("\n")
    used, ins = set(), []
    for i, l in enumerate(sl):
        if not (re.match(r"^\s*copy\b", l, re.I) and re.search(r"\bfrom\s+stdin\b", l, re.I) and ";" in l):
            continue
        m = i + 1
        while m < len(sl) and sl[m].strip() == "":
            m += 1
        nxt = sl[m] if m < len(sl) else None
        for j, e in enumerate(el):
            if j in used or e != l:
                continue
            used.add(j)
            if j + 1 < len(el) and el[j + 1].startswith("ERROR:"):
                k = j + 1
                while k < len(el) and (re.match(r"^(ERROR|DETAIL|HINT|CONTEXT|LINE \d+):", el[k]) or re.match(r"^\s+\^\s*$", el[k])):
                    k += 1
                if k < len(el) and nxt is not None and el[k] == nxt and nxt != "\\.":
                    ins.append(i)
            break
    for i in reversed(ins):
        sl.insert(i + 1, "\\.")
    if ins:
        open(f"{root}/sql/{f}", "w", encoding="utf-8", errors="surrogateescape").write("\n".join(sl))
        print(f"{f}: {len(ins)} COPY statement(s) given a \\. line")
PY

chown -R postgres:postgres "$WORK"
as_pg "$BIN/initdb" -D "$WORK/data" -U postgres --auth=trust -E UTF8 --no-locale --no-sync >"$WORK/initdb.log"
cat >>"$WORK/data/postgresql.conf" <<CONF
port = $PORT
listen_addresses = ''
unix_socket_directories = '$WORK/sock'
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
log_timezone = 'UTC'
lc_messages = 'C'
max_prepared_transactions = 10
CONF
as_pg "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start
trap 'as_pg "$BIN/pg_ctl" -D "$WORK/data" -m fast -w stop' EXIT

# A few tests fail against a newer 15.x server (15.20 here: triggers, rules, alter_table);
# what matters is the database they leave behind.
as_pg "$PG_REGRESS" --host="$WORK/sock" --port="$PORT" --user=postgres \
    --inputdir="$WORK/src" --outputdir="$WORK/out" --dlpath="$WORK/lib" --bindir="$BIN" \
    --schedule="$WORK/src/parallel_schedule" --max-connections=8 >"$WORK/pg_regress.log" 2>&1 || true
grep -E "FAILED|tests (passed|failed)" "$WORK/pg_regress.log" || true

"$BIN/psql" -X -h "$WORK/sock" -p "$PORT" -U postgres -d regression -f "$HERE/prepare.sql"
"$BIN/pg_dump" -h "$WORK/sock" -p "$PORT" -U postgres -Fc -Z9 -f "$HERE/regression.pg15.dump" regression
ls -l "$HERE/regression.pg15.dump"
