#!/usr/bin/env bash
# Two builds of essc side by side on one store, in alternating runs (A B, B A, A B…), so
# that a change is measured against the code before it under the same neighbours:
# `essc-load essc` through one `essc serve` of each build in turn, on one folder of
# PERSONS seeded persons, and a reference after each round. On PostgreSQL 15 (the
# default) the folder is moved to a server of its own and the reference is pgbench's
# select-only script; with STORE=sqlite the folder keeps its SQLite file and the
# reference is `essc-load references` (durable SQLite commits among them). Prints the
# measure lines, labelled a1, b1, b2, a2…
#
#   scripts/bench_pair.sh BUILD_A BUILD_B    # each a build folder with essc and bench/essc-load
#
# Environment: STORE (postgres or sqlite), ROUNDS (2), SCENARIO_SECONDS (5), CONNECTIONS (64; 1 shows latency, where
# round trips tell most), SESSIONS (100), PERSONS (10000), BENCH_DIR (build/bench-pair),
# BENCH_PORT (18390).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { sed -n '2,8p' "$0" >&2; exit 2; }
builds=("$(realpath "$1")" "$(realpath "$2")")
for build in "${builds[@]}"; do
  if [ ! -x "$build/essc" ] || [ ! -x "$build/bench/essc-load" ]; then
    echo "missing $build/essc or $build/bench/essc-load" >&2
    exit 1
  fi
done
work=$(realpath -m "${BENCH_DIR:-build/bench-pair}")
port=${BENCH_PORT:-18390}
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

rm -rf "$work"
mkdir -p "$work"
chmod 0755 "$work"
store=${STORE:-postgres}
"${builds[0]}/essc" seed --data-dir "$work/essc" --persons "${PERSONS:-10000}" > /dev/null
if [ "$store" = postgres ]; then
  url=$(scripts/postgres.sh start "$work/pg")
  trap 'scripts/postgres.sh stop "$work/pg" > /dev/null 2>&1 || true' EXIT
  "${builds[0]}/essc" store copy --data-dir "$work/essc" --to "$url" > /dev/null
fi
# Every run settles on the same e-cards the same day (as in scripts/bench_postgres.sh).
sed -i -E 's/^(daily_settlement_limit|settlements_per_hour_max|institutions_per_day_max) = .*/\1 = 10000/' \
  "$work/essc/policies/330200.toml"
if [ "$store" = postgres ]; then
  as_postgres "$pgbin/createdb" -h "$work/pg" -U postgres pgbench
  as_postgres "$pgbin/pgbench" -h "$work/pg" -U postgres -i -q -s 10 pgbench > /dev/null 2>&1
fi

for round in $(seq "${ROUNDS:-2}"); do
  # Each run grows the folder (its settlements, codes and audit entries), and a larger
  # folder is slower: the order turns each round (a b, b a, …) so that the growth
  # weighs on both sides alike over an even number of rounds.
  sides="a b"
  [ $((round % 2)) -eq 0 ] && sides="b a"
  for side in $sides; do
    build=${builds[0]}
    [ "$side" = b ] && build=${builds[1]}
    ESSC_LOG_LEVEL=warn "$build/essc" serve --data-dir "$work/essc" --listen "127.0.0.1:$port" \
      > "$work/serve-$side$round.out" 2> "$work/serve-$side$round.log" &
    pid=$!
    for _ in $(seq 300); do curl -fsS "http://127.0.0.1:$port/readyz" > /dev/null 2>&1 && break; sleep 0.1; done
    "$build/bench/essc-load" essc --port "$port" --credentials "$work/essc/seed-credentials.txt" \
      --label "$side$round" --server-pid "$pid" --seconds "${SCENARIO_SECONDS:-5}" \
      --sessions "${SESSIONS:-100}" --connections "${CONNECTIONS:-64}"
    kill -TERM "$pid"
    wait "$pid" || true
  done
  if [ "$store" = postgres ]; then
    tps=$(as_postgres "$pgbin/pgbench" -h "$work/pg" -U postgres -c "${CONNECTIONS:-64}" -j 2 \
      -T "${SCENARIO_SECONDS:-5}" -M prepared -S pgbench 2>&1 | sed -n 's/^tps = \([0-9.]*\) (without.*/\1/p')
    echo "measure name=pgbench_select_$round rate=$tps count=0 p50_ms=0 p99_ms=0 errors=0"
  else
    "${builds[0]}/bench/essc-load" references --dir "$work" --seconds "${SCENARIO_SECONDS:-5}" |
      sed "s/^measure name=\([a-z0-9_]*\)/measure name=\1_$round/"
  fi
  echo "load average after round $round: $(cut -d' ' -f1-3 /proc/loadavg)"
done
