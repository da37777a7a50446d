"""The keyboard-wedge filter on its own: bursts versus typing, with and without an IME."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from counter_app.ui.devices.wedge import WedgeScanFilter


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def make(qtbot, clock):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    wedge = WedgeScanFilter(max_gap_ms=50, min_length=6, clock=clock)
    QApplication.instance().installEventFilter(wedge)
    got = []
    wedge.scanned.connect(got.append)
    entered = []
    edit.returnPressed.connect(lambda: entered.append(edit.text()))
    return edit, wedge, got, entered


def type_keys(edit, clock, text, gap_s):
    for ch in text:
        QTest.keyClick(edit, ch)
        clock.now += gap_s


def test_fast_burst_is_a_scan_and_enter_is_swallowed(qtbot):
    clock = FakeClock()
    edit, wedge, got, entered = make(qtbot, clock)
    try:
        type_keys(edit, clock, "XF00000017", 0.004)
        QTest.keyClick(edit, Qt.Key.Key_Return)
        assert got == ["XF00000017"] and entered == []
    finally:
        QApplication.instance().removeEventFilter(wedge)


def test_human_typing_is_not_a_scan(qtbot):
    clock = FakeClock()
    edit, wedge, got, entered = make(qtbot, clock)
    try:
        type_keys(edit, clock, "13812345678", 0.15)
        QTest.keyClick(edit, Qt.Key.Key_Return)
        assert got == [] and entered == ["13812345678"]
        type_keys(edit, clock, "zs", 0.001)  # too short to be a code
        QTest.keyClick(edit, Qt.Key.Key_Return)
        assert got == []
    finally:
        QApplication.instance().removeEventFilter(wedge)


def test_burst_through_a_chinese_input_method_is_a_scan(qtbot):
    """With an IME active, the scanner's characters reach the widget as commits."""
    clock = FakeClock()
    edit, wedge, got, _entered = make(qtbot, clock)
    try:
        for ch in "XF00000017":
            event = QInputMethodEvent("", [])
            event.setCommitString(ch)
            QApplication.sendEvent(edit, event)
            clock.now += 0.003
        QTest.keyClick(edit, Qt.Key.Key_Return)
        assert got == ["XF00000017"]
        # a person committing 张三 through the IME is not a scan
        event = QInputMethodEvent("", [])
        event.setCommitString("张三")
        QApplication.sendEvent(edit, event)
        QTest.keyClick(edit, Qt.Key.Key_Return)
        assert got == ["XF00000017"]
    finally:
        QApplication.instance().removeEventFilter(wedge)


def test_a_pause_inside_the_burst_breaks_it(qtbot):
    clock = FakeClock()
    edit, wedge, got, _entered = make(qtbot, clock)
    try:
        type_keys(edit, clock, "XF0000", 0.003)
        clock.now += 0.5
        type_keys(edit, clock, "0017", 0.003)
        QTest.keyClick(edit, Qt.Key.Key_Return)
        assert got == []
    finally:
        QApplication.instance().removeEventFilter(wedge)


def test_keys_in_two_widgets_never_make_one_burst(qtbot):
    # "cq" in the search box, log-out, then a PIN typed as fast: 6 quick characters, but
    # in two widgets; the PIN's Enter must reach the PIN box (it was taken for a scan).
    clock = FakeClock()
    edit, wedge, got, entered = make(qtbot, clock)
    pin = QLineEdit()
    qtbot.addWidget(pin)
    pin_entered = []
    pin.returnPressed.connect(lambda: pin_entered.append(pin.text()))
    try:
        type_keys(edit, clock, "cq", 0.004)
        type_keys(pin, clock, "1111", 0.004)
        QTest.keyClick(pin, Qt.Key.Key_Return)
        assert got == [] and pin_entered == ["1111"]
        type_keys(pin, clock, "XF00000017", 0.004)  # a real scan into one widget still is
        QTest.keyClick(pin, Qt.Key.Key_Return)
        assert got == ["XF00000017"]
    finally:
        QApplication.instance().removeEventFilter(wedge)
