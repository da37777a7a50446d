"""Application start-up: QApplication, fonts, translations, log-in, the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# The log-in shows before SQLAlchemy and the models are imported (~0.6 s of CPU, ~60 % of
# the old start): run() reads what the log-in needs with plain sqlite3 and the database
# worker imports and opens the rest while the PIN is typed (CounterSession.starting).
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from counter_app.config import LocalSettings
from counter_app.ui.common.scale import apply_to_app
from counter_app.ui.shell.translations import install_translations

NO_DISPLAY_HINT = ("无法打开柜台窗口：图形界面（Qt 平台插件 {platform}）无法启动。\n"
                   "请在有显示器的桌面上运行；远程或无显示器时，可用 ./run app，"
                   "或设置 QT_QPA_PLATFORM=offscreen 只生成截图。\n")


def _create_application(argv: list[str]) -> QApplication:
    """QApplication, but a platform plugin that cannot load (no display, missing xcb
    libraries) ends with a Chinese explanation and exit code 3, not Qt's English abort."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    said: list[str] = []  # Qt's own (English) lines: details after the explanation

    def handler(kind, _context, message):
        said.append(message)
        if kind == QtMsgType.QtFatalMsg:
            sys.stderr.write(NO_DISPLAY_HINT.format(
                platform=os.environ.get("QT_QPA_PLATFORM") or "xcb"))
            sys.stderr.write("详细信息：" + " / ".join(m.splitlines()[0] for m in said if m) + "\n")
            sys.stderr.flush()
            os._exit(3)

    previous = qInstallMessageHandler(handler)
    try:
        app = QApplication(argv)
    finally:
        qInstallMessageHandler(previous)
    for message in said:  # warnings of a start that worked: as Qt would have printed them
        sys.stderr.write(message + "\n")
    return app


def make_app(argv: list[str] | None = None, language: str | None = None) -> QApplication:
    app = QApplication.instance() or _create_application(argv or sys.argv[:1])
    settings = LocalSettings.load()
    _load_cjk_font()
    font = QFont()
    # Large, readable text for elderly volunteers; CJK fallbacks in order of preference.
    font.setFamilies(["Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei",
                      "Noto Sans CJK SC", "SimSun"])
    app.setFont(font)
    apply_to_app(app, settings.font_scale)  # 标准 / 大 / 特大
    app.setApplicationName("counter_app")
    app.setDesktopFileName("counter-app")  # Wayland/X11 match the window to its .desktop entry
    from counter_app.ui.common.icon import app_icon

    app.setWindowIcon(app_icon())
    install_translations(app, language or os.environ.get("COUNTER_APP_LANG")
                         or settings.language)
    app.setApplicationDisplayName(app.translate("App", "Points supermarket counter"))
    return app


def _load_cjk_font() -> None:
    # A bundled-style TrueType CJK font only where the system has none: most systems have
    # one, and finding ours imports counter_app.documents (reportlab, python-escpos …).
    if QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
        return
    from counter_app.documents.fonts import candidates

    path = next((p for p in candidates() if p.exists()), None)
    if path is not None:
        QFontDatabase.addApplicationFont(str(path))


def run(db_path: Path, argv: list[str] | None = None,
        confirm_new=None) -> int:
    """The windowed app on ``db_path``. ``confirm_new(NewDatabase) -> bool`` asks before a
    new non-default database is created (default: a question box)."""
    from PySide6.QtWidgets import QMessageBox

    from counter_app.db.app_lock import hold_app_lock
    from counter_app.errors import CounterError, NotFound
    from counter_app.logs import setup_logging
    from counter_app.sign_in import read_start
    from counter_app.ui.common.errors import install_excepthook
    from counter_app.ui.common.ops import call_on_worker
    from counter_app.ui.shell.new_database import NewDatabase
    from counter_app.ui.shell.session import CounterSession

    setup_logging()
    app = make_app(argv)
    install_excepthook()
    new = NewDatabase(db_path)
    if new.needs_confirmation() and not (confirm_new or NewDatabase.confirm)(new):
        return 0
    db = lock = None
    try:
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        # Held for the life of the app: restore and demo --force refuse while it runs.
        lock = hold_app_lock(db_path)
        start = read_start(db_path)  # a database ready as it is: log in at once
        if start is not None:
            session = CounterSession.starting(start, db_path, day=True)
        else:  # new, to migrate, or to explain: the full way, before any window
            from counter_app.counters import local_counter
            from counter_app.db import open_database

            db = open_database(db_path)
            try:
                counter = call_on_worker(local_counter, db)
            except NotFound:  # a new database: set it up here, not on a command line
                from counter_app.ui.shell.first_run_dialog import FirstRunDialog

                first = FirstRunDialog(db)
                if not first.exec():
                    db.dispose()
                    lock.release()
                    new.remove()  # cancelled: a new file goes again, with its folders
                    return 0
                if first.joined is not None:  # the district built a new file at db_path
                    db = open_database(db_path)
                counter = None
            session = CounterSession(db, counter=counter, day=True)
    except (CounterError, OSError) as exc:  # a windowed app has no console to print to
        if db is not None:
            db.dispose()
        if lock is not None:
            lock.release()
        new.remove()
        QMessageBox.critical(None, app.translate("App", "Cannot start"), str(exc))
        return 2
    session.start()
    try:
        return app.exec()
    finally:
        lock.release()
