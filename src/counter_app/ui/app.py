"""Application start-up: QApplication, fonts, translations, log-in, the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from counter_app.config import LocalSettings

I18N = Path(__file__).with_name("i18n")
_translators: list[QTranslator] = []  # kept alive for the life of the app


def install_translations(app: QApplication, language: str) -> None:
    """Chinese by default: our strings from counter_app_<lang>.qm, Qt's own from qtbase."""
    for t in _translators:
        app.removeTranslator(t)
    _translators.clear()
    if language.startswith("en"):
        QLocale.setDefault(QLocale(QLocale.Language.English))
        return
    QLocale.setDefault(QLocale(language))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{language}", qt_dir), (f"counter_app_{language}", str(I18N))):
        t = QTranslator(app)
        if t.load(name, folder):
            app.installTranslator(t)
            _translators.append(t)


def make_app(argv: list[str] | None = None, language: str | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    _load_cjk_font()
    font = QFont()
    # Large, readable text for elderly volunteers; CJK fallbacks in order of preference.
    font.setFamilies(["Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei",
                      "Noto Sans CJK SC", "SimSun"])
    font.setPointSize(14)
    app.setFont(font)
    app.setApplicationName("counter_app")
    install_translations(app, language or os.environ.get("COUNTER_APP_LANG")
                         or LocalSettings.load().language)
    app.setApplicationDisplayName(app.translate("App", "Points supermarket counter"))
    return app


def _load_cjk_font() -> None:
    # A bundled-style TrueType CJK font where the system lacks one; a plain existence check
    # (registering it with reportlab for PDFs costs ~0.2 s and waits for the first print).
    from counter_app.documents.fonts import candidates

    path = next((p for p in candidates() if p.exists()), None)
    if path is not None:
        QFontDatabase.addApplicationFont(str(path))


def run(db_path: Path, argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QMessageBox

    from counter_app.counters import local_counter
    from counter_app.db import open_database
    from counter_app.errors import CounterError, NotFound
    from counter_app.logs import setup_logging
    from counter_app.ui.errors import install_excepthook
    from counter_app.ui.session import CounterSession

    setup_logging()
    app = make_app(argv)
    install_excepthook()
    try:
        db = open_database(db_path)
        try:
            local_counter(db)
        except NotFound:  # a new database: set it up here, not on a command line
            from counter_app.ui.first_run_dialog import FirstRunDialog

            if not FirstRunDialog(db).exec():
                return 0
        session = CounterSession(db)
    except (CounterError, OSError) as exc:  # a windowed app has no console to print to
        QMessageBox.critical(None, app.translate("App", "Cannot start"), str(exc))
        return 2
    session.start()
    return app.exec()
