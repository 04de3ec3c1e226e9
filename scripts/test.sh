#!/usr/bin/env bash
# Installs what is needed, builds the Release preset and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release
cmake --build --preset release
npm ci --prefix tests/browser --no-audit --no-fund
ctest --preset release
