#!/usr/bin/env bash
# The Debian package as an operator meets it: built (scripts/package.sh), its contents
# (dpkg-deb -c), installed with dpkg -i (postinst makes the user and the data folder), its
# units (systemd-analyze verify, and `systemd-analyze security` exposure at most 2.0),
# /usr/bin/essc run, the daily backup's command run as the service user, then purged. Needs root (or sudo); refuses a machine where essc is
# installed already, so that it never touches a real deployment.
#   scripts/package-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
as_root=""
[ "$(id -u)" -eq 0 ] || as_root="sudo"
fail() {
  echo "package-test: $*" >&2
  exit 1
}
# Once purged, dpkg still knows the package as not-installed: only that (or no record) is clean.
status=$(dpkg-query -W -f='${db:Status-Status}' essc 2>/dev/null || true)
case "$status" in
  "" | not-installed) ;;
  *) fail "essc is $status on this machine; test the package elsewhere" ;;
esac
data_dir_existed=false backups_existed=false
[ -e /var/lib/essc ] && data_dir_existed=true
[ -e /var/lib/essc-backups ] && backups_existed=true

deb=$(scripts/package.sh | tail -1)
echo "package-test: $deb"
version=$(sed -n 's/^project(essc VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[[ "$(basename "$deb")" == "essc_${version}_$(dpkg --print-architecture).deb" ]] ||
  fail "$deb is not essc_${version}_<arch>.deb"

contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/essc ./lib/systemd/system/essc.service ./lib/systemd/system/essc-backup.service \
  ./lib/systemd/system/essc-backup.timer ./etc/essc/essc.toml ./usr/share/man/man1/essc.1.gz; do
  grep -q " $path\$" <<<"$contents" || fail "$path missing from the package"
done
[ "$(dpkg-deb -f "$deb" Package)" = essc ] || fail "package name"
dpkg-deb -I "$deb" conffiles | grep -qx /etc/essc/essc.toml || fail "essc.toml is not a conffile"
dpkg-deb -f "$deb" Depends | grep -q libsodium || fail "Depends lacks the shared libraries"

$as_root dpkg -i "$deb"
trap '$as_root dpkg --purge essc >/dev/null 2>&1 || true; $data_dir_existed || $as_root rm -rf /var/lib/essc; $backups_existed || $as_root rm -rf /var/lib/essc-backups' EXIT
# The units as installed: their syntax, commands and user (verify), and how exposed each is.
units=/lib/systemd/system
systemd-analyze verify --man=no "$units/essc.service" "$units/essc-backup.service" "$units/essc-backup.timer"
for unit in essc.service essc-backup.service; do
  exposure=$(systemd-analyze security --offline=yes "$units/$unit" 2>&1 |
    sed -n "s/.*exposure level for $unit: \([0-9.]*\).*/\1/p")
  echo "package-test: systemd-analyze security exposure of $unit: $exposure"
  awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.0) }' || fail "$unit exposure $exposure above 2.0"
done
[ "$(/usr/bin/essc --version)" = "essc $version" ] || fail "essc --version: $(/usr/bin/essc --version)"
man_page=$(zcat /usr/share/man/man1/essc.1.gz)
grep -q '^\.SH FILES' <<<"$man_page" && grep -q 'serve' <<<"$man_page" ||
  fail "the man page lacks the verbs or the FILES section"
getent passwd essc >/dev/null || fail "postinst made no user essc"
[ "$($as_root stat -c '%U %a' /var/lib/essc/keys.toml)" = "essc 600" ] || fail "key file not essc's 0600"
[ "$(readlink /var/lib/essc/essc.toml)" = /etc/essc/essc.toml ] || fail "essc.toml not linked to /etc"
# The service user reads the conffile and opens the store postinst made.
$as_root runuser -u essc -- /usr/bin/essc migrate --data-dir /var/lib/essc | grep -q "schema version" ||
  fail "essc migrate as the service user"
# What essc-backup.service runs, as it runs it: the folder's archive, written by the user.
$as_root install -d -o essc -g essc -m 0700 /var/lib/essc-backups
$as_root runuser -u essc -- sh -c "$(sed -n "s/^ExecStart=\/bin\/sh -c '\(.*\)'$/\1/p" "$units/essc-backup.service" |
  sed 's/%%/%/g')" 2>/dev/null | grep -q "essc.db" || fail "essc-backup.service's command"
ls /var/lib/essc-backups/essc-*.backup >/dev/null || fail "no archive in /var/lib/essc-backups"
$as_root dpkg --purge essc
[ ! -e /usr/bin/essc ] || fail "/usr/bin/essc left after purge"
echo "package-test: ok"
