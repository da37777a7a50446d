"""Helpers for driving the real counter window in pytest-qt tests."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def login(qtbot, session, operator_id: int, pin: str):
    dialog = session.login
    dialog.select_operator(operator_id)
    QTest.keyClicks(dialog.pin, pin)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        QTest.keyClick(dialog.pin, Qt.Key.Key_Return)
    return session.window


def wedge_scan(widget, code: str) -> None:
    """What a USB keyboard-wedge scanner does: the whole code in a burst, then Enter."""
    QTest.keyClicks(widget, code)
    QTest.keyClick(widget, Qt.Key.Key_Return)


def shown(qtbot, page, width: int = 1300, height: int = 760):
    """``page`` on screen at a laptop's size, closed with the test."""
    qtbot.addWidget(page)
    page.resize(width, height)
    page.show()
    qtbot.waitExposed(page)
    return page


def press_on_next_dialog(key=Qt.Key.Key_Return, delay_ms: int = 50) -> None:
    """Answer the next modal dialog with a key press, as a volunteer would."""
    def answer():
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(delay_ms, answer)
            return
        QTest.keyClick(modal, key)

    QTimer.singleShot(delay_ms, answer)


def counter_session(qtbot, counter, tmp_path, **options):
    """A real CounterSession on the test database, receipts as PDFs in tmp_path (a
    generator for fixtures: ``yield from counter_session(...)``); ``options`` go to
    CounterSession (e.g. ``day=True``)."""
    from counter_app.ui.devices.receipt_output import ReceiptOutput
    from counter_app.ui.shell.session import CounterSession

    s = CounterSession(counter.db, ReceiptOutput(folder=tmp_path / "receipts", open_pdf=False),
                       **options)
    s.start()
    qtbot.addWidget(s.login)
    try:
        yield s
    finally:  # also on gen.close(): a wedge filter left on the app swallows later scans' Enter
        s.shutdown()  # both app-wide filters (wedge, focus return) and the scanner
        if s.window is not None:
            s.window.close()
            s.window.deleteLater()


def run_app_child(script: str, db_path, tmp_path, *argv: str) -> dict:
    """``script`` in a fresh offscreen Python on ``db_path`` (sys.argv[1]); it prints
    ``RESULT <json>``: that JSON."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "src"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
           "COUNTER_APP_SETTINGS": str(tmp_path / "settings.json")}
    proc = subprocess.run([sys.executable, "-c", script, str(db_path), *argv],
                          env=env, capture_output=True, text=True, timeout=120)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line, proc.stderr
    return json.loads(line[7:])
