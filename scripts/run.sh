#!/usr/bin/env bash
# Installs what is needed, builds, and starts the platform with demo data on the
# embedded SQLite store and sandbox adapters (`essc demo`); prints the address and logins.
#   DATA_DIR (default ./essc-demo), LISTEN (default 127.0.0.1:8080)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset app
cmake --build --preset app
exec build/app/essc demo --data-dir "${DATA_DIR:-essc-demo}" --listen "${LISTEN:-127.0.0.1:8080}"
