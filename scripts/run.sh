#!/usr/bin/env bash
# Installs what is needed, builds, initialises a data folder and starts the server.
#   DATA_DIR (default ./essc-data), LISTEN (default 127.0.0.1:8080)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release
cmake --build --preset release --target essc
data_dir="${DATA_DIR:-essc-data}"
essc=build/release/essc
"$essc" init --data-dir "$data_dir"
exec "$essc" serve --data-dir "$data_dir" --listen "${LISTEN:-127.0.0.1:8080}" --sandbox
