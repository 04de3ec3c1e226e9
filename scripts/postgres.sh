#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for the test suites: its own data folder and Unix socket,
# no TCP port, run as the unprivileged `postgres` user (the server refuses root), gone
# with `stop`.
#   scripts/postgres.sh start DIR   initdb + start; prints the URL of database `essc`
#   scripts/postgres.sh stop DIR    stop the server and remove DIR
set -euo pipefail
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
action="${1:?start|stop}" dir="${2:?data folder}"
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$action" in
  start)
    # A folder an interrupted run left behind goes first, its server with it.
    if [ -d "$dir/data" ]; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
      rm -rf "$dir"
    fi
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    chmod 0755 "$dir"  # the socket inside must be reachable by the tests' user
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log"
    # Durable commits as in production (fsync on); a small server for a 2-core machine.
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
      "-c listen_addresses='' -k $dir -c max_connections=200 -c shared_buffers=128MB" start >/dev/null
    as_postgres "$bin/createdb" -h "$dir" -U postgres essc
    echo "postgresql:///essc?host=$dir&user=postgres"
    ;;
  stop)
    [ -d "$dir/data" ] && as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
