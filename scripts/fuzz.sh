#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang, build/fuzz) and runs each for the given
# number of seconds (default 300) from its seeds in fuzz/corpus/<target>/. Inputs that
# add coverage are kept in build/fuzz/corpus/<target>/; a crash fails the run and is
# saved as build/fuzz/crashes/<target>-crash-<sha1> (turn it into a regression test and
# add it to fuzz/corpus/<target>/).
# Usage: scripts/fuzz.sh [seconds per target] [target …]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
targets=("$@")
((${#targets[@]})) || targets=(id_number_fuzz card_no_fuzz signature_headers_fuzz qr_token_fuzz json_body_fuzz api_fuzz witness_request_fuzz)
scripts/install-deps.sh --tests
# clang warns differently from g++, which keeps -Werror; here warnings stay warnings.
cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
  -DESSC_FUZZ=ON -DESSC_WARNINGS_AS_ERRORS=OFF >/dev/null
cmake --build build/fuzz --target "${targets[@]}"
mkdir -p build/fuzz/crashes build/fuzz/tmp
export ESSC_TEST_TMP="$PWD/build/fuzz/tmp"
failed=()
for target in "${targets[@]}"; do
  echo "== $target: ${seconds} s"
  mkdir -p "build/fuzz/corpus/$target"
  log="build/fuzz/$target.log"
  if ! "build/fuzz/fuzz/$target" -max_total_time="$seconds" -timeout=10 -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="build/fuzz/crashes/$target-" "build/fuzz/corpus/$target" "fuzz/corpus/$target" >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "FAIL $target; the input is in build/fuzz/crashes/, the whole log in $log"
    failed+=("$target")
    continue
  fi
  grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
done
((${#failed[@]} == 0)) || { echo "failed: ${failed[*]}"; exit 1; }
