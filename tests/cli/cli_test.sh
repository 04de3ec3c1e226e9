#!/usr/bin/env bash
# The essc command line as a user runs it (API.md "Command line"): every verb on a fresh
# data folder, --help, exit codes 0 / 1 / 2, idempotent init, a 0600 key file, and
# `audit verify` naming the first altered entry and finding newest entries cut off.
set -euo pipefail
essc="$1"
root="${ESSC_TEST_TMP:-/tmp}"
mkdir -p "$root"
dir="$(mktemp -d "$root/essc-cli-XXXXXX")"
trap 'rm -rf "$dir"' EXIT
passed=0 failed=0

listening_port() {  # listening_port OUTPUT_FILE: the port the server printed, waiting up to 30 s
  # The server picks a free port itself (--listen 127.0.0.1:0): a port chosen here could be
  # taken meanwhile by any of the tests running beside this one.
  for _ in $(seq 300); do
    local line
    line="$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$1" 2>/dev/null)" && { echo "${line##*:}"; return; }
    sleep 0.1
  done
  echo 0
}

check() {  # check NAME EXPECTED_STATUS COMMAND...
  local name="$1" expected="$2"
  shift 2
  local status=0
  "$@" >"$dir/out" 2>"$dir/err" || status=$?
  if [ "$status" -eq "$expected" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $name: exit $status, expected $expected"
    cat "$dir/out" "$dir/err"
  fi
}

data="$dir/data"
check "help" 0 "$essc" --help
check "verb help" 0 "$essc" serve --help
check "no verb is a usage error" 2 "$essc"
check "version" 0 "$essc" --version
grep -Eq '^essc [0-9]+\.[0-9]+\.[0-9]+$' "$dir/out" || { echo "FAIL --version: $(cat "$dir/out")"; failed=$((failed + 1)); }
check "unknown flag is a usage error" 2 "$essc" init --data-dir "$data" --bogus
check "missing data dir is a usage error" 2 "$essc" migrate

check "init" 0 "$essc" init --data-dir "$data"
grep -q "keys.toml" "$dir/out" || { echo "FAIL init did not report the key file"; failed=$((failed + 1)); }
mode="$(stat -c %a "$data/keys.toml")"
[ "$mode" = "600" ] || { echo "FAIL key file mode $mode"; failed=$((failed + 1)); }
keys_before="$(sha256sum "$data/keys.toml")"
config_before="$(sha256sum "$data/essc.toml")"
check "init again" 0 "$essc" init --data-dir "$data"
grep -q "nothing changed" "$dir/out" || { echo "FAIL second init changed something"; failed=$((failed + 1)); }
[ "$keys_before" = "$(sha256sum "$data/keys.toml")" ] || { echo "FAIL init replaced keys"; failed=$((failed + 1)); }
[ "$config_before" = "$(sha256sum "$data/essc.toml")" ] || { echo "FAIL init replaced config"; failed=$((failed + 1)); }

check "migrate" 0 "$essc" migrate --data-dir "$data"
grep -q "schema version" "$dir/out" || { echo "FAIL migrate output"; failed=$((failed + 1)); }
check "migrate on a missing folder fails" 1 "$essc" migrate --data-dir "$dir/none"
grep -q "essc init" "$dir/err" || { echo "FAIL missing-folder message"; failed=$((failed + 1)); }

[ -f "$data/policies/330200.toml" ] || { echo "FAIL init wrote no regional policy"; failed=$((failed + 1)); }
echo "surprise = 1" > "$data/policies/330100.toml"
check "a bad policy file stops start-up" 1 "$essc" migrate --data-dir "$data"
grep -q "330100.toml, line 1: unknown key 'surprise'" "$dir/err" || { echo "FAIL policy error message"; cat "$dir/err"; failed=$((failed + 1)); }
# R-K4: [[item_limits]] are read with the rest; a bad one names its file and line.
printf 'daily_settlement_limit = 20\n\n[[item_limits]]\ncode = "YP-ATV-20"\nmax_quantity = 60\nwindow_days = 30\n' >"$data/policies/330100.toml"
check "a policy with a quantity limit" 0 "$essc" migrate --data-dir "$data"
printf '[[item_limits]]\ncode = "YP-ATV-20"\nmax_quantity = 60\nwindow_days = 0\n' >"$data/policies/330100.toml"
check "a quantity limit out of range stops start-up" 1 "$essc" migrate --data-dir "$data"
grep -q "330100.toml, line 4: window_days must be a whole number from 1 to 366" "$dir/err" || { echo "FAIL item limit error message"; cat "$dir/err"; failed=$((failed + 1)); }
printf '[[item_limits]]\ncode = "YP-ATV-20"\nwindow_days = 30\n' >"$data/policies/330100.toml"
check "a quantity limit without its cap stops start-up" 1 "$essc" migrate --data-dir "$data"
grep -q "line 1: each \[\[item_limits\]\] needs code, max_quantity and window_days" "$dir/err" || { echo "FAIL item limit cap message"; cat "$dir/err"; failed=$((failed + 1)); }
printf '[[item_limits]]\ncode = "YP-ATV-20"\nmax_quantity = 60\nwindow_days = 30\nper = "month"\n' >"$data/policies/330100.toml"
check "an unknown key of a quantity limit stops start-up" 1 "$essc" migrate --data-dir "$data"
grep -q "line 5: unknown key 'per' in \[\[item_limits\]\]" "$dir/err" || { echo "FAIL item limit key message"; cat "$dir/err"; failed=$((failed + 1)); }
rm "$data/policies/330100.toml"
check "a bad config value stops start-up" 1 env ESSC_SECURITY_QR_ALGORITHM=RSA "$essc" migrate --data-dir "$data"
# R-R3: certificates' QR codes point under [server] public_url, an origin and nothing more.
check "a public_url with a path stops start-up" 1 env ESSC_SERVER_PUBLIC_URL="https://essc.example.cn/x?y" "$essc" migrate --data-dir "$data"
grep -q "server.public_url must be an origin" "$dir/err" || { echo "FAIL public_url message"; cat "$dir/err"; failed=$((failed + 1)); }
check "an https public_url is taken" 0 env ESSC_SERVER_PUBLIC_URL="https://essc.example.cn/" "$essc" migrate --data-dir "$data"

check "operator add (stdin)" 0 bash -c "echo 'admin-password-1' | '$essc' operator add --data-dir '$data' --username admin --role admin --password-stdin"
check "operator add duplicate" 1 "$essc" operator add --data-dir "$data" --username admin --role admin --password admin-password-2
check "operator add bad role" 2 "$essc" operator add --data-dir "$data" --username x --role root --password admin-password-2
check "teller without bank" 1 "$essc" operator add --data-dir "$data" --username t --role bank_teller --password teller-password-1
check "teller with bank" 0 "$essc" operator add --data-dir "$data" --username t --role bank_teller --bank-code NBCB --password teller-password-1

check "client add" 0 "$essc" client add --data-dir "$data" --kind channel --name "政务APP" --channel-type gov --webhook-url https://gov.example/hook
grep -q "^client_id=ch_" "$dir/out" && grep -q "^client_secret=" "$dir/out" && grep -q "^webhook_secret=" "$dir/out" ||
  { echo "FAIL client add output"; cat "$dir/out"; failed=$((failed + 1)); }
check "client add quota" 0 "$essc" client add --data-dir "$data" --kind institution --name "社区药房" --institution-type pharmacy --requests-per-minute 120
grep -q "^requests_per_minute=120$" "$dir/out" || { echo "FAIL client add quota output"; cat "$dir/out"; failed=$((failed + 1)); }
check "client add quota out of range" 1 "$essc" client add --data-dir "$data" --kind institution --name x --institution-type pharmacy --requests-per-minute 0
check "client add private webhook" 1 "$essc" client add --data-dir "$data" --kind channel --name x --channel-type gov --webhook-url http://169.254.169.254/
grep -q "webhook_url" "$dir/err" || { echo "FAIL private webhook message"; cat "$dir/err"; failed=$((failed + 1)); }
check "client add bad type" 1 "$essc" client add --data-dir "$data" --kind institution --name x --institution-type bar

check "sandbox fund" 0 "$essc" sandbox fund --data-dir "$data" 6222021234567890128 50000
grep -q "balance_fen=50000" "$dir/out" || { echo "FAIL fund balance"; failed=$((failed + 1)); }
check "sandbox fund bad account" 1 "$essc" sandbox fund --data-dir "$data" 6222021234567890127 50000

check "audit verify" 0 "$essc" audit verify --data-dir "$data"
check "audit verify again" 0 "$essc" audit verify --data-dir "$data"
grep -q "1 signed checkpoints" "$dir/out" ||
  { echo "FAIL audit verify signed no checkpoint"; cat "$dir/out"; failed=$((failed + 1)); }
# R-S6: cutting the newest entries leaves a tree, but one shorter than a signed checkpoint.
cp -a "$data" "$dir/cut"
sqlite3 "$dir/cut/essc.db" "DELETE FROM audit_entries WHERE seq = (SELECT MAX(seq) FROM audit_entries)"
check "audit verify finds the cut tail" 1 "$essc" audit verify --data-dir "$dir/cut"
grep -q "newest entries were removed" "$dir/err" || { echo "FAIL cut tail message"; cat "$dir/err"; failed=$((failed + 1)); }
sqlite3 "$data/essc.db" "UPDATE audit_entries SET actor = 'intruder' WHERE seq = 2"
check "audit verify finds the altered entry" 1 "$essc" audit verify --data-dir "$data"
grep -q "entry 2" "$dir/err" || { echo "FAIL audit verify did not name entry 2"; cat "$dir/err"; failed=$((failed + 1)); }

# serve: starts, answers, and stops cleanly on SIGTERM.
"$essc" serve --data-dir "$data" --listen "127.0.0.1:0" >"$dir/serve.out" 2>"$dir/serve.err" &
pid=$!
port="$(listening_port "$dir/serve.out")"
check "serve answers /readyz" 0 curl -fsS "http://127.0.0.1:$port/readyz"
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
if [ "$status" -eq 0 ]; then passed=$((passed + 1)); else echo "FAIL serve exit $status after SIGTERM"; failed=$((failed + 1)); fi
grep -q "listening on http://127.0.0.1:$port" "$dir/serve.out" || { echo "FAIL serve address line"; failed=$((failed + 1)); }

# demo: loads every FAQ situation once, serves, and a second run changes nothing.
demo_dir="$dir/demo"
for run in first second; do
  "$essc" demo --data-dir "$demo_dir" --listen "127.0.0.1:0" >"$dir/demo.out" 2>"$dir/demo.err" &
  pid=$!
  port="$(listening_port "$dir/demo.out")"
  check "demo ($run run) serves" 0 curl -fsS "http://127.0.0.1:$port/readyz"
  # R-S5: every file of a data folder, the WAL and SHM files and the sandbox bank too, is
  # the owner's alone; the second run finds one opened up by hand and closes it again.
  shared="$(find "$demo_dir" -perm /077 -print)"
  [ -z "$shared" ] || { echo "FAIL files readable by others ($run run): $shared"; failed=$((failed + 1)); }
  kill -TERM "$pid"
  wait "$pid" || true
  if [ "$run" = first ]; then
    grep -q "cardholder 赵六.*reported lost" "$dir/demo.out" || { echo "FAIL demo cardholders"; cat "$dir/demo.out"; failed=$((failed + 1)); }
    grep -q "operator admin: password" "$dir/demo.out" || { echo "FAIL demo logins"; failed=$((failed + 1)); }
    chmod 0644 "$demo_dir/essc.db" "$demo_dir/sandbox_bank.db"
  else
    grep -q "nothing changed" "$dir/demo.out" || { echo "FAIL second demo run"; cat "$dir/demo.out"; failed=$((failed + 1)); }
  fi
done
[ "$(sqlite3 "$demo_dir/essc.db" 'SELECT COUNT(*) FROM persons')" = 12 ] || { echo "FAIL demo persons"; failed=$((failed + 1)); }

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
