#!/usr/bin/env bash
# The long crash-consistency run: builds essc (Release, build/crash) and kills the server
# with SIGKILL the given number of times (default 200) under concurrent settlements,
# refunds, credits and card life-cycle changes, then checks every acknowledged answer.
# Usage: scripts/crash.sh [kills] [extra crash_test.py options, e.g. --seed N --keep]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/crash -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/crash --target essc
kills="${1:-200}"
shift || true
exec python3 tests/crash/crash_test.py build/crash/essc --kills "$kills" --workdir build/crash/tmp "$@"
