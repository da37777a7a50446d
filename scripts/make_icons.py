"""Render resources/icons/counter_app.svg to the PNG sizes the window, the Linux desktop
entry and the Windows installer use, into src/counter_app/ui/icons/ (commit the output):

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_icons.py

Qt's own SVG renderer (QtSvg is in PySide6-Essentials); the .ico by Pillow."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "counter_app.svg"
OUT = ROOT / "src" / "counter_app" / "ui" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, OUT / "counter_app.svg")
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"cannot read {SOURCE}", file=sys.stderr)
        return 1
    pngs = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = OUT / f"counter_app-{size}.png"
        image.save(str(path))
        pngs.append(path)
        print(path.relative_to(ROOT))
    from PIL import Image

    biggest = Image.open(pngs[-1])
    biggest.save(OUT / "counter_app.ico", sizes=[(s, s) for s in SIZES if s <= 256])
    print((OUT / "counter_app.ico").relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
