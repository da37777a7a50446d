"""The application icon (src/counter_app/ui/icons/, rendered from
resources/icons/counter_app.svg by scripts/make_icons.py): the window, the task bar, the
Linux desktop entry and the Windows installer show the same picture."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

ICONS = Path(__file__).resolve().parent.parent / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The icon at every rendered size (an empty QIcon if the files are missing)."""
    icon = QIcon()
    for size in SIZES:
        path = ICONS / f"counter_app-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    return icon
