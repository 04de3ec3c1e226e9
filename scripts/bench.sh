#!/usr/bin/env bash
# Benchmarks of docs/performance.md: essc serve on seeded folders of 10,000 and
# 1,000,000 persons beside the machine's own limits measured in the same run (nginx on
# loopback, durable SQLite commits, Argon2id, Ed25519). Prints the table, then the
# `ratio …` and `figure …` lines (qr_10k issues codes with their image, qr_token_10k the
# token alone, as an app that draws the code asks: `ratio qr_token_vs_nginx`;
# qr_compact_10k the compact form with its image, as the demo app asks:
# `ratio qr_compact_issue_vs_nginx`).
#
#   scripts/bench.sh          the full run (about 10 minutes, most of it seeding and serving 1M)
#   scripts/bench.sh soak     10 minutes of settlements, each with its QR code, at 80 % of
#                             the rate the last full run measured for the pair (or SOAK_RATE)
#   scripts/bench.sh postgres the scenarios on PostgreSQL, one and two processes, beside
#                             pgbench on the same server (scripts/bench_postgres.sh)
#
# Environment: BUILD_DIR (default build/release), SKIP_BUILD=1 (measure the binaries
# already in BUILD_DIR), BENCH_DIR (default build/bench-run, on
# the disk the numbers are about), SCENARIO_SECONDS (10), SOAK_SECONDS (600),
# PERSONS_LARGE (1000000), ESSC_PORT (18080), NGINX_PORT (18081), SKIP_POSTGRES=1 (no
# run on PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-all}
build=${BUILD_DIR:-build/release}
work=$(realpath -m "${BENCH_DIR:-build/bench-run}")
seconds=${SCENARIO_SECONDS:-10}
essc_port=${ESSC_PORT:-18080}
nginx_port=${NGINX_PORT:-18081}
large=${PERSONS_LARGE:-1000000}

if [ -z "${SKIP_BUILD:-}" ]; then scripts/install-deps.sh; fi
if ! command -v nginx > /dev/null && [ ! -x /usr/sbin/nginx ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq nginx-light
fi
if [ -z "${SKIP_BUILD:-}" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
  cmake --build "$build" --target essc essc_load
fi
essc=$build/essc
load=$build/bench/essc-load
if [ "$mode" = postgres ]; then BUILD_DIR=$build exec scripts/bench_postgres.sh; fi

server=
nginx_pid_file=
stop_all() {
  if [ -n "$server" ]; then kill -TERM "$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true; fi
  server=
  if [ -n "$nginx_pid_file" ] && [ -f "$nginx_pid_file" ]; then kill -QUIT "$(cat "$nginx_pid_file")" 2> /dev/null || true; fi
  nginx_pid_file=
}
trap stop_all EXIT

# serve DIR: starts essc serve on the folder and waits until it answers.
serve() {
  ESSC_LOG_LEVEL=warn "$essc" serve --data-dir "$1" --listen "127.0.0.1:$essc_port" > "$1/serve.out" 2> "$1/serve.log" &
  server=$!
  for _ in $(seq 300); do
    curl -fsS "http://127.0.0.1:$essc_port/readyz" > /dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "essc serve did not become ready; see $1/serve.log" >&2
  exit 1
}

# seed NAME PERSONS: a new folder, the time it took as a measure line.
seed() {
  rm -rf "${work:?}/$1"
  local start end
  start=$(date +%s.%N)
  "$essc" seed --data-dir "$work/$1" --persons "$2" > /dev/null
  end=$(date +%s.%N)
  # One e-card settles many times a minute here: R-K3 would ask its holder for a step-up.
  # The rules still read the person's figures in every settlement.
  sed -i -E 's/^(settlements_per_hour_max|institutions_per_day_max) = .*/\1 = 10000/' "$work/$1/policies/330200.toml"
  echo "measure name=seed_$1 value=$(awk "BEGIN { print $end - $start }")" | tee -a "$results"
}

if [ "$mode" = soak ]; then
  results=$work/soak.txt
  mkdir -p "$work"
  : > "$results"
  rate=${SOAK_RATE:-}
  if [ -z "$rate" ]; then
    # Each soak operation is a settlement with the issuance of its QR code, so 80 % of
    # what the two measured rates allow together: 1 / (1/qr + 1/settle).
    figure() { sed -n "s/^measure name=$1 rate=\([0-9.e+]*\).*/\1/p" "$work/results.txt" 2> /dev/null | tail -1; }
    settle=$(figure settle_10k)
    qr=$(figure qr_10k)
    [ -n "$settle" ] && [ -n "$qr" ] || { echo "no settle_10k or qr_10k in $work/results.txt: run scripts/bench.sh first or set SOAK_RATE" >&2; exit 1; }
    rate=$(awk "BEGIN { print 0.8 / (1 / $qr + 1 / $settle) }")
  fi
  seed soak 10000
  # A soak settles far more often per e-card than a day's limit allows (POLICY.md: 20);
  # this folder lifts the limit so the load can stay on the same 500 e-cards.
  sed -i -E 's/^(daily_settlement_limit|settlements_per_hour_max|institutions_per_day_max) = .*/\1 = 10000/' "$work/soak/policies/330200.toml"
  serve "$work/soak"
  echo "soak: $rate settlements a second for ${SOAK_SECONDS:-600} s"
  "$load" soak --port "$essc_port" --credentials "$work/soak/seed-credentials.txt" --server-pid "$server" \
    --rate "$rate" --seconds "${SOAK_SECONDS:-600}" --sessions 500 --report-every 60 | tee -a "$results"
  stop_all
  exit 0
fi

rm -rf "$work"
mkdir -p "$work"
results=$work/results.txt
: > "$results"
echo "machine: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB, load average $(cut -d' ' -f1-3 /proc/loadavg)" |
  tee "$work/machine.txt"

"$load" references --dir "$work" --seconds 5 | tee -a "$results"

mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" << EOF
worker_processes auto;
daemon on;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    location = /status.json {
      default_type application/json;
      return 200 '{"binding_id":"bd_seed0000000000000001","status":"usable","level":1,"card":{"name_masked":"*伟","region_code":"330200"}}';
    }
  }
}
EOF
nginx_pid_file=$work/nginx/nginx.pid
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx"
"$load" http --port "$nginx_port" --path /status.json --name nginx --seconds "$seconds" | tee -a "$results"
stop_all

for label in 10k 1m; do
  persons=10000
  [ "$label" = 1m ] && persons=$large
  seed "$label" "$persons"
  serve "$work/$label"
  sleep 2
  "$load" essc --port "$essc_port" --credentials "$work/$label/seed-credentials.txt" --label "$label" \
    --server-pid "$server" --seconds "$seconds" | tee -a "$results"
  "$load" flood --port "$essc_port" --credentials "$work/$label/seed-credentials.txt" --label "$label" \
    --server-pid "$server" | tee -a "$results"
  stop_all
done

# R-K4: the same scenarios where every bill's item is capped (at the most a cap may be,
# which no one reaches here), so each settlement also reads the person's window of that
# item: `ratio settle_with_risk_vs_without` beside settle_10k of this run. Both runs apply
# the step-up rules (R-K2, R-K3: two indexed reads a settlement), so the ratio is the cost
# of the caps alone.
seed 10k_risk 10000
printf '\n[[item_limits]]\ncode = "XJ01CA04"\nmax_quantity = 1000\nwindow_days = 30\n' >> "$work/10k_risk/policies/330200.toml"
serve "$work/10k_risk"
sleep 2
"$load" essc --port "$essc_port" --credentials "$work/10k_risk/seed-credentials.txt" --label 10k_risk \
  --server-pid "$server" --seconds "$seconds" | grep "name=settle_10k_risk" | tee -a "$results"
stop_all

# R-R1: the HR feed's import, 10,000 persons x 24 months x 5 insurances (1.2 million rows)
# into the 10k folder in one transaction: `figure import_rows_per_s`.
python3 scripts/insurance_csv.py 10000 24 > "$work/insurance.csv"
"$essc" import insurance-records --data-dir "$work/10k" "$work/insurance.csv" 2> /dev/null |
  sed -n 's/.*rows_per_second=\([0-9]*\).*/measure name=import_insurance_10k rate=\1/p' | tee -a "$results"
rm -f "$work/insurance.csv"

echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$work/machine.txt"
echo
"$load" report "$results"
# The same scenarios on PostgreSQL beside pgbench on that server: the pg_* lines.
if [ -z "${SKIP_POSTGRES:-}" ]; then
  stop_all
  BUILD_DIR=$build SCENARIO_SECONDS=$seconds scripts/bench_postgres.sh | tee "$work/postgres.txt"
fi
