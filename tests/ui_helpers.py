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


def counter_session(qtbot, counter, tmp_path):
    """A real CounterSession on the test database, receipts as PDFs in tmp_path (a
    generator for fixtures: ``yield from counter_session(...)``)."""
    from counter_app.ui.devices.receipt_output import ReceiptOutput
    from counter_app.ui.shell.session import CounterSession

    s = CounterSession(counter.db, ReceiptOutput(folder=tmp_path / "receipts", open_pdf=False))
    s.start()
    qtbot.addWidget(s.login)
    yield s
    s.shutdown()  # both app-wide filters (wedge, focus return) and the scanner
    if s.window is not None:
        s.window.close()
        s.window.deleteLater()
