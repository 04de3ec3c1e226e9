#!/usr/bin/env bash
# Installs what is needed, builds the Release preset and runs every test; then the tests
# under the sanitizers and each fuzz target briefly.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests
# The code as .clang-format lays it out, before anything is built.
scripts/lint.sh
# The alert rules: valid, and each alert firing on its series and quiet on a healthy server.
promtool check rules deploy/prometheus/essc-rules.yml
promtool test rules deploy/prometheus/essc-rules.test.yml
# The release and package builds compile the same sources with the same flags: ccache,
# keyed by paths below the checkout, compiles each once for both build folders.
export CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
cmake --preset release
cmake --build --preset release
# clang-tidy and include-what-you-use on src/, with the release tree's compile commands.
scripts/tidy.sh build/release
npm ci --prefix tests/browser --no-audit --no-fund
# The service and HTTP suites run on SQLite and again on PostgreSQL: ctest starts a server
# of its own for them (test postgres_start, scripts/postgres.sh) and stops it after.
ctest --preset release
# The Debian package: built from the app preset, its contents and unit checked, installed,
# run and purged (scripts/package-test.sh).
scripts/package-test.sh
# The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer (Debug); the
# preset leaves out the browser tests, which drive Chromium against the release binary.
cmake --preset sanitize
cmake --build --preset sanitize
ctest --preset sanitize
# Each libFuzzer target briefly; scripts/fuzz.sh without arguments runs them longer.
scripts/fuzz.sh 20
