# Sourced by the scripts that run on a throwaway local PostgreSQL (demo, bench, bench-dump,
# bench-restore, hostile-big). Needs PGBIN (the server's bin folder).
#
#   pg_work NAME        makes $WORK (a fresh /tmp/NAME-XXXXXX, or under $TMPDIR), picks a free
#                       $PORT, and arranges that the server is stopped and $WORK removed at
#                       exit (an interrupt exits with 130, through the same clean-up)
#   pg_start [OPT...]   initdb in $WORK/data and start the server on a unix socket in $WORK
#                       only, with the server options OPT (each "-c name=value");
#                       sets CONN (libpq arguments) and PSQL (psql with ON_ERROR_STOP)
#   PG_FAST=1           for pg_start: no fsync, no synchronous commit, no full-page writes,
#                       initdb --no-sync (benchmarks: durability is not what they measure)
#   as_pg CMD...        runs CMD as the postgres OS user when we are root (initdb refuses root)

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_work() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1-XXXXXX")
  chmod 755 "$WORK"
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  trap _pg_cleanup EXIT
  trap 'exit 130' INT TERM
}

_pg_cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$WORK/data" stop -m immediate >/dev/null 2>&1 || true
  rm -rf "$WORK"
}

pg_start() {
  local initdb_opts=() server=(-c "unix_socket_directories=$WORK" -c "listen_addresses=''")
  if [ "${PG_FAST:-0}" = 1 ]; then
    initdb_opts=(--no-sync)
    server+=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
  fi
  server+=("$@")
  echo "== start a throwaway PostgreSQL in $WORK (port $PORT)"
  if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; fi
  as_pg "$PGBIN/initdb" -D "$WORK/data" -U postgres --auth=trust -E UTF8 --no-locale "${initdb_opts[@]}" >/dev/null
  as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/log" -w start -o "-p $PORT ${server[*]}" >/dev/null
  CONN=(-h "$WORK" -p "$PORT" -U postgres)
  PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "${CONN[@]}")
}
