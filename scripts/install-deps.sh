#!/usr/bin/env bash
# Installs the Debian 12 packages essc builds and runs with; with --tests also those its
# tests need (GoogleTest, ZXing and zbarimg for the QR codes, ccache, clang for the fuzzers, Python's cryptography for the witness test, poppler-utils for the certificate PDF test, clang-format, clang-tidy and include-what-you-use, Node.js and Chromium for the
# pages, PostgreSQL with pgbench, pg_auto_failover and HAProxy for the cluster; help2man,
# dpkg-dev and systemd-analyze for the Debian package; promtool for the alert rules; age
# for encrypted backups). Safe to run again.
#   scripts/install-deps.sh [--tests]
set -euo pipefail
packages=(
  g++ cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-context1.81-dev
  libsodium-dev libsqlite3-dev libpq-dev libssl-dev
  libtomlplusplus-dev libspdlog-dev libfmt-dev libcli11-dev libqrcodegencpp-dev zlib1g-dev
  libcairo2-dev libpango1.0-dev fonts-noto-cjk
  sqlite3 curl python3
)
if [ "${1:-}" = "--tests" ]; then
  packages+=(
    libgtest-dev libgmock-dev libzxing-dev ccache
    clang-14 libclang-rt-14-dev clang-format clang-tidy iwyu
    nodejs qrencode zbar-tools python3-cryptography
    chromium poppler-utils
    postgresql postgresql-contrib postgresql-15-auto-failover haproxy pgbackrest
    help2man dpkg-dev systemd
    prometheus age
  )
  # Debian's npm; a Node.js that bundles its own npm (as NodeSource's does) conflicts with it.
  command -v npm >/dev/null || packages+=(npm)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi
