#!/usr/bin/env bash
# Smoke test of a frozen build: runs the program the way a user would, every step even
# after a failure, and exits non-zero if any failed. The steps catch what a build may miss:
# Alembic migrations, escpos capabilities.json, python-barcode fonts, reportlab modules
# imported by exec(), Qt platform plugins, the compiled translations.
#
#   installer/smoke_test.sh [DIST_DIR [OUT_DIR]]
#
# DIST_DIR defaults to dist/counter_app. The database, screenshots, PDF and ESC/POS file go
# to a fresh temporary folder that is removed afterwards, or to OUT_DIR (kept, must not
# hold an inst.db yet) to look at them.
#
# Not part of the pytest suite; needs no display (Qt's offscreen platform).
# Exit status 0: all checks passed; 1: a check failed; 2: bad arguments.
set -uo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
dist=${1:-$here/dist/counter_app}
# Windows (Git Bash): counter_app.exe has no console, its twin counter_app_cli.exe has one.
exe="$dist/counter_app_cli.exe"
[ -f "$exe" ] || exe="$dist/counter_app"
[ -x "$exe" ] || { echo "smoke_test: no counter_app executable in $dist" >&2; exit 2; }

if [ -n "${2:-}" ]; then
  work=$2
  mkdir -p "$work"
  [ ! -e "$work/inst.db" ] || { echo "smoke_test: $work/inst.db exists already" >&2; exit 2; }
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/counter_app_smoke.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi
db="$work/inst.db"
shots="$work/shots"
# Keep the test away from the user's real settings, data and logs.
export COUNTER_APP_SETTINGS="$work/settings.json"
export XDG_DATA_HOME="$work/xdg-data" XDG_CONFIG_HOME="$work/xdg-config" XDG_STATE_HOME="$work/xdg-state" \
       XDG_CACHE_HOME="$work/xdg-cache"
export ESCPOS_CAPABILITIES_PICKLE_DIR="$work"
unset COUNTER_APP_DB

failed=0
step() {  # step NAME COMMAND...   runs, shows the output's tail, records a failure
  local name=$1; shift
  local t0=$SECONDS rc=0
  "$@" >"$work/out.txt" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ]; then
    echo "PASS  $name ($((SECONDS - t0)) s)"
    sed 's/^/      /' "$work/out.txt" | tail -n 3
    return 0
  fi
  echo "FAIL  $name (exit $rc)"
  sed 's/^/      /' "$work/out.txt" | tail -n 40
  failed=$((failed + 1))
  return 1
}
expect() {  # expect DESCRIPTION TEST...
  local what=$1; shift
  if "$@" 2>/dev/null; then echo "PASS  $what"; else echo "FAIL  $what"; failed=$((failed + 1)); fi
}

echo "smoke test of $exe"

# 0. Data files the spec lists, also those no command below reads: python-barcode's font is
#    only used by python-escpos' software barcodes (the app prints hardware CODE128).
internal="$dist/_internal"
for f in counter_app/db/migrations/env.py counter_app/db/migrations/versions \
         escpos/capabilities.json barcode/fonts/DejaVuSansMono.ttf \
         counter_app/ui/icons/counter_app-256.png counter_app/ui/icons/counter_app.svg; do
  expect "bundled: $f" test -e "$internal/$f"
done
for qm in "$here"/src/counter_app/ui/i18n/*.qm; do  # optional in the spec, so check here
  [ -e "$qm" ] || continue
  expect "bundled: counter_app/ui/i18n/$(basename "$qm")" \
    test -e "$internal/counter_app/ui/i18n/$(basename "$qm")"
done

# 1. A demo community: creates the database through the Alembic migrations.
step "demo --members 200" "$exe" --db "$db" demo --members 200

# 2. The ledgers verify.
step "check" "$exe" --db "$db" check && expect "check printed its pass line" grep -q "^账本检查通过" "$work/out.txt"

# 3. Every main page rendered to PNG through the Qt offscreen platform plugin.
QT_QPA_PLATFORM=offscreen step "screenshot" "$exe" --db "$db" screenshot --out "$shots"
expect "screenshots written (PNG, non-trivial size)" \
  bash -c 'n=0; for f in "$1"/*.png; do [ -s "$f" ] && [ "$(wc -c <"$f")" -gt 10000 ] || exit 1;
           head -c 8 "$f" | od -An -tx1 | grep -q "89 50 4e 47" || exit 1; n=$((n+1)); done;
           [ "$n" -gt 0 ]' _ "$shots"

# 3b. The self-service kiosk, offscreen: welcome, a member's points, a refused scan.
QT_QPA_PLATFORM=offscreen step "kiosk --screenshot" "$exe" --db "$db" kiosk --screenshot "$shots/kiosk"
expect "kiosk screens written" test -s "$shots/kiosk/kiosk-2-member.png"

# 3c. The self-check runs (a fresh demo database has nothing failing).
step "selftest" "$exe" --db "$db" selftest

# 3d. An encrypted backup and its restore: cryptography (age) and zstandard, frozen.
mkdir -p "$work/bk"
step "backup --run (encrypted, compressed)" bash -c \
  'printf "%s\n" smoke-passphrase-2026 | "$1" --db "$2" backup --run --folder "$3" --passphrase-stdin' \
  _ "$exe" "$db" "$work/bk"
backup_file=$(ls "$work/bk"/*.db.age 2>/dev/null | head -n 1)
step "restore it into a new file" bash -c \
  'printf "%s\n" smoke-passphrase-2026 | "$1" --db "$2" restore "$3" --passphrase-stdin' \
  _ "$exe" "$work/restored.db" "${backup_file:-missing.db.age}"
step "check the restored file" "$exe" --db "$work/restored.db" check

# 4. Member cards: reportlab + a CJK font + Code128 barcodes.
step "print cards" "$exe" --db "$db" print cards --out "$work/inst_cards.pdf"
expect "cards PDF written" bash -c 'head -c 5 "$1" | grep -q "%PDF-"' _ "$work/inst_cards.pdf"

# 5. A receipt as ESC/POS bytes: python-escpos (capabilities.json) and its barcode module.
receipt=$(sqlite3 "$db" "SELECT receipt_no FROM redemptions ORDER BY receipt_no LIMIT 1" 2>/dev/null) \
  || receipt=""
receipt=${receipt:-XF01-000001}
step "print receipt $receipt --escpos" "$exe" --db "$db" print receipt "$receipt" --escpos "$work/r.bin"
expect "ESC/POS file starts with ESC @" \
  bash -c '[ -s "$1" ] && head -c 2 "$1" | od -An -tx1 | grep -q "1b 40"' _ "$work/r.bin"

if [ "$failed" -ne 0 ]; then
  echo "smoke test: $failed check(s) FAILED"
  exit 1
fi
echo "smoke test: all checks passed"
