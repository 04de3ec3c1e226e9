#!/usr/bin/env bash
# Builds the Debian package build/package/essc_<version>_<arch>.deb with CPack from the
# app preset (the server alone, Release), in a build folder of its own so that
# scripts/run.sh's build/app stays as it is; cmake/package.cmake says what it holds.
# Prints the package's path on the last line.
#   scripts/package.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in help2man dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || {
    echo "package.sh: $tool is missing; run scripts/install-deps.sh --tests" >&2
    exit 1
  }
done
build=build/package
cmake --preset app -B "$build" -DESSC_PACKAGE=ON >/dev/null
cmake --build "$build" ${JOBS:+-j "$JOBS"} >&2
rm -f "$build"/essc_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
ls "$build"/essc_*_*.deb
