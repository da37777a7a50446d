"""Qt Linguist translations: ours from ui/i18n/*.qm, Qt's own from qtbase."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

I18N = Path(__file__).parent.parent / "i18n"
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
