#!/usr/bin/env bash
# Fails on any clang-tidy finding (.clang-tidy: bugprone-*, performance-*) or include that
# include-what-you-use finds unused, in the platform's C++ under src/. The unit tests
# beside it (*_test.cpp) are left out: their loops and copies are not the platform's
# performance, and leaving them out halves the run. Needs a configured build tree
# for its compile_commands.json (the release preset's by default) with the generated
# sources built.
#   scripts/tidy.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
jobs=2
[ -f "$build/compile_commands.json" ] || {
  echo "tidy: no $build/compile_commands.json; run cmake --preset release first" >&2
  exit 1
}
mapfile -t sources < <(git ls-files 'src/*.cpp' ':!:src/*_test.cpp'; git ls-files --others --exclude-standard 'src/*.cpp' ':!:src/*_test.cpp')
start=$SECONDS

# clang-tidy: any warning is an error (.clang-tidy WarningsAsErrors).
# run-clang-tidy takes regular expressions of paths: each source anchored, so that
# src/http/api.cpp does not also pick tests/http/ecard_api_test.cpp.
patterns=()
for f in "${sources[@]}"; do patterns+=("^$PWD/${f//./\\.}\$"); done
run-clang-tidy -p "$build" -j "$jobs" -quiet "${patterns[@]}" >"$build/clang-tidy.log" 2>&1 || {
  grep -E '(warning|error):' "$build/clang-tidy.log" | sort -u >&2
  echo "clang-tidy: findings above (full output in $build/clang-tidy.log)" >&2
  exit 1
}

# include-what-you-use, for unused includes of the project's own headers ("…"): its
# "should remove these lines" blocks for each source and its own header. Standard and
# third-party headers are left to the reader: IWYU 8.18 maps libstdc++'s and the
# libraries' umbrella headers (<sodium.h>, <toml++/toml.h>, <CLI/CLI.hpp>, <chrono>)
# imprecisely and would have them removed while still used. Its suggestions to add
# includes are not enforced either.
iwyu_tool -p "$build" -j "$jobs" "${sources[@]}" -- -Xiwyu --no_fwd_decls \
  >"$build/iwyu.log" 2>&1 || true
unused=$(awk '
  /should remove these lines:/ { file = $1; removing = 1; next }
  /^The full include-list/ || /^$/ { removing = 0 }
  removing && /^- #include "/ { print file ": unused " substr($0, 3) }
' "$build/iwyu.log")
if [ -n "$unused" ]; then
  echo "$unused" >&2
  echo "include-what-you-use: unused includes above (full output in $build/iwyu.log)" >&2
  exit 1
fi
if grep -q 'fatal error' "$build/iwyu.log"; then
  grep 'fatal error' "$build/iwyu.log" >&2
  exit 1
fi
echo "tidy: ${#sources[@]} files clean (clang-tidy, include-what-you-use) in $((SECONDS - start)) s"
