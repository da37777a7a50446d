"""The self-service kiosk window (pytest-qt, offscreen): a scan shows the balance, the
window returns to its welcome screen after its time-out, and only an administrator's PIN
ends it — no operator page is reachable from it."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from counter_app.members import get_member
from counter_app.ui.common.ops import wait_idle
from ui_helpers import wedge_scan


def card(counter, mid):
    with counter.db.read() as s:
        return get_member(s, mid).card_code


@pytest.fixture
def kiosk(qtbot, counter, language, tmp_path, monkeypatch):
    from counter_app.ui.kiosk.kiosk_app import build_kiosk

    monkeypatch.setenv("COUNTER_APP_SETTINGS", str(tmp_path / "settings.json"))
    language("zh_CN")
    counter.db.dispose()  # the kiosk opens the file itself, as `counter-app kiosk` does
    window, reader = build_kiosk(counter.db.path, timeout_s=0.6)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.keep_focus()
    yield window
    wait_idle()
    window.unlocked = True
    window.close()
    reader.close()


def test_a_wedge_scan_shows_the_balance_then_the_welcome_screen(qtbot, counter, kiosk):
    mid = counter.member("王小明", points=30)
    assert kiosk.on_welcome()
    with qtbot.waitSignal(kiosk.shown, timeout=5000) as shown:
        wedge_scan(kiosk, card(counter, mid))
    assert shown.args[0].balance == 30
    assert not kiosk.on_welcome()
    assert kiosk.balance.text() == "30 积分"
    assert kiosk.name.text() == "王*明"
    assert "王小明" not in "".join(w.text() for w in kiosk.findChildren(type(kiosk.name)))
    assert "香皂" in kiosk.redeemable.text()
    with qtbot.waitSignal(kiosk.returned, timeout=3000):
        pass  # the 0.6 s time-out of the fixture
    assert kiosk.on_welcome() and kiosk.balance.text() == ""


def test_a_serial_scan_and_a_phone_number(qtbot, counter, kiosk):
    mid = counter.member("张三", phone="13812340725", points=10)
    with qtbot.waitSignal(kiosk.refused, timeout=5000) as refused:
        kiosk.scan("13812340725")  # what the serial bridge's code signal calls
    assert "请扫描会员卡" in refused.args[0] and kiosk.on_welcome()
    assert "请扫描会员卡" in kiosk.welcome_error.text()
    with qtbot.waitSignal(kiosk.shown, timeout=5000):
        kiosk.scan(card(counter, mid))
    assert kiosk.balance.text() == "10 积分"


def test_a_serial_scanner_on_a_pseudo_terminal(qtbot, counter, kiosk):
    from counter_app.config import LocalSettings
    from counter_app.ui.kiosk.kiosk_app import attach_scanner
    from test_ui_devices import Pty

    mid = counter.member("李四", points=20)
    dev = Pty()
    bridge = attach_scanner(kiosk, LocalSettings(scanner_port=dev.path, scanner_terminator="CR"))
    try:
        # bytes written before the port is opened are flushed by its set-up (a real
        # scanner's code before the app listened is lost too): wait for the connection
        from counter_app.devices import CONNECTED
        qtbot.waitUntil(lambda: bridge.state == CONNECTED, timeout=5000)
        with qtbot.waitSignal(kiosk.shown, timeout=5000) as shown:
            dev.write_paced(card(counter, mid).encode() + b"\r")
        assert shown.args[0].balance == 20 and kiosk.balance.text() == "20 积分"
    finally:
        bridge.stop()
        dev.unplug()


def test_no_way_out_or_to_operator_pages_without_an_admin_pin(qtbot, counter, kiosk):
    kiosk.close()
    QTest.keyClick(kiosk, Qt.Key.Key_Escape)
    for key in ("Ctrl+Shift+D", "F9", "F11", "Alt+F4"):
        QTest.keySequence(kiosk, key)
    assert kiosk.isVisible() and kiosk.leave_dialog is None
    assert QApplication.activeModalWidget() is None
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [kiosk]

    dialog = kiosk.ask_leave()
    qtbot.waitUntil(lambda: dialog.admin.count() == 1)
    assert dialog.admin.currentText() == "管理员"  # administrators only: no volunteer listed
    # the volunteer's PIN is no administrator's
    QTest.keyClicks(dialog.pin, "1111")
    QTest.keyClick(dialog.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "PIN 不正确" in dialog.message.text(), timeout=5000)
    assert kiosk.isVisible() and not kiosk.unlocked
    # a volunteer chosen by other means is refused too
    from counter_app import kiosk_view
    from counter_app.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        kiosk_view.leave(kiosk.reader.db, counter.volunteer.operator_id, "1111", "XF01")
    with qtbot.waitSignal(kiosk.left, timeout=5000) as left:
        QTest.keyClicks(dialog.pin, "1234")
        QTest.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert left.args[0].name == "管理员"
    assert kiosk.unlocked and not kiosk.isVisible()


def test_cancelling_the_pin_goes_back_to_the_kiosk_with_the_keyboard(qtbot, counter, kiosk):
    dialog = kiosk.ask_leave()
    with qtbot.waitSignal(dialog.finished, timeout=3000):
        dialog.reject()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is kiosk, timeout=3000)
    assert kiosk.isVisible() and kiosk.leave_dialog is None
