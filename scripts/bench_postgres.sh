#!/usr/bin/env bash
# The PostgreSQL part of the benchmarks (scripts/bench.sh postgres): essc's scenarios
# (status read, QR issuance, identity, settlement, session) on a folder of 10,000 seeded
# persons whose store is one PostgreSQL 15 server (scripts/postgres.sh: fsync on, Unix
# socket), first through one `essc serve` and then through two on the same store, both
# behind HAProxy as in the cluster; and in the same run PostgreSQL's own benchmark on
# that same server: pgbench's built-in tpcb-like and select-only scripts at the clients
# essc-load uses. Prints the measure lines (with the round trips a status read and a
# settlement waited for, from the processes' /metrics), then `ratio pg_settle_vs_pgbench_tpcb`,
# `ratio pg_status_vs_pgbench_select`, `ratio pg_two_vs_one_process`, the machine's idle
# CPU share while settlements ran (`figure pg_settle_idle_pct_1`, `_2`: well above zero
# means they wait on something other than the cores) and, from the last
# `scripts/cluster.sh failover-test` log in BENCH_DIR (or a short one run now with
# FAILOVER=1), `figure pg_failover_unavailable_s`.
#
# Environment: BUILD_DIR (build/release), BENCH_DIR (build/bench-postgres),
# SCENARIO_SECONDS (10), PERSONS (10000), BENCH_PORT_BASE (18180), FAILOVER (0|1).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build/release}
work=$(realpath -m "${BENCH_DIR:-build/bench-postgres}")
seconds=${SCENARIO_SECONDS:-10}
persons=${PERSONS:-10000}
port_base=${BENCH_PORT_BASE:-18180}
front=$port_base
clients=64  # essc-load's connections for reads, QR codes and settlements
essc=$build/essc
load=$build/bench/essc-load
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
for tool in "$essc" "$load" "$pgbin/pgbench"; do
  [ -x "$tool" ] || { echo "missing $tool (cmake --build $build --target essc essc_load; scripts/install-deps.sh --tests)" >&2; exit 1; }
done
command -v haproxy > /dev/null || { echo "missing haproxy: scripts/install-deps.sh --tests" >&2; exit 1; }

pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
  pids=()
  if [ -f "$work/haproxy.pid" ]; then kill "$(cat "$work/haproxy.pid")" 2> /dev/null || true; rm -f "$work/haproxy.pid"; fi
}
cleanup() { stop_all; scripts/postgres.sh stop "$work/pg" > /dev/null 2>&1 || true; }
trap cleanup EXIT

rm -rf "$work"
mkdir -p "$work"
chmod 0755 "$work"
results=$work/results.txt
: > "$results"
echo "machine: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB, load average $(cut -d' ' -f1-3 /proc/loadavg)" |
  tee "$work/machine.txt"
url=$(scripts/postgres.sh start "$work/pg")
socket_dir=$work/pg
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# essc's folder: seeded on SQLite (`essc seed` writes SQLite's bulk path), moved to that
# server by `essc store copy` as a city moving to PostgreSQL would, then served by one
# process and by two.
"$essc" seed --data-dir "$work/essc" --persons "$persons" > /dev/null
start=$(date +%s.%N)
"$essc" store copy --data-dir "$work/essc" --to "$url" > "$work/store-copy.log"
echo "measure name=store_copy_pg value=$(awk "BEGIN { print $(date +%s.%N) - $start }")" | tee -a "$results"
# The second run settles on the same e-cards the same day: the daily limit per e-card
# (POLICY.md: 20) is lifted, as for the soak, so both runs measure settlements.
sed -i -E 's/^(daily_settlement_limit|settlements_per_hour_max|institutions_per_day_max) = .*/\1 = 10000/' "$work/essc/policies/330200.toml"

haproxy_for() {  # haproxy_for N: HAProxy on $front in front of N processes
  {
    cat << EOF
global
  maxconn 4000
  pidfile $work/haproxy.pid
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
frontend essc
  bind 127.0.0.1:$front
  default_backend essc
backend essc
  balance leastconn
EOF
    for i in $(seq "$1"); do echo "  server essc$i 127.0.0.1:$((front + i))"; done
  } > "$work/haproxy.cfg"
  haproxy -D -f "$work/haproxy.cfg"
}

serve_processes() {  # serve_processes N LABEL: N processes behind HAProxy, the scenarios through it
  local n=$1 label=$2
  for i in $(seq "$n"); do
    ESSC_LOG_LEVEL=warn "$essc" serve --data-dir "$work/essc" --listen "127.0.0.1:$((front + i))" \
      > "$work/serve-$label-$i.out" 2> "$work/serve-$label-$i.log" &
    pids+=($!)
    for _ in $(seq 300); do
      curl -fsS "http://127.0.0.1:$((front + i))/readyz" > /dev/null 2>&1 && break
      sleep 0.1
    done
  done
  haproxy_for "$n"
  sleep 1
  local metrics=()
  for i in $(seq "$n"); do metrics+=(--metrics-port "$((front + i))"); done
  # Each run gets fresh order ids and sessions of its own (essc-load's prefixes), so
  # the second run does not meet the first one's settlements.
  "$load" essc --port "$front" --credentials "$work/essc/seed-credentials.txt" --label "$label" \
    --server-pid "${pids[0]}" "${metrics[@]}" --seconds "$seconds" | tee -a "$results"
  stop_all
}

serve_processes 1 pg1
serve_processes 2 pg2

# pgbench on the same server, in a database of its own, with essc-load's client count.
as_postgres "$pgbin/createdb" -h "$socket_dir" -U postgres pgbench
as_postgres "$pgbin/pgbench" -h "$socket_dir" -U postgres -i -q -s 10 pgbench > "$work/pgbench-init.log" 2>&1
pgbench_run() {  # pgbench_run NAME ARGS…
  local name=$1
  shift
  local tps
  tps=$(as_postgres "$pgbin/pgbench" -h "$socket_dir" -U postgres -c "$clients" -j 2 -T "$seconds" -M prepared "$@" pgbench 2>&1 |
    tee "$work/$name.log" | sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p')
  echo "measure name=$name rate=$tps count=0 p50_ms=0 p99_ms=0 errors=0" | tee -a "$results"
}
pgbench_run pgbench_tpcb
pgbench_run pgbench_select -S

echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$work/machine.txt"

if [ "${FAILOVER:-0}" = 1 ]; then
  CLUSTER_DIR=$work/cluster CLUSTER_PORT_BASE=$((port_base + 100)) ESSC_BIN=$essc \
    scripts/cluster.sh failover-test --short | tee "$work/failover.log"
fi

rate() { sed -n "s/^measure name=$1 rate=\([0-9.e+]*\).*/\1/p" "$results" | tail -1; }
ratio() {  # ratio NAME A B
  if [ -n "$2" ] && [ -n "$3" ]; then
    echo "ratio $1 $(awk "BEGIN { printf \"%.2f\", $2 / $3 }")"
  else
    echo "ratio $1 unmeasured"
  fi
}
echo
grep '^measure' "$results"
ratio pg_settle_vs_pgbench_tpcb "$(rate settle_pg1)" "$(rate pgbench_tpcb)"
ratio pg_status_vs_pgbench_select "$(rate status_pg1)" "$(rate pgbench_select)"
ratio pg_two_vs_one_process "$(rate settle_pg2)" "$(rate settle_pg1)"
for processes in 1 2; do  # how idle the machine sat while settlements ran
  idle=$(sed -n "s/^measure name=settle_idle_pct_pg$processes value=\([0-9.e+]*\).*/\1/p" "$results" | tail -1)
  echo "figure pg_settle_idle_pct_$processes ${idle:-unmeasured}"
done
for name in status qr identity session; do
  ratio "pg_two_vs_one_process_$name" "$(rate "${name}_pg2")" "$(rate "${name}_pg1")"
done
failover_log=$(ls -t "$work"/failover.log build/cluster-failover-*.log 2> /dev/null | head -1 || true)
if [ -n "$failover_log" ] && grep -q '^figure pg_failover_unavailable_s' "$failover_log"; then
  grep '^figure pg_failover_unavailable_s' "$failover_log" | tail -1
else
  echo "figure pg_failover_unavailable_s unmeasured (FAILOVER=1, or scripts/cluster.sh failover-test)"
fi
