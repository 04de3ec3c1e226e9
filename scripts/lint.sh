#!/usr/bin/env bash
# Fails on any C++ file that differs from the repository's .clang-format.
#   scripts/lint.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t sources < <(git ls-files '*.cpp' '*.hpp')
clang-format --dry-run -Werror "${sources[@]}"
echo "clang-format: ${#sources[@]} files as .clang-format says"
