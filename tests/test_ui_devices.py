"""Serial scanner in the UI (real pseudo-terminals), the session wiring, and the device
settings dialog."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QApplication

from counter_app.config import LocalSettings
from counter_app.devices import CONNECTED, DISCONNECTED, REJECTED, ScannerConfig
from counter_app.members import get_member
from counter_app.ui.devices.device_settings_dialog import (
    BY_PORT,
    BY_USB,
    DeviceSettingsDialog,
    escape_text,
    raw_repr,
    unescape_text,
)
from counter_app.ui.devices.receipt_output import ReceiptOutput
from counter_app.ui.devices.scanner_bridge import ScannerBridge, scanner_config
from counter_app.ui.shell.session import CounterSession

BYTE_TIME = 10 / 9600  # 8N1 at 9600 baud
needs_pty = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX pseudo-terminals")


class Pty:
    """A fake scanner: the app opens ``path``; the test writes ``master``."""

    def __init__(self):
        self.master, self.slave = os.openpty()
        self.path = os.ttyname(self.slave)
        self.open = True

    def write_paced(self, data: bytes) -> None:
        start = time.perf_counter()
        for i in range(len(data)):
            os.write(self.master, data[i:i + 1])
            delay = start + (i + 1) * BYTE_TIME - time.perf_counter()
            if delay > 0:
                time.sleep(delay)

    def unplug(self) -> None:
        if self.open:
            self.open = False
            os.close(self.master)
            os.close(self.slave)


@pytest.fixture
def pty_dev():
    dev = Pty()
    yield dev
    dev.unplug()


@pytest.fixture(autouse=True)
def settings_file(tmp_path, monkeypatch):
    path = tmp_path / "settings.json"
    monkeypatch.setenv("COUNTER_APP_SETTINGS", str(path))
    return path


def fake_port(device, vid=None, pid=None, serial_number=None, description="n/a"):
    return SimpleNamespace(device=device, vid=vid, pid=pid, serial_number=serial_number,
                           description=description)


# --- the bridge ----------------------------------------------------------------------------

@needs_pty
def test_bridge_code_arrives_as_signal_on_gui_thread_and_unplug_is_reported(qtbot, pty_dev):
    bridge = ScannerBridge(ScannerConfig(port=pty_dev.path, read_timeout=0.05,
                                         reconnect_interval=0.1))
    threads = []
    # A lambda has no receiver object: with a plain signal it would run on the reader thread.
    bridge.code.connect(lambda code: threads.append(threading.current_thread()))
    try:
        with qtbot.waitSignal(bridge.status, timeout=3000) as connected:
            bridge.start()
        assert connected.args == [CONNECTED, f"扫码枪已连接（{pty_dev.path}）"]
        assert bridge.port == pty_dev.path

        with qtbot.waitSignal(bridge.code, timeout=3000) as scanned:
            pty_dev.write_paced(b"XF00000017\r\n")
        assert scanned.args == ["XF00000017"]
        assert threads == [threading.main_thread()]

        with qtbot.waitSignal(bridge.status, timeout=3000) as rejected:
            pty_dev.write_paced(b"XF\x0100017\r\n")
        assert rejected.args == [REJECTED, "忽略无效扫码：含不可打印字符"]
        assert bridge.state == CONNECTED  # a bad scan is not a connection state

        with qtbot.waitSignal(bridge.status, timeout=3000) as unplugged:
            pty_dev.unplug()
        assert unplugged.args == [DISCONNECTED, "扫码枪未连接"]
        assert (bridge.state, bridge.message) == (DISCONNECTED, "扫码枪未连接")
    finally:
        bridge.stop()
    assert not bridge.running


@needs_pty
def test_bridge_stop_closes_port_and_drops_queued_codes(qtbot, pty_dev):
    import serial

    bridge = ScannerBridge(ScannerConfig(port=pty_dev.path, read_timeout=0.05))
    codes = []
    bridge.code.connect(codes.append)
    with qtbot.waitSignal(bridge.status, timeout=3000):
        bridge.start()
    pty_dev.write_paced(b"XF00000017\r")
    time.sleep(0.3)  # the reader frames it and queues the signal; no events run meanwhile
    t0 = time.monotonic()
    bridge.stop()
    assert time.monotonic() - t0 < 0.5
    serial.Serial(pty_dev.path, exclusive=True).close()  # the port was released
    qtbot.wait(100)  # let anything still queued be delivered (and dropped)
    assert codes == []
    # and it can be started again
    with qtbot.waitSignal(bridge.code, timeout=3000) as again:
        bridge.start()
        qtbot.waitUntil(lambda: bridge.state == CONNECTED, timeout=3000)
        pty_dev.write_paced(b"XF00000018\r")
    assert again.args == ["XF00000018"]
    bridge.stop()


def test_scanner_config_from_settings():
    assert scanner_config(LocalSettings()) is None  # nothing set up: keyboard wedge only
    assert scanner_config(LocalSettings(scanner_match_usb=True)) is None
    c = scanner_config(LocalSettings(scanner_port="/dev/ttyACM0", scanner_baudrate=115200,
                                     scanner_parity="E", scanner_stopbits=2.0,
                                     scanner_terminator="CR", scanner_prefix="\x02"))
    assert (c.port, c.baudrate, c.parity, c.stopbits, c.terminator, c.prefix) == (
        "/dev/ttyACM0", 115200, "E", 2, "CR", "\x02")
    u = scanner_config(LocalSettings(scanner_port="/dev/ttyS0", scanner_match_usb=True,
                                     scanner_vid=0x1A86, scanner_pid=0x7523,
                                     scanner_serial_number=" SCN-A "))
    assert (u.usb_match, u.vid, u.pid, u.serial_number) == (True, 0x1A86, 0x7523, "SCN-A")
    with pytest.raises(ValueError):
        scanner_config(LocalSettings(scanner_port="/dev/x", scanner_parity="Q"))


# --- the session ----------------------------------------------------------------------------

@pytest.fixture
def session(qtbot, counter, tmp_path):
    s = CounterSession(counter.db, ReceiptOutput(folder=tmp_path / "receipts", open_pdf=False))
    s.start()
    qtbot.addWidget(s.login)
    yield s
    s.shutdown()
    if s.window is not None:
        s.window.close()
        s.window.deleteLater()


def log_in(qtbot, session, operator_id: int, pin: str):
    dialog = session.login
    dialog.select_operator(operator_id)
    dialog.pin.setText(pin)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.try_login()
    qtbot.waitUntil(lambda: session.window is not None and session.window.isVisible())
    return session.window


@needs_pty
def test_session_scanner_status_and_scan_selects_member(qtbot, session, counter, pty_dev):
    LocalSettings(scanner_port=pty_dev.path, scanner_terminator="CRLF").save()
    mid = counter.member("李四", points=30)
    with counter.db.read() as s:
        card = get_member(s, mid).card_code

    window = log_in(qtbot, session, counter.volunteer.operator_id, "1111")
    assert session.scanner is not None
    qtbot.waitUntil(lambda: window.scanner_state.text() == f"扫码枪已连接（{pty_dev.path}）",
                    timeout=3000)
    assert window.device_banner.isHidden()

    page = window.pages[0]
    with qtbot.waitSignal(page.member_shown, timeout=5000) as shown:
        pty_dev.write_paced(card.encode("ascii") + b"\r\n")
    assert shown.args == [mid]
    assert page.member.name == "李四"

    pty_dev.write_paced(b"\x1b[A\r\n")  # line noise: a status-bar message, no dialog
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "忽略无效扫码：含不可打印字符",
                    timeout=3000)
    assert QApplication.activeModalWidget() is None
    assert window.scanner_state.text() == f"扫码枪已连接（{pty_dev.path}）"

    pty_dev.unplug()
    qtbot.waitUntil(lambda: window.scanner_state.text() == "扫码枪未连接", timeout=3000)
    # B5: a banner above the pages, apart from the operator's name, naming the port
    banner = window.device_banner
    assert banner.isVisible() and pty_dev.path in banner.text.text()
    assert window.who.text() not in banner.text.text()

    bridge = session.scanner
    session.shutdown()  # what aboutToQuit does
    assert session.scanner is None and not bridge.running


def test_session_without_serial_scanner_starts_none(qtbot, session, counter):
    window = log_in(qtbot, session, counter.volunteer.operator_id, "1111")
    assert session.scanner is None and window.scanner_state.text() == ""


@pytest.mark.parametrize("settings, shown", [
    (LocalSettings(scanner_port="/dev/x", scanner_parity="Q"), "Scanner settings are not valid"),
])
def test_session_bad_scanner_settings_are_shown_not_raised(qtbot, session, counter, settings,
                                                           shown):
    settings.save()
    window = log_in(qtbot, session, counter.volunteer.operator_id, "1111")
    assert session.scanner is None and window.scanner_state.text() == shown


@needs_pty
def test_device_settings_from_session_pause_scanner_and_apply_printer(qtbot, counter, tmp_path,
                                                                        pty_dev, settings_file):
    LocalSettings(scanner_port=pty_dev.path).save()
    s = CounterSession(counter.db)  # receipts built from the settings by the session
    s.start()
    qtbot.addWidget(s.login)
    try:
        window = log_in(qtbot, s, counter.admin.operator_id, "1234")
        qtbot.waitUntil(lambda: s.scanner is not None and s.scanner.state == CONNECTED)
        dialog = s.open_device_settings()
        assert s.scanner is None  # the dialog has the port now, for its test box
        qtbot.waitUntil(lambda: dialog.test_state.text().startswith("扫码枪已连接"), timeout=3000)
        dialog.output.setCurrentIndex(dialog.output.findData("escpos"))
        dialog.escpos_file.setText(str(tmp_path / "lp0"))
        with qtbot.waitSignal(dialog.finished, timeout=3000):
            assert dialog.save()
        assert s.receipts.output == "escpos"
        assert s.receipts.escpos == {"type": "file", "path": str(tmp_path / "lp0")}
        qtbot.waitUntil(lambda: s.scanner is not None and s.scanner.state == CONNECTED,
                        timeout=3000)
        assert window.scanner_state.text() == f"扫码枪已连接（{pty_dev.path}）"
    finally:
        s.shutdown()
        if s.window is not None:
            s.window.close()
            s.window.deleteLater()


def test_device_settings_are_for_administrators(qtbot, session, counter):
    window = log_in(qtbot, session, counter.volunteer.operator_id, "1111")
    assert session.open_device_settings() is None
    assert window.statusBar().currentMessage() == \
        "Only an administrator can change device settings."


# --- the settings dialog --------------------------------------------------------------------

PORTS = [fake_port("/dev/ttyACM0", 0x1A86, 0x7523, "SCN-A", "USB Barcode Scanner"),
         fake_port("/dev/ttyS0", description="ttyS0")]


def test_dialog_lists_ports_and_saves_settings_that_load_back(qtbot, settings_file):
    LocalSettings(language="en").save()
    dialog = DeviceSettingsDialog(comports=lambda: list(PORTS), printer_names=lambda: ["XP-58"])
    qtbot.addWidget(dialog)
    assert dialog.ports.rowCount() == 2
    row = [dialog.ports.item(0, c).text() for c in range(4)]
    assert row == ["/dev/ttyACM0", "USB Barcode Scanner", "1A86:7523", "SCN-A"]
    assert [dialog.ports.item(1, c).text() for c in range(4)] == ["/dev/ttyS0", "ttyS0", "", ""]

    dialog.ports.selectRow(0)
    dialog.use_port_button.click()
    assert dialog.scanner_mode.currentData() == BY_USB
    assert (dialog.vid.text(), dialog.pid.text(), dialog.serial_number.text()) == (
        "1A86", "7523", "SCN-A")
    dialog.baud.setEditText("115200")
    dialog.parity.setCurrentIndex(dialog.parity.findData("E"))
    dialog.stopbits.setCurrentIndex(dialog.stopbits.findData(2.0))
    dialog.terminator.setCurrentIndex(dialog.terminator.findData("CR"))
    dialog.prefix.setText(r"\x02")
    dialog.suffix.setText("#")
    dialog.output.setCurrentIndex(dialog.output.findData("system"))
    dialog.width_mm.setCurrentIndex(dialog.width_mm.findData(80))
    dialog.footer.setPlainText("谢谢惠顾")
    dialog.system_printer.setCurrentIndex(dialog.system_printer.findData("XP-58"))
    dialog.system_paper.setCurrentIndex(dialog.system_paper.findData("A4"))
    dialog.system_ask.setChecked(True)
    with qtbot.waitSignal(dialog.saved, timeout=1000) as saved:
        assert dialog.save()

    raw = json.loads(settings_file.read_text(encoding="utf-8"))
    assert raw["scanner_match_usb"] is True and raw["scanner_vid"] == 0x1A86
    assert raw["scanner_prefix"] == "\x02" and raw["receipt_footer"] == "谢谢惠顾"
    assert raw["language"] == "en"  # fields that are not the dialog's are kept
    loaded = LocalSettings.load()
    assert loaded == saved.args[0] == dialog.settings
    assert (loaded.scanner_pid, loaded.scanner_serial_number, loaded.scanner_baudrate,
            loaded.scanner_parity, loaded.scanner_stopbits, loaded.scanner_terminator,
            loaded.scanner_suffix) == (0x7523, "SCN-A", 115200, "E", 2.0, "CR", "#")
    assert (loaded.receipt_output, loaded.receipt_width_mm, loaded.system_printer,
            loaded.system_paper, loaded.system_printer_ask) == ("system", 80, "XP-58", "A4", True)
    assert not list(settings_file.parent.glob("*.tmp"))  # written through a temp file
    cfg = scanner_config(loaded)
    assert (cfg.vid, cfg.pid, cfg.serial_number, cfg.prefix) == (0x1A86, 0x7523, "SCN-A", "\x02")

    again = DeviceSettingsDialog(comports=list)  # reopening shows what was saved
    qtbot.addWidget(again)
    assert again.prefix.text() == r"\x02" and again.vid.text() == "1A86"
    assert again.collect() == loaded


@pytest.mark.parametrize("edit, fragment", [
    (lambda d: d.vid.setText("XYZ"), "hexadecimal"),
    (lambda d: d.prefix.setText("码"), "Prefix"),
    (lambda d: d.suffix.setText(r"\r"), "CR or LF"),
    (lambda d: d.baud.setEditText("fast"), "baud"),
])
def test_dialog_refuses_bad_fields_and_writes_nothing(qtbot, settings_file, edit, fragment):
    dialog = DeviceSettingsDialog(comports=list)
    qtbot.addWidget(dialog)
    dialog.scanner_mode.setCurrentIndex(dialog.scanner_mode.findData(BY_PORT))
    dialog.port.setEditText("/dev/ttyACM0")
    edit(dialog)
    assert not dialog.save()
    assert fragment in dialog.message.text()
    assert not settings_file.exists()


def test_dialog_escpos_needs_its_address(qtbot, settings_file):
    dialog = DeviceSettingsDialog(comports=list)
    qtbot.addWidget(dialog)
    dialog.output.setCurrentIndex(dialog.output.findData("escpos"))
    dialog.escpos_kind.setCurrentIndex(dialog.escpos_kind.findData("network"))
    assert dialog.escpos_pages.currentIndex() == 2
    assert not dialog.save() and "host" in dialog.message.text()
    dialog.escpos_host.setText("192.168.1.50")
    assert dialog.save()
    assert LocalSettings.load().escpos_host == "192.168.1.50"


@needs_pty
def test_dialog_test_box_shows_raw_and_decoded_scan_live(qtbot, pty_dev):
    dialog = DeviceSettingsDialog(LocalSettings(scanner_port=pty_dev.path),
                                  comports=lambda: [fake_port(pty_dev.path)])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.test_state.text() == f"扫码枪已连接（{pty_dev.path}）",
                    timeout=3000)
    with qtbot.waitSignal(dialog.test_bridge.code, timeout=3000):
        pty_dev.write_paced(b"XF00000017\r\n")
    qtbot.waitUntil(lambda: dialog.test_raw.text() == r"'XF00000017\r\n'", timeout=2000)
    assert dialog.test_code.text() == "XF00000017"

    # change the framing in the form: the test reader restarts with it
    dialog.prefix.setText(r"\x02")
    qtbot.waitUntil(lambda: dialog.test_bridge is not None
                    and dialog.test_bridge.config.prefix == "\x02"
                    and dialog.test_bridge.state == CONNECTED, timeout=3000)
    time.sleep(BYTE_TIME * 20)
    with qtbot.waitSignal(dialog.test_bridge.code, timeout=3000):
        pty_dev.write_paced(b"\x02XF00000018\r\n")
    qtbot.waitUntil(lambda: dialog.test_raw.text() == r"'\x02XF00000018\r\n'", timeout=2000)
    assert dialog.test_code.text() == "XF00000018"

    pty_dev.write_paced(b"XF\x7f\r\n")
    qtbot.waitUntil(lambda: dialog.test_code.text() == "忽略无效扫码：含不可打印字符",
                    timeout=3000)
    bridge = dialog.test_bridge
    dialog.reject()
    assert dialog.test_bridge is None and not bridge.running  # closing frees the port


def test_escapes_round_trip():
    for text in ["", "]E0", "\x02", "\x03\x04", "a\\b", "\x7f\xff"]:
        assert unescape_text(escape_text(text)) == text
    assert escape_text("\x02]") == r"\x02]"
    assert raw_repr(b"XF00000017\r\n") == r"'XF00000017\r\n'"
    with pytest.raises(ValueError):
        unescape_text(r"\x0")



@needs_pty
def test_dialog_screenshot(qtbot, tmp_path, pty_dev):
    """Renders each page to PNG (set COUNTER_APP_SCREENSHOTS=folder to keep them)."""
    dialog = DeviceSettingsDialog(
        LocalSettings(scanner_port=pty_dev.path, receipt_output="escpos",
                      escpos_connection="network", escpos_host="192.168.1.50"),
        comports=lambda: list(PORTS) + [fake_port(pty_dev.path, description="pty")],
        printer_names=lambda: ["XP-58"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.test_bridge.state == CONNECTED, timeout=3000)
    with qtbot.waitSignal(dialog.test_bridge.code, timeout=3000):
        pty_dev.write_paced(b"XF00000017\r\n")
    qtbot.waitUntil(lambda: dialog.test_raw.text() == r"'XF00000017\r\n'", timeout=2000)
    folder = Path(os.environ.get("COUNTER_APP_SCREENSHOTS") or tmp_path)
    shots = []
    for tab, output in ((0, "escpos"), (1, "escpos"), (1, "system")):
        dialog.tabs.setCurrentIndex(tab)
        dialog.output.setCurrentIndex(dialog.output.findData(output))
        image = dialog.grab()
        assert image.width() >= 900 and image.height() >= 600
        path = folder / f"device_settings_{tab}_{output}.png"
        assert image.save(str(path))
        shots.append(path)
    assert all(p.stat().st_size > 10_000 for p in shots)
    dialog.reject()


def test_banner_says_what_the_core_status_waits_for(qtbot):
    # B5: the banner's text is the reader's own ScannerStatus (devices), not a copy.
    from counter_app.devices import waiting_for

    config = ScannerConfig(port="/dev/ttyACM0", vid=0x1A86, pid=0x7523, read_timeout=0.05,
                           reconnect_interval=0.1)
    bridge = ScannerBridge(config, comports=list)  # nothing plugged in
    try:
        with qtbot.waitSignal(bridge.status, timeout=3000) as status:
            bridge.start()
        assert status.args == [DISCONNECTED, "扫码枪未连接"]
        assert bridge.scanner_status.waiting == waiting_for(config)
        assert bridge.problem == bridge.scanner_status.problem == (
            "扫码枪未连接（等待扫码枪 USB 1a86:7523，上次在 /dev/ttyACM0）")
    finally:
        bridge.stop()
    assert bridge.problem is None  # stopped: no banner


@needs_pty
def test_scanner_chosen_by_port_follows_its_usb_ids_to_a_new_path(qtbot, settings_file):
    """B5: the dialog saves the VID/PID of the device on the chosen port with the path; a
    replug that moves the scanner to another path is followed, by those ids."""
    first, second = Pty(), Pty()
    plugged = [fake_port(first.path, 0x1A86, 0x7523, description="USB Scanner"),
               fake_port("/dev/ttyS0")]
    dialog = DeviceSettingsDialog(comports=lambda: list(plugged), printer_names=list)
    qtbot.addWidget(dialog)
    dialog.scanner_mode.setCurrentIndex(dialog.scanner_mode.findData(BY_PORT))
    dialog.port.setEditText(first.path)
    assert (dialog.vid.text(), dialog.pid.text()) == ("1A86", "7523")  # shown, read-only
    assert not dialog.vid.isEnabled()
    assert dialog.save()
    saved = LocalSettings.load()
    assert (saved.scanner_port, saved.scanner_match_usb, saved.scanner_vid,
            saved.scanner_pid) == (first.path, False, 0x1A86, 0x7523)
    dialog.port.setEditText("/dev/ttyS0")  # a port without USB ids: saved without any
    assert dialog.collect().scanner_vid is None and dialog.vid.text() == ""

    bridge = ScannerBridge.from_settings(saved, comports=lambda: list(plugged))
    codes = []
    bridge.code.connect(codes.append)
    try:
        with qtbot.waitSignal(bridge.status, timeout=3000) as status:
            bridge.start()
        assert status.args == [CONNECTED, f"扫码枪已连接（{first.path}）"]
        plugged[0] = fake_port(second.path, 0x1A86, 0x7523)  # replugged into another socket
        first.unplug()
        qtbot.waitUntil(lambda: bridge.state == DISCONNECTED, timeout=3000)
        qtbot.waitUntil(lambda: bridge.port == second.path and bridge.state == CONNECTED,
                        timeout=5000)
        second.write_paced(b"XF00000017\r\n")
        qtbot.waitUntil(lambda: codes == ["XF00000017"], timeout=3000)
    finally:
        bridge.stop()
        first.unplug()
        second.unplug()
