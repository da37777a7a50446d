#!/usr/bin/env bash
# Update the Chinese UI translation (Qt Linguist).
#
#   scripts/update_translations.sh          # from anywhere; uses .venv (./run setup), else PATH
#
# 1. pyside6-lupdate reads the tr() / QCoreApplication.translate() strings of
#    src/counter_app/ui/**/*.py into resources/i18n/counter_app_zh_CN.ts. Existing
#    translations are kept; strings no longer in the code are dropped (-no-obsolete).
#    New or changed strings come in as type="unfinished".
# 2. Translate them: .venv/bin/pyside6-linguist resources/i18n/counter_app_zh_CN.ts
#    (or edit the .ts by hand; it is the source of truth), then run this script again.
# 3. pyside6-lrelease compiles the .ts into src/counter_app/ui/i18n/counter_app_zh_CN.qm,
#    which the app loads at start (ui/shell/translations.py install_translations). Commit both files.
#
# tests/test_i18n.py fails while a string is untranslated or the .qm is older than the .ts.
# Rules for translatable text: English source, placeholders %1 %2 … filled with
# .replace("%1", …) after tr(), never an f-string or a variable inside tr().
set -euo pipefail
cd "$(dirname "$0")/.."

TS=resources/i18n/counter_app_zh_CN.ts
QM=src/counter_app/ui/i18n/counter_app_zh_CN.qm

tool() {  # the project's venv first (Linux/macOS or Windows layout), then PATH
  local name=$1 candidate
  for candidate in ".venv/bin/$name" ".venv/Scripts/$name.exe" ".venv/Scripts/$name"; do
    if [ -x "$candidate" ]; then echo "$candidate"; return; fi
  done
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  echo "找不到 $name：请先运行 ./run setup（或在装有 PySide6 的环境里运行）" >&2
  exit 1
}
LUPDATE=$(tool pyside6-lupdate)
LRELEASE=$(tool pyside6-lrelease)

mkdir -p "$(dirname "$TS")" "$(dirname "$QM")"
mapfile -t SOURCES < <(find src/counter_app/ui -name '*.py' | LC_ALL=C sort)

# -locations none: line numbers would change with every edit of the UI code and make
# needless conflicts in the .ts; context + English text identify each message.
"$LUPDATE" "${SOURCES[@]}" -ts "$TS" -no-obsolete -locations none \
  -source-language en -target-language zh_CN
"$LRELEASE" "$TS" -qm "$QM"

unfinished=$(grep -c 'type="unfinished"' "$TS" || true)
if [ "$unfinished" -gt 0 ]; then
  echo "注意：$TS 中还有 $unfinished 条未翻译（type=\"unfinished\"），请翻译后再运行本脚本。" >&2
  exit 3
fi
