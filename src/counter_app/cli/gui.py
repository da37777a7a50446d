"""``counter-app`` / ``counter-app gui``: the counter window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from counter_app.cli.command import Db, command


def register(sub) -> None:
    g = sub.add_parser("gui", help="打开柜台窗口（默认）")
    command(g, run_gui, Db.NONE)


def check_display(environ=os.environ, platform: str = sys.platform) -> None:
    """Without a display Qt's xcb plugin aborts the process (exit 134) with an English
    message: say in Chinese what to do before Qt is imported."""
    from counter_app.errors import NoDisplay

    if not platform.startswith("linux"):
        return
    if any(environ.get(k) for k in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        return
    raise NoDisplay()


def run_gui(args, db_path: Path) -> int:
    check_display()
    from counter_app.ui.app import run

    return run(db_path, argv=sys.argv[:1])
