"""Application start-up: QApplication, fonts, the first window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from counter_app.db import open_database


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    font = QFont()
    # Large, readable text for elderly volunteers; CJK fallbacks in order of preference.
    font.setFamilies(["Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei",
                      "Noto Sans CJK SC", "SimSun"])
    font.setPointSize(14)
    app.setFont(font)
    app.setApplicationName("积分超市柜台")
    return app


def run(db_path: Path, argv: list[str] | None = None) -> int:
    from counter_app.ui.member_list_window import MemberListWindow

    app = make_app(argv)
    db = open_database(db_path)
    window = MemberListWindow(db)
    window.show()
    return app.exec()
