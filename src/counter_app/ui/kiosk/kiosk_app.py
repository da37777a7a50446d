"""``counter-app kiosk``: the self-service kiosk as its own program (no operator log-in)."""

from __future__ import annotations

from pathlib import Path


def build_kiosk(db_path: Path, timeout_s: float | None = None, settings=None):
    """The kiosk window on ``db_path`` (not shown): (window, reader)."""
    from counter_app.config import LocalSettings
    from counter_app.counters import local_counter
    from counter_app.kiosk_view import KioskReader
    from counter_app.ui.common.ops import call_on_worker
    from counter_app.ui.kiosk.kiosk_window import KioskWindow

    settings = settings or LocalSettings.load()
    reader = call_on_worker(KioskReader, db_path)
    counter = call_on_worker(local_counter, reader.db)
    window = KioskWindow(reader, counter, timeout_s or settings.kiosk_timeout_s)
    return window, reader


def attach_scanner(window, settings):
    """The serial scanner of ``settings`` (none set up: None) feeding ``window.scan``,
    started. A keyboard-wedge scanner needs nothing: it types into the window."""
    from counter_app.ui.devices.scanner_bridge import ScannerBridge

    try:
        scanner = ScannerBridge.from_settings(settings, window)
    except (ValueError, TypeError) as exc:
        window.welcome_error.setText(str(exc))
        return None
    if scanner is not None:
        scanner.code.connect(window.scan)
        scanner.start()
    return scanner


def run(db_path: Path, timeout_s: float | None = None, windowed: bool = False) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from counter_app.config import LocalSettings
    from counter_app.errors import CounterError
    from counter_app.logs import setup_logging
    from counter_app.ui.app import make_app
    from counter_app.ui.common.errors import install_excepthook
    setup_logging()
    app = make_app()
    install_excepthook()
    settings = LocalSettings.load()
    try:
        window, reader = build_kiosk(db_path, timeout_s, settings)
    except (CounterError, OSError) as exc:
        QMessageBox.critical(None, app.translate("App", "Cannot start"), str(exc))
        return 2
    app.setQuitOnLastWindowClosed(True)
    scanner = attach_scanner(window, settings)

    from counter_app.ui.devices.speech_output import SpeechOutput

    window.speaker = SpeechOutput(window)  # says the balance when the setting is on
    window.speaker.apply_settings(settings)
    window.left.connect(lambda _actor: QApplication.instance().quit())
    if windowed:
        window.resize(1280, 800)
        window.show()
    else:
        window.show_kiosk()
    try:
        return app.exec()
    finally:
        if scanner is not None:
            scanner.stop()
        window.speaker.shutdown()
        reader.close()
