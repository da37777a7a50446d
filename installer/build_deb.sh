#!/usr/bin/env bash
# Build the Linux package (.deb) for Debian-family counters (统信 UOS, 银河麒麟 Kylin, Debian,
# Ubuntu) from the PyInstaller one-folder bundle:
#
#   installer/build.sh                     # dist/counter_app/ (the bundle)
#   installer/build_deb.sh [BUNDLE [OUT]]  # dist/counter-app_<version>_<arch>.deb
#   installer/test_deb.sh  [DEB]           # install it with dpkg, run it, remove it
#
# Why the bundle and not a venv: UOS 20 / Kylin V10 ship Python 3.7-3.8, the program needs
# 3.11+; the bundle brings its own interpreter, Qt and every library, so the package
# depends only on the C libraries Qt loads from the system (X11/xcb, EGL, fontconfig) and
# a Chinese TrueType font. It installs:
#   /opt/counter-app/                  the bundle (counter_app + _internal/)
#   /usr/bin/counter-app               wrapper: exec /opt/counter-app/counter_app "$@"
#   /usr/share/applications/           counter-app.desktop, counter-app-kiosk.desktop
#   /usr/share/icons/hicolor/*/apps/   counter-app.png (16…256) and scalable counter-app.svg
#   /usr/share/doc/counter-app/        copyright, counter-setup.md
# Data, settings and logs stay in each user's home (installer/README.md); removing the
# package never touches them. Needs dpkg-deb (any Debian-family system); no root.
# DEB_COMPRESSION=xz (default: the smallest file, but minutes on a busy machine) or gzip
# (several times faster, ~1.5x the size; what the slow test uses). Not zstd: the dpkg of
# older UOS/Kylin releases cannot read it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bundle=${1:-$root/dist/counter_app}
out=${2:-$root/dist}
[ -x "$bundle/counter_app" ] || { echo "build_deb.sh: no bundle at $bundle (run installer/build.sh)" >&2; exit 2; }
command -v dpkg-deb >/dev/null || { echo "build_deb.sh: dpkg-deb is missing" >&2; exit 2; }

version=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n1)
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
name=counter-app
stage=$(mktemp -d "${TMPDIR:-/tmp}/counter-app-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
pkg="$stage/${name}_${version}_${arch}"

mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" \
         "$pkg/usr/share/doc/$name"
cp -a "$bundle" "$pkg/opt/$name"
# The bundle as built may carry group/other write bits of the build user's umask.
chmod -R u=rwX,go=rX "$pkg/opt/$name"

cat > "$pkg/usr/bin/$name" <<'WRAP'
#!/bin/sh
# counter-app: the points supermarket counter (package counter-app; program in /opt/counter-app).
exec /opt/counter-app/counter_app "$@"
WRAP
chmod 0755 "$pkg/usr/bin/$name"

install -m 0644 installer/linux/counter-app.desktop installer/linux/counter-app-kiosk.desktop \
  "$pkg/usr/share/applications/"
icons=src/counter_app/ui/icons
for size in 16 24 32 48 64 128 256; do
  dir="$pkg/usr/share/icons/hicolor/${size}x${size}/apps"
  mkdir -p "$dir"
  install -m 0644 "$icons/counter_app-$size.png" "$dir/$name.png"
done
mkdir -p "$pkg/usr/share/icons/hicolor/scalable/apps"
install -m 0644 "$icons/counter_app.svg" "$pkg/usr/share/icons/hicolor/scalable/apps/$name.svg"

cat > "$pkg/usr/share/doc/$name/copyright" <<COPY
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: counter-app
License: MIT
Comment: bundles CPython, Qt for Python (PySide6, LGPLv3) and the Python libraries listed
 in pyproject.toml, each under its own licence (see /opt/counter-app/_internal/*.dist-info).
COPY
[ -f docs/counter-setup.md ] && install -m 0644 docs/counter-setup.md "$pkg/usr/share/doc/$name/"

size_kb=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: $name
Version: $version
Architecture: $arch
Maintainer: counter-app maintainers <counter-app@localhost>
Section: misc
Priority: optional
Installed-Size: $size_kb
Depends: libc6 (>= 2.31), libegl1, libgl1, libfontconfig1, libfreetype6, libxkbcommon0, libxkbcommon-x11-0, libdbus-1-3, libglib2.0-0, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-shape0, libxcb-xinerama0, libxcb-randr0, libxcb-render-util0, libxcb-image0, libxcb-xkb1, fonts-wqy-microhei | fonts-wqy-zenhei
Recommends: espeak-ng, xdg-utils
Description: points supermarket counter (积分超市柜台)
 Counter program of a community points supermarket: members and their cards,
 redemptions with receipts, stock, points awards, a member self-service kiosk
 (counter-app kiosk), spoken confirmation, sync with the district database.
 Start it from the menu (积分超市柜台) or with "counter-app"; "counter-app --help"
 lists the sub-commands (selftest, backup, sync, kiosk ...).
CONTROL

cat > "$pkg/DEBIAN/postinst" <<'POST'
#!/bin/sh
set -e
if [ "$1" = "configure" ]; then
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi
exit 0
POST
cp "$pkg/DEBIAN/postinst" "$pkg/DEBIAN/postrm"
sed -i 's/if \[ "\$1" = "configure" \]; then/if [ "$1" = "remove" ] || [ "$1" = "purge" ]; then/' "$pkg/DEBIAN/postrm"
chmod 0755 "$pkg/DEBIAN/postinst" "$pkg/DEBIAN/postrm"

mkdir -p "$out"
deb="$out/${name}_${version}_${arch}.deb"
compression=${DEB_COMPRESSION:-xz}
# none: for the package test, which proves installation, not the size (gzip: 4.6 min here)
case "$compression" in xz|gzip|none) ;; *) echo "build_deb.sh: DEB_COMPRESSION is xz, gzip or none" >&2; exit 2 ;; esac
dpkg-deb --root-owner-group "-Z$compression" --build "$pkg" "$deb" >/dev/null
echo "$deb"
echo "  package: $(du -h "$deb" | cut -f1), installed: $((size_kb / 1024)) MB" >&2
