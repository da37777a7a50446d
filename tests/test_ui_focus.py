"""After every dialog the main window is the active window again and the current page's
scan box has the keyboard (offscreen; tests/test_ui_xvfb.py checks the same on a real X
server without a window manager)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from counter_app.ui.common.focus import exec_dialog, restore_focus
from ui_helpers import login, press_on_next_dialog


@pytest.fixture
def session(qtbot, counter, tmp_path, monkeypatch):
    from counter_app.ui.devices.receipt_output import ReceiptOutput
    from counter_app.ui.shell.session import CounterSession

    monkeypatch.setenv("COUNTER_APP_SETTINGS", str(tmp_path / "settings.json"))
    session = CounterSession(counter.db, ReceiptOutput(folder=tmp_path, open_pdf=False))
    session.start()
    yield session
    session.shutdown()
    if session.window is not None:
        session.window.close()
    if session.login is not None:
        session.login.close()


def _focus_is_back(qtbot, window, box) -> None:
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box, timeout=3000)


def test_log_in_gives_the_scan_box_the_keyboard(qtbot, counter, session):
    window = login(qtbot, session, counter.admin.operator_id, "1234")
    _focus_is_back(qtbot, window, window.pages[0].input)


def test_settings_dialog_returns_focus(qtbot, counter, session):
    window = login(qtbot, session, counter.admin.operator_id, "1234")
    press_on_next_dialog(Qt.Key.Key_Escape)
    QTest.keyClick(window, Qt.Key.Key_F11)
    _focus_is_back(qtbot, window, window.pages[0].input)


def test_device_settings_returns_focus(qtbot, counter, session):
    window = login(qtbot, session, counter.admin.operator_id, "1234")
    window.setFocus()  # Qt alone would give the focus back to this, not to the scan box
    dialog = session.open_device_settings()
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    dialog.reject()
    _focus_is_back(qtbot, window, window.pages[0].input)


def test_any_message_box_returns_focus_to_the_current_page(qtbot, counter, session):
    """Also a box a page opens by itself (DialogFocusReturn), on the members page too."""
    window = login(qtbot, session, counter.admin.operator_id, "1234")
    window.show_page(window.page_keys.index("members"))
    members = window.page("members")
    box = QMessageBox(QMessageBox.Icon.Question, "?", "?", QMessageBox.StandardButton.Ok, window)
    window.setFocus()
    QTimer.singleShot(50, box.accept)
    box.exec()  # a plain exec(), not exec_dialog: the app-wide filter still brings it back
    _focus_is_back(qtbot, window, members.input)


def test_exec_dialog_reactivates_the_window(qtbot, counter, session):
    window = login(qtbot, session, counter.admin.operator_id, "1234")
    session.shutdown()  # without the app-wide filter: exec_dialog alone does it
    dialog = QDialog(window)
    window.setFocus()
    QTimer.singleShot(50, dialog.reject)
    exec_dialog(dialog)
    _focus_is_back(qtbot, window, window.pages[0].input)


def test_log_out_gives_the_log_in_dialog_the_keyboard(qtbot, counter, session):
    window = login(qtbot, session, counter.admin.operator_id, "1234")
    QTest.keyClick(window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: session.login.isVisible(), timeout=3000)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is session.login, timeout=3000)
    assert QApplication.focusWidget() is session.login.pin
    restore_focus(window)  # a hidden window does not take the focus back
    assert QApplication.activeWindow() is session.login
