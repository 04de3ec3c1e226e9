#!/usr/bin/env bash
# A province's cluster on one machine, from Debian packages, each part its own process
# and everything under one folder (CLUSTER_DIR, default build/cluster), on loopback and
# Unix sockets only:
#   - pg_auto_failover (postgresql-15-auto-failover): a monitor and two PostgreSQL 15
#     data nodes, the standby synchronous (replication-quorum), so that an acknowledged
#     commit is on both; the monitor promotes the standby when the primary dies;
#   - N `essc serve --sandbox` (ESSC_PROCESSES, default 2) on one data folder whose
#     essc.toml names both nodes with target_session_attrs=read-write;
#   - HAProxy in front, sending traffic only to processes whose /readyz says they reach
#     a writable primary;
#   - pgBackRest: a repository in CLUSTER_DIR/pg/backup, the WAL archived from whichever
#     node is primary, a full backup taken at `up`.
# PostgreSQL and pg_autoctl refuse root: invoked as root, they run as `postgres`.
#
#   scripts/cluster.sh up                 start everything (a fresh cluster)
#   scripts/cluster.sh down               stop everything, remove CLUSTER_DIR
#   scripts/cluster.sh status             each part, running or not
#   scripts/cluster.sh failover-test [--short|--long]
#                                         up, tests/cluster/failover_test.py, down
#   scripts/cluster.sh backup             a full backup of the store (pgBackRest)
#   scripts/cluster.sh pitr-restore TIME DIR PORT
#                                         the store as it was at TIME, restored from the
#                                         backups and archived WAL into DIR and started
#                                         alone on PORT (point-in-time recovery)
#   scripts/cluster.sh pitr-test          up, tests/cluster/pitr_test.py, down
#   scripts/cluster.sh start-essc I | stop-essc I | kill-node NAME | start-node NAME
#                                         single parts, for the failover test
#
# Environment: CLUSTER_DIR, CLUSTER_PORT_BASE (default 26400: monitor +0, nodes +1 +2,
# HAProxy +10, essc +11…; below the kernel's ephemeral ports, 32768 and up, which any
# outgoing connection may hold), ESSC_BIN (default build/release/essc), ESSC_PROCESSES.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dir="$(mkdir -p "${CLUSTER_DIR:-$here/build/cluster}" && cd "${CLUSTER_DIR:-$here/build/cluster}" && pwd)"
base="${CLUSTER_PORT_BASE:-26400}"
essc="${ESSC_BIN:-$here/build/release/essc}"
processes="${ESSC_PROCESSES:-2}"
# A cluster brought up with another count keeps it, for `status`.
if [ -z "${ESSC_PROCESSES:-}" ] && [ -f "$dir/processes" ]; then processes=$(cat "$dir/processes"); fi
pgbin="$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
monitor_port=$base
haproxy_port=$((base + 10))
nodes=(node1 node2)
node_port() { echo $((base + ${1#node})); }
essc_port() { echo $((base + 10 + $1)); }
monitor_url="postgres://autoctl_node@127.0.0.1:$monitor_port/pg_auto_failover?sslmode=disable"
store_url="postgresql://postgres@127.0.0.1:$(node_port node1),127.0.0.1:$(node_port node2)/essc?target_session_attrs=read-write&connect_timeout=2"

# pg_autoctl keeps its config and state under XDG folders: inside the cluster folder,
# so that `down` leaves nothing behind and a second cluster does not see the first.
pg_env=(env "PATH=$pgbin:/usr/bin:/bin" "XDG_CONFIG_HOME=$dir/pg/xdg/config" "XDG_DATA_HOME=$dir/pg/xdg/data"
        "XDG_RUNTIME_DIR=$dir/pg/xdg/run" "PGHOST=$dir/pg/sock" "HOME=$dir/pg")
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "${pg_env[@]}" "$@"; else "${pg_env[@]}" "$@"; fi
}
say() { printf '%s cluster: %s\n' "$(date +%H:%M:%S)" "$*"; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
wait_for() {  # wait_for SECONDS WHAT COMMAND…
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq $((seconds * 4))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  say "timed out waiting for $what" >&2
  return 1
}

# A PostgreSQL server sized for a shared 2-core machine, its socket in the cluster
# folder; included after pg_autoctl's own settings, so these win.
server_settings() {
  cat <<EOF
unix_socket_directories = '$dir/pg/sock'
shared_buffers = '128MB'
effective_cache_size = '1GB'
maintenance_work_mem = '64MB'
work_mem = '4MB'
max_connections = 200
EOF
}

# The data nodes archive every WAL segment into the pgBackRest repository (whichever is
# primary; a standby does not archive with archive_mode on), so that the store can be
# restored to any moment since the last full backup.
archive_settings() {
  cat <<EOF
archive_mode = on
archive_command = 'pgbackrest --config=$dir/pg/backup/pgbackrest.conf --stanza=essc archive-push %p'
archive_timeout = 60
EOF
}

# The repository and both data nodes: pgBackRest backs up from the one that is primary.
backup_config() {
  as_pg mkdir -p "$dir/pg/backup/repo" "$dir/pg/backup/log" "$dir/pg/backup/lock" "$dir/pg/backup/spool"
  as_pg tee "$dir/pg/backup/pgbackrest.conf" >/dev/null <<EOF
[global]
repo1-path=$dir/pg/backup/repo
repo1-retention-full=2
log-path=$dir/pg/backup/log
lock-path=$dir/pg/backup/lock
spool-path=$dir/pg/backup/spool
log-level-console=warn
log-level-file=info
start-fast=y

[essc]
pg1-path=$dir/pg/node1
pg1-port=$(node_port node1)
pg1-socket-path=$dir/pg/sock
pg1-user=postgres
pg2-path=$dir/pg/node2
pg2-port=$(node_port node2)
pg2-socket-path=$dir/pg/sock
pg2-user=postgres
EOF
}

backrest() { as_pg pgbackrest --config="$dir/pg/backup/pgbackrest.conf" --stanza=essc "$@"; }

backup() {
  backrest backup --type=full
  say "backup: $(backrest info --output=text | grep -c 'full backup') full backup(s) in $dir/pg/backup/repo"
}

# The store as it was at TIME (any form PostgreSQL reads, with its time zone), restored
# into DIR from the repository and started there alone on PORT: a new primary of its own,
# archiving nothing, for a drill or for copying back what was lost.
pitr_restore() {  # pitr_restore TIME DIR PORT
  local target=$1 pgdata=$2 port=$3
  # The segment holding TIME may still be open on the primary: check switches to a new
  # one and waits until the old one is in the repository.
  backrest check
  as_pg mkdir -p "$pgdata"
  as_pg chmod 0700 "$pgdata"
  backrest --pg1-path="$pgdata" --type=time "--target=$target" --target-action=promote restore
  as_pg "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata.log" -w -t 300 -o \
    "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir/pg/sock -c archive_mode=off -c synchronous_standby_names=''" \
    start >/dev/null
  wait_for 300 "the restored store to finish recovery" recovered "$port"
  say "restored to $target in $pgdata, on 127.0.0.1:$port"
}
recovered() { [ "$(psql_at "$1" postgres 'SELECT pg_is_in_recovery()')" = f ]; }

# The monitor decides faster than its defaults (5 s checks, 20 s until unhealthy, 30 s
# for a lost primary to demote itself): a province wants its store back within seconds,
# and loopback has no network jitter. The demote wait stays above the keepers' network
# partition timeout (3 s, create_node): a primary cut off demotes itself before the
# standby is promoted, so there are never two.
monitor_settings() {
  cat <<EOF
pgautofailover.health_check_period = 1000
pgautofailover.health_check_timeout = 1000
pgautofailover.health_check_max_retries = 1
pgautofailover.health_check_retry_delay = 500
pgautofailover.node_considered_unhealthy_timeout = 4000
pgautofailover.primary_demote_timeout = 5000
EOF
}

run_autoctl() {  # run_autoctl NAME: pg_autoctl run in the background, its pid in pg/NAME.pid
  local name=$1
  as_pg bash -c "setsid nohup pg_autoctl run --pgdata '$dir/pg/$name' >>'$dir/pg/$name.log' 2>&1 & echo \$! >'$dir/pg/$name.pid'"
}

psql_at() {  # psql_at PORT DB SQL
  as_pg "$pgbin/psql" -h "$dir/pg/sock" -p "$1" -U postgres -d "$2" -XAtqc "$3"
}

node_state() {  # the monitor's view of a node: its reported and goal states
  psql_at "$monitor_port" pg_auto_failover \
    "SELECT reportedstate || '/' || goalstate FROM pgautofailover.node WHERE nodename = '$1'" 2>/dev/null
}

state_is() { [ "$(node_state "$1")" = "$2" ]; }
port_closed() { ! "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$1"; }

init_monitor() {
  as_pg "$pgbin/initdb" -D "$dir/pg/monitor" -U postgres -A trust -E UTF8 >"$dir/pg/monitor-initdb.log"
  server_settings | as_pg tee -a "$dir/pg/monitor/postgresql.conf" >/dev/null
  as_pg pg_autoctl create monitor --pgdata "$dir/pg/monitor" --pgport "$monitor_port" --hostname 127.0.0.1 \
    --listen 127.0.0.1 --auth trust --no-ssl >>"$dir/pg/monitor.log" 2>&1
  { server_settings; monitor_settings; } | as_pg tee -a "$dir/pg/monitor/postgresql.conf" >/dev/null
  run_autoctl monitor
  wait_for 60 "the monitor" psql_at "$monitor_port" pg_auto_failover "SELECT 1" || return 1
  # On a loaded machine pg_autoctl's supervisor has been seen to restart the monitor's
  # init service until it gives up, after the monitor first answered: it must still be
  # there a few seconds on.
  sleep 5
  alive "$dir/pg/monitor.pid" && psql_at "$monitor_port" pg_auto_failover "SELECT 1" >/dev/null
}

start_monitor() {
  as_pg mkdir -p "$dir/pg/sock" "$dir/pg/xdg/run"
  # Logs the unprivileged user appends to later, so its own from the start.
  as_pg touch "$dir/pg/monitor.log" "$dir/pg/node1.log" "$dir/pg/node2.log"
  local try
  for try in 1 2 3; do
    init_monitor && return 0
    say "the monitor did not stay up (try $try of 3); see $dir/pg/monitor.log"
    as_pg pg_autoctl stop --pgdata "$dir/pg/monitor" --immediate >/dev/null 2>&1 || true
    for _ in $(seq 40); do alive "$dir/pg/monitor.pid" || break; sleep 0.25; done
    as_pg rm -rf "$dir/pg/monitor" "$dir/pg/xdg/config/pg_autoctl$dir/pg/monitor" \
      "$dir/pg/xdg/data/pg_autoctl$dir/pg/monitor"
  done
  return 1
}

create_node() {  # create_node NAME: a data node; the first becomes primary, the next its standby
  local name=$1
  as_pg pg_autoctl create postgres --pgdata "$dir/pg/$name" --pgport "$(node_port "$name")" \
    --hostname 127.0.0.1 --listen 127.0.0.1 --auth trust --no-ssl --monitor "$monitor_url" \
    --dbname essc --name "$name" --replication-quorum true --candidate-priority 50 >>"$dir/pg/$name.log" 2>&1
  server_settings | as_pg tee -a "$dir/pg/$name/postgresql.conf" >/dev/null
  as_pg pg_autoctl config set --pgdata "$dir/pg/$name" timeout.network_partition_timeout 3 >/dev/null
  run_autoctl "$name"
}

start_postgres() {
  as_pg "$pgbin/initdb" -D "$dir/pg/node1" -U postgres -A trust -E UTF8 >"$dir/pg/node1-initdb.log"
  { server_settings; archive_settings; } | as_pg tee -a "$dir/pg/node1/postgresql.conf" >/dev/null
  create_node node1
  wait_for 120 "node1 as primary" state_is node1 single/single
  create_node node2
  wait_for 300 "node2 as standby" state_is node2 secondary/secondary
  wait_for 120 "node1 to take node2 as its synchronous standby" state_is node1 primary/primary
  # An acknowledged commit is on both nodes: the standby is in the replication quorum,
  # so the primary waits for it (synchronous_standby_names 'ANY 1 (…)'). With a single
  # standby pg_auto_failover keeps number_sync_standbys at 0, which means exactly that
  # while the standby lives and lets the primary go on alone (wait_primary) when it dies;
  # number_sync_standbys 1 takes two standbys.
  wait_for 60 "synchronous replication on node1" sync_standby_set
  say "synchronous_standby_names on the primary: $(psql_at "$(node_port node1)" postgres 'SHOW synchronous_standby_names')"
  backup_config
  backrest stanza-create
  backup
}

sync_standby_set() { [ -n "$(psql_at "$(node_port node1)" postgres 'SHOW synchronous_standby_names')" ]; }

start_essc() {  # start_essc I
  local i=$1 port try
  port=$(essc_port "$i")
  # A process that cannot reach a primary at start-up exits (a node restarting as
  # pg_autoctl applies its replication settings): it is started again, a few times.
  for try in 1 2 3; do
    ESSC_LOG_LEVEL=${ESSC_LOG_LEVEL:-warn} setsid nohup "$essc" serve --data-dir "$dir/essc" \
      --listen "127.0.0.1:$port" --sandbox >>"$dir/essc-$i.log" 2>&1 &
    echo $! >"$dir/essc-$i.pid"
    wait_for 60 "essc $i on port $port" essc_ready "$i" || return 1
    alive "$dir/essc-$i.pid" && return 0
    say "essc $i exited at start-up (try $try); see $dir/essc-$i.log"
    sleep 2
  done
  return 1
}

# Ready, or gone: wait_for stops early when the process has exited.
essc_ready() {
  curl -fsS "http://127.0.0.1:$(essc_port "$1")/readyz" >/dev/null 2>&1 && return 0
  alive "$dir/essc-$1.pid" || return 0
  return 1
}

stop_essc() {  # stop_essc I
  local pidfile="$dir/essc-$1.pid"
  if alive "$pidfile"; then
    kill "$(cat "$pidfile")"
    for _ in $(seq 120); do alive "$pidfile" || break; sleep 0.25; done
  fi
  rm -f "$pidfile"
}

# A balancer's answer in the API's error shape (API.md): when no process is ready, or
# one died with the request (502: its outcome is unknown), the client is told to retry
# with the same order id or idempotency key, as essc itself tells it.
error_file() {  # error_file FILE
  local body='{"error":{"code":"UNAVAILABLE","message":"服务暂时不可用，请稍后重试","message_en":"The service is unavailable for a moment; retry.","hotline":"12333","retry_after":1}}'
  printf 'HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\nRetry-After: 1\r\nCache-Control: no-store\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
    "$(printf '%s' "$body" | wc -c)" "$body" >"$1"
}

start_haproxy() {
  error_file "$dir/haproxy-503.http"
  {
    cat <<EOF
global
  maxconn 2000
  pidfile $dir/haproxy.pid
  log stderr format short local0 warning
defaults
  mode http
  log global
  option httplog
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout queue 5s
  # A request that never reached a process goes to another one; one that reached a
  # process which then died is not sent twice (its signature's nonce is spent).
  retries 3
  retry-on conn-failure
  option redispatch
  # A request sent on an idle server connection reused just as its process died was
  # closed to the client without an answer (HAProxy 2.6: 9 times in 240 kills of a server
  # under load, none in 150 without reuse); on a connection of its own it gets the 503
  # below, with retry_after.
  http-reuse never
  errorfile 502 $dir/haproxy-503.http
  errorfile 503 $dir/haproxy-503.http
  errorfile 504 $dir/haproxy-503.http
frontend essc
  bind 127.0.0.1:$haproxy_port
  default_backend essc
backend essc
  balance leastconn
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2
EOF
    for i in $(seq "$processes"); do
      echo "  server essc$i 127.0.0.1:$(essc_port "$i") check"
    done
  } >"$dir/haproxy.cfg"
  haproxy -c -q -f "$dir/haproxy.cfg"
  haproxy -D -f "$dir/haproxy.cfg" 2>>"$dir/haproxy.log"
  wait_for 30 "HAProxy on port $haproxy_port" curl -fsS "http://127.0.0.1:$haproxy_port/readyz"
}

autoctl_pids() {  # the pg_autoctl supervisor of NAME and every process under it
  local pidfile="$dir/pg/$1.pid" pid
  alive "$pidfile" || return 0
  pid=$(cat "$pidfile")
  local todo=("$pid")
  while ((${#todo[@]})); do
    local next=()
    for p in "${todo[@]}"; do
      echo "$p"
      mapfile -t -O "${#next[@]}" next < <(ps -o pid= --ppid "$p" | tr -d ' ')
    done
    todo=("${next[@]}")
  done
}

# A node's machine dying: its pg_autoctl keeper and its PostgreSQL, all at once, with
# SIGKILL (a PostgreSQL killed alone would be restarted by its keeper within a second).
kill_node() {
  local pids
  mapfile -t pids < <(autoctl_pids "$1")
  ((${#pids[@]})) && kill -9 "${pids[@]}" 2>/dev/null || true
  # Backends notice their postmaster's death by themselves; wait until the port is free.
  wait_for 30 "$1 to be gone" port_closed "$(node_port "$1")"
  rm -f "$dir/pg/$1.pid"
}

# Every port the cluster takes must be free: a part that cannot bind fails late and
# far from its cause (a standby's PostgreSQL, inside pg_autoctl's supervisor).
ports_free() {
  local port taken=()
  for port in "$monitor_port" "$(node_port node1)" "$(node_port node2)" "$haproxy_port" \
      $(for i in $(seq "$processes"); do essc_port "$i"; done); do
    (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null && taken+=("$port")
  done
  ((${#taken[@]} == 0)) || { echo "ports in use: ${taken[*]} (set CLUSTER_PORT_BASE)" >&2; return 1; }
}

# What each part said, for a run that failed before `down` removes the folder.
dump_logs() {
  [ -d "$dir" ] || return 0
  local log
  for log in "$dir"/essc-init.log "$dir"/essc-[0-9]*.log "$dir"/haproxy.log "$dir"/pg/*.log "$dir"/backup/log/*.log; do
    [ -s "$log" ] || continue
    echo "---- $log (last lines)" >&2
    tail -n 15 "$log" >&2
  done
}

up() {
  for tool in pg_autoctl pgbackrest haproxy "$pgbin/initdb" curl; do
    command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/install-deps.sh --tests" >&2; exit 1; }
  done
  [ -x "$essc" ] || { echo "no essc at $essc: cmake --build build/release --target essc" >&2; exit 1; }
  down quiet
  ports_free
  mkdir -p "$dir/pg"
  echo "$processes" >"$dir/processes"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir/pg"; fi
  chmod 0755 "$dir" "$dir/pg"
  say "monitor on 127.0.0.1:$monitor_port"
  start_monitor
  say "data nodes on 127.0.0.1:$(node_port node1) and :$(node_port node2)"
  start_postgres
  say "essc data folder $dir/essc on $store_url"
  # Safe to repeat; repeated while the primary may still restart once for its standby.
  local try
  for try in 1 2 3 4 5; do
    ESSC_LOG_LEVEL=warn "$essc" init --data-dir "$dir/essc" --store-url "$store_url" >>"$dir/essc-init.log" 2>&1 && break
    [ "$try" = 5 ] && { say "essc init failed; see $dir/essc-init.log"; return 1; }
    sleep 2
  done
  for i in $(seq "$processes"); do start_essc "$i"; done
  start_haproxy
  say "up: http://127.0.0.1:$haproxy_port (HAProxy) -> essc on ports $(for i in $(seq "$processes"); do printf '%s ' "$(essc_port "$i")"; done)"
}

down() {
  [ -d "$dir" ] || return 0
  alive "$dir/haproxy.pid" && kill "$(cat "$dir/haproxy.pid")"
  for pidfile in "$dir"/essc-*.pid; do
    [ -e "$pidfile" ] || continue
    local i=${pidfile##*/essc-}
    stop_essc "${i%.pid}"
  done
  if [ -d "$dir/pg/restored" ]; then
    as_pg "$pgbin/pg_ctl" -D "$dir/pg/restored" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  for name in node2 node1 monitor; do
    [ -d "$dir/pg/$name" ] || continue
    as_pg pg_autoctl stop --pgdata "$dir/pg/$name" --immediate >/dev/null 2>&1 || true
    for _ in $(seq 40); do alive "$dir/pg/$name.pid" || break; sleep 0.25; done
    if alive "$dir/pg/$name.pid"; then kill_node "$name"; fi
    as_pg "$pgbin/pg_ctl" -D "$dir/pg/$name" -m immediate -w stop >/dev/null 2>&1 || true
  done
  rm -rf "$dir"
  [ "${1:-}" = quiet ] || say "down: nothing left running"
}

status() {
  local any=1
  if alive "$dir/pg/monitor.pid"; then
    say "monitor: running (pid $(cat "$dir/pg/monitor.pid"), port $monitor_port)"
    as_pg pg_autoctl show state --pgdata "$dir/pg/monitor" 2>/dev/null || true
    any=0
  else
    say "monitor: not running"
  fi
  for name in "${nodes[@]}"; do
    if alive "$dir/pg/$name.pid"; then
      say "$name: running (pid $(cat "$dir/pg/$name.pid"), port $(node_port "$name")), $(node_state "$name")"
      any=0
    else
      say "$name: not running"
    fi
  done
  for i in $(seq "$processes"); do
    if alive "$dir/essc-$i.pid"; then
      local ready
      ready=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(essc_port "$i")/readyz" || true)
      say "essc $i: running (pid $(cat "$dir/essc-$i.pid"), port $(essc_port "$i")), /readyz $ready"
      any=0
    else
      say "essc $i: not running"
    fi
  done
  if alive "$dir/haproxy.pid"; then
    say "haproxy: running (pid $(cat "$dir/haproxy.pid"), port $haproxy_port)"
    any=0
  else
    say "haproxy: not running"
  fi
  return $any
}

# A test's cluster: up, and down when the test's shell exits (the logs first if it failed).
# pg_autoctl's supervisor gives up on a node whose start-up it restarted five times,
# which a loaded machine has been seen to cause: a cluster that does not come up is
# built again, in a process of its own so that each step still stops at a failure.
up_for_test() {
  export ESSC_PROCESSES=$processes CLUSTER_DIR=$dir CLUSTER_PORT_BASE=$base ESSC_BIN=$essc
  trap 'status=$?; [ "$status" -eq 0 ] || dump_logs; down; exit "$status"' EXIT
  local try
  for try in 1 2 3; do
    "$here/scripts/cluster.sh" up && return 0
    [ "$try" = 3 ] && return 1
    say "the cluster did not come up (try $try of 3); again"
    dump_logs
  done
}

failover_test() {
  local mode=${1:---short}
  case "$mode" in
    --short) ;;
    --long) processes=${ESSC_PROCESSES:-3} ;;
    *) echo "usage: $0 failover-test [--short|--long]" >&2; exit 2 ;;
  esac
  up_for_test || return 1
  # The log stays after `down`: scripts/bench.sh postgres reports its figure.
  local log="$here/build/cluster-failover${mode#-}.log"
  mkdir -p "$here/build"
  python3 -u "$here/tests/cluster/failover_test.py" "$mode" --cluster "$here/scripts/cluster.sh" \
    --essc "$essc" --data "$dir/essc" --port "$haproxy_port" --store-url "$store_url" \
    --essc-ports "$(for i in $(seq "$processes"); do printf '%s,' "$(essc_port "$i")"; done)" 2>&1 | tee "$log"
  return "${PIPESTATUS[0]}"
}

pitr_test() {
  up_for_test || return 1
  python3 -u "$here/tests/cluster/pitr_test.py" --cluster "$here/scripts/cluster.sh" \
    --essc "$essc" --data "$dir/essc" --port "$haproxy_port" \
    --essc-ports "$(for i in $(seq "$processes"); do printf '%s,' "$(essc_port "$i")"; done)" \
    --restore-dir "$dir/pg/restored" --restore-port $((base + 20))
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  failover-test) failover_test "${2:-}" ;;
  backup) backup ;;
  pitr-restore) pitr_restore "${2:?time}" "${3:?folder}" "${4:?port}" ;;
  pitr-test) pitr_test ;;
  start-essc) start_essc "${2:?process number}" ;;
  stop-essc) stop_essc "${2:?process number}" ;;
  kill-node) kill_node "${2:?node name}" ;;
  start-node) run_autoctl "${2:?node name}" ;;
  node-state) node_state "${2:?node name}" ;;
  *)
    echo "usage: $0 up|down|status|failover-test [--short|--long]|backup|pitr-restore TIME DIR PORT|pitr-test" >&2
    exit 2
    ;;
esac
