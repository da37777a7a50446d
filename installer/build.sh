#!/usr/bin/env bash
# Build the frozen counter app (PyInstaller, one folder) on Linux (macOS should work the same
# way but is untested, and makes no .app bundle).
#
#   installer/build.sh                 # build venv in build/venv, output in dist/counter_app/
#   BUILD_VENV=.venv installer/build.sh   # reuse the development venv (./run setup)
#   PYTHON=python3.12 installer/build.sh  # interpreter for a new build venv
#   BUILD_ON_TOP_OF=.venv/bin/python installer/build.sh
#       # a build venv (build/venv-on-top) that sees that Python's packages through a .pth
#       # and adds only PyInstaller: no second copy of PySide6 & co. installed from nothing
#       # (the package test uses it; the shared venv itself stays untouched)
#
# Safe to repeat: the venv is created once and reinstalled only when pyproject.toml or
# installer/build-requirements.txt changed. Each build starts clean (--clean) so that
# no file of an earlier build lingers in dist/counter_app/.
# Then:  installer/smoke_test.sh dist/counter_app
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

base=${BUILD_ON_TOP_OF:-}
if [ -n "$base" ]; then
  PYTHON=$("$base" -c 'import sys; print(sys._base_executable)')
  venv=${BUILD_VENV:-build/venv-on-top}
else
  venv=${BUILD_VENV:-build/venv}
fi
case "$venv" in /*) ;; *) venv="$root/$venv" ;; esac

# --- a Python >= 3.11 for the build venv ------------------------------------------------
PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
       && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      PY=$candidate; break
    fi
  done
fi

if [ ! -x "$venv/bin/python" ]; then
  [ -n "$PY" ] || { echo "build.sh: Python 3.11 or newer is needed" >&2; exit 1; }
  echo "==> creating build venv $venv ($("$PY" --version))"
  "$PY" -m venv "$venv"
fi

# --- the project and PyInstaller into it (again only when a requirement changed) --------
sha256() { if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi; }
stamp="$venv/.counter-app-build-$(cat pyproject.toml installer/build-requirements.txt | sha256 | cut -c1-16)"
if [ -n "$base" ]; then
  site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  "$base" -c 'import sysconfig; p = sysconfig.get_paths(); print(p["purelib"]); print(p["platlib"])' \
    | sort -u > "$site/counter_app_build_base.pth"
  if [ ! -f "$stamp" ]; then
    echo "==> PyInstaller into $venv, on top of $base's packages"
    "$venv/bin/python" -m pip install -q -r installer/build-requirements.txt
    rm -f "$venv"/.counter-app-build-*
    touch "$stamp"
  fi
elif [ ! -f "$stamp" ]; then
  echo "==> installing counter-app and PyInstaller into $venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  # Editable: the spec takes modules and resources from src/ of this checkout anyway.
  "$venv/bin/python" -m pip install -q -e . -r installer/build-requirements.txt
  rm -f "$venv"/.counter-app-build-*
  touch "$stamp"
fi

# --- translations: warn about a stale or missing .qm (scripts/update_translations.sh) ---
for ts in resources/i18n/*.ts; do
  [ -e "$ts" ] || continue
  qm="src/counter_app/ui/i18n/$(basename "${ts%.ts}").qm"
  if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
    echo "WARNING: $qm is missing or older than $ts; run scripts/update_translations.sh" >&2
  fi
done

# --- build ------------------------------------------------------------------------------
echo "==> PyInstaller $("$venv/bin/python" -m PyInstaller --version) ($("$venv/bin/python" --version))"
start=$SECONDS
"$venv/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/counter_app.spec
elapsed=$((SECONDS - start))

out="$root/dist/counter_app"
[ -x "$out/counter_app" ] || { echo "build.sh: $out/counter_app was not built" >&2; exit 1; }
echo
echo "Built in ${elapsed} s: $out ($(du -sh "$out" | cut -f1))"
echo "  run:        $out/counter_app            (sub-commands: $out/counter_app --help)"
echo "  smoke test: installer/smoke_test.sh $out"
echo "  ship:       the whole folder, e.g. tar -C dist -czf counter_app-linux.tar.gz counter_app"
