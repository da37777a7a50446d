#!/usr/bin/env bash
# Set-up shared by ./run app and ./run test. Safe to run again: each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: Qt's runtime libraries, a TrueType CJK font (reportlab cannot embed the
# CFF Noto CJK fonts), poppler for the PDF tests, Xvfb for headless machines, PostgreSQL
# binaries for the district-sync tests, espeak-ng (the Mandarin voice of spoken confirmation).
DEB_PACKAGES=(
  python3-venv fonts-wqy-microhei poppler-utils xvfb xauth
  libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1
  postgresql xdotool x11-apps imagemagick espeak-ng
)

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for pkg in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "安装系统软件包：${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
else
  echo "注意：不是 Debian/Ubuntu，请自行安装：${DEB_PACKAGES[*]}" >&2
fi

# Python >= 3.11 for the virtualenv.
PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      PY=$candidate; break
    fi
  done
fi
[ -n "$PY" ] || { echo "需要 Python 3.11 或更新版本" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# Reinstall only when the dependency list changed.
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
# The app's own bytecode, written now: where PYTHONDONTWRITEBYTECODE is set (this kind of
# machine sets it) every start would otherwise compile ~150 modules again (~0.6 s of the
# log-in -> counter time). Only changed files are recompiled.
.venv/bin/python -m compileall -q src >/dev/null
