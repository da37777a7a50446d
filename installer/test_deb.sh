#!/usr/bin/env bash
# Install the .deb with dpkg, run the installed program as a user would, remove it again.
#
#   installer/test_deb.sh [DEB]      # default: the newest dist/counter-app_*.deb
#
# Needs root (dpkg -i) on a Debian-family machine; installs the package's dependencies
# with apt-get when they are missing (a counter PC gets them the same way). Steps: dpkg -i,
# the files in place (wrapper, desktop entries, icons), `counter-app --help`, a demo
# database, `counter-app selftest` (its Chinese pass/fail list), a kiosk and a counter
# screenshot offscreen, then dpkg -r leaves no file of the package behind.
# Exit status 0: all passed; 1: a step failed; 2: cannot run here.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
deb=${1:-$(ls -t "$here"/dist/counter-app_*.deb 2>/dev/null | head -n1)}
[ -f "$deb" ] || { echo "test_deb: no .deb (run installer/build_deb.sh)" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "test_deb: needs root (dpkg -i)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/counter_app_deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
export COUNTER_APP_SETTINGS="$work/settings.json" XDG_DATA_HOME="$work/data" \
       XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state" XDG_CACHE_HOME="$work/cache"
export ESCPOS_CAPABILITIES_PICKLE_DIR="$work"
unset COUNTER_APP_DB
failed=0
step() {
  local name=$1; shift
  local t0=$SECONDS rc=0
  "$@" >"$work/out.txt" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ]; then echo "PASS  $name ($((SECONDS - t0)) s)"; else
    echo "FAIL  $name (exit $rc)"; failed=$((failed + 1)); fi
  sed 's/^/      /' "$work/out.txt" | tail -n "${SHOW:-4}"
  return "$rc"
}
expect() {
  local what=$1; shift
  if "$@" 2>/dev/null; then echo "PASS  $what"; else echo "FAIL  $what"; failed=$((failed + 1)); fi
}

echo "package test of $deb ($(du -h "$deb" | cut -f1))"
step "dpkg-deb --info" dpkg-deb --info "$deb"
# Dependencies first, as `apt install ./file.deb` would; then dpkg itself installs it.
deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*)//; s/|.*//; s/ //g' | grep -v '^$')
missing=$(for d in $deps; do dpkg-query -W -f='${Status}' "$d" 2>/dev/null | grep -q "ok installed" || echo "$d"; done)
if [ -n "$missing" ]; then
  step "apt-get install dependencies" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi
step "dpkg -i" dpkg -i "$deb" || { echo "package test: cannot install"; exit 1; }
expect "wrapper /usr/bin/counter-app" test -x /usr/bin/counter-app
expect "program in /opt/counter-app" test -x /opt/counter-app/counter_app
expect "desktop entry (积分超市柜台)" grep -q '^Name\[zh_CN\]=积分超市柜台' /usr/share/applications/counter-app.desktop
expect "kiosk desktop entry" grep -q '^Exec=counter-app kiosk' /usr/share/applications/counter-app-kiosk.desktop
expect "icons 48 px and scalable" test -s /usr/share/icons/hicolor/48x48/apps/counter-app.png -a \
  -s /usr/share/icons/hicolor/scalable/apps/counter-app.svg
if command -v desktop-file-validate >/dev/null; then
  step "desktop-file-validate" desktop-file-validate /usr/share/applications/counter-app.desktop
fi

db="$work/counter.db"
step "counter-app --help" counter-app --help
step "counter-app demo" counter-app --db "$db" demo --members 100
SHOW=20 step "counter-app selftest (installed package)" counter-app --db "$db" selftest
expect "selftest printed its verdict" grep -q "自检通过" "$work/out.txt"
QT_QPA_PLATFORM=offscreen step "kiosk screenshot (offscreen)" counter-app --db "$db" kiosk --screenshot "$work/shots"
expect "kiosk member screen rendered" test -s "$work/shots/kiosk-2-member.png"

step "dpkg -r" dpkg -r counter-app
expect "nothing of the package left" bash -c '! test -e /usr/bin/counter-app && ! test -e /opt/counter-app \
  && ! test -e /usr/share/applications/counter-app.desktop'

if [ "$failed" -ne 0 ]; then echo "package test: $failed check(s) FAILED"; exit 1; fi
echo "package test: all checks passed"
