#!/usr/bin/env bash
# bench_smoke (ctest): seeds 200 persons, serves them, runs every scenario of essc-load
# with a small budget and checks the lines it prints. Usage: smoke_test.sh ESSC ESSC_LOAD
set -euo pipefail
essc=$1 load=$2
work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$essc" seed --data-dir "$work/data" --persons 200 --channels 4 --institutions 2 > "$work/seed.out" 2> "$work/seed.err"
grep -q "^seeded 200 persons" "$work/seed.out"
[ "$(stat -c %a "$work/data/seed-credentials.txt")" = 600 ]
if "$essc" seed --data-dir "$work/data" --persons 200 2> "$work/again.err"; then
  echo "a second seed of the same folder was accepted" >&2
  exit 1
fi
grep -q "already holds persons" "$work/again.err"
# One e-card settles many times a minute here: R-K3 would ask its holder for a step-up.
sed -i -E 's/^(settlements_per_hour_max|institutions_per_day_max) = .*/\1 = 10000/' "$work/data/policies/330200.toml"

ESSC_LOG_LEVEL=warn "$essc" serve --data-dir "$work/data" --listen 127.0.0.1:0 > "$work/serve.out" 2> "$work/serve.err" &
server=$!
for _ in $(seq 100); do
  grep -q "essc listening on" "$work/serve.out" && break
  sleep 0.1
done
port=$(sed -n 's/.*essc listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/serve.out")
[ -n "$port" ]

"$load" essc --port "$port" --credentials "$work/data/seed-credentials.txt" --label 10k --server-pid "$server" \
  --connections 8 --requests 200 --seconds 5 --sessions 10 > "$work/results.txt"
cat "$work/results.txt"
for name in idle_rss_mb_10k status_10k status_cpu_us_10k session_10k qr_10k qr_token_10k qr_compact_10k identity_10k settle_10k; do
  grep -Eq "^measure name=$name (value|rate)=[0-9.e+]+" "$work/results.txt" || { echo "no line for $name" >&2; exit 1; }
done
# Every call of the run succeeded.
if grep -E "^measure name=(status|session|qr|identity|settle)_10k " "$work/results.txt" | grep -vq " errors=0 "; then
  echo "a scenario had errors" >&2
  exit 1
fi

"$load" report "$work/results.txt" > "$work/report.txt"
cat "$work/report.txt"
for ratio in status_read_vs_nginx qr_issue_vs_nginx qr_token_vs_nginx qr_compact_issue_vs_nginx settle_vs_sqlite_commit session_vs_argon2 status_read_1m_vs_10k; do
  grep -Eq "^ratio $ratio [-0-9.a-z+]+$" "$work/report.txt" || { echo "no ratio $ratio" >&2; exit 1; }
done
for figure in settle_p99_ms idle_rss_mb password_flood_rss_mb seed_1m_seconds; do
  grep -Eq "^figure $figure [-0-9.a-z+]+$" "$work/report.txt" || { echo "no figure $figure" >&2; exit 1; }
done
