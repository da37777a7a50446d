"""``counter-app kiosk``: the self-service kiosk as its own program (no operator log-in)."""

from __future__ import annotations

from pathlib import Path


def start_speaker(settings, on_ready) -> None:
    """When spoken confirmation is on, find the voice on a thread of its own (it runs the
    engine's voice list) and hand a Speaker (or None) to ``on_ready`` on the GUI thread."""
    import threading

    from PySide6.QtCore import QObject, Qt, Signal

    if not settings.speech:
        on_ready(None)
        return

    class _Ready(QObject):
        found = Signal(object)

    ready = _Ready()
    ready.found.connect(on_ready, Qt.ConnectionType.QueuedConnection)

    def find():
        from counter_app import speech

        voice = speech.find_voice()
        ready.found.emit(speech.Speaker(voice) if voice else None)

    threading.Thread(target=find, name="counter-speech-probe", daemon=True).start()
    start_speaker._keep = ready  # alive until the signal is delivered


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


def run(db_path: Path, timeout_s: float | None = None, windowed: bool = False) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from counter_app.config import LocalSettings
    from counter_app.errors import CounterError
    from counter_app.logs import setup_logging
    from counter_app.ui.app import make_app
    from counter_app.ui.common.errors import install_excepthook
    from counter_app.ui.devices.scanner_bridge import ScannerBridge

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
    scanner = None
    try:
        scanner = ScannerBridge.from_settings(settings, window)
    except (ValueError, TypeError) as exc:
        window.welcome_error.setText(str(exc))
    if scanner is not None:
        scanner.code.connect(window.scan)
        scanner.start()

    def speaker_ready(speaker):
        window.speaker = speaker

    start_speaker(settings, speaker_ready)
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
        if window.speaker is not None:
            window.speaker.close()
        reader.close()
