"""Device settings for this computer: the serial scanner and the receipt printer.

Everything here is per machine (``LocalSettings``, a JSON file). While the dialog is
open it reads the scanner with the settings as they stand in the form, so the admin
can scan a card and see the raw bytes and the decoded code before saving. The caller
stops its own scanner first (the port is opened exclusively) and restarts it after.

The tabs are ``device_scanner_tab.ScannerTab`` (with ``scan_test_box.ScanTestBox``) and
``device_printer_tab.PrinterTab``; this module puts them together and saves.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from counter_app.config import LocalSettings
from counter_app.ui.devices.form_helpers import (  # noqa: F401 (the names callers import from here)
    BAUD_RATES,
    BY_PORT,
    BY_USB,
    ERROR,
    GOOD,
    NEUTRAL,
    NO_SCANNER,
    PARITIES,
    STOP_BITS,
    TERMINATORS,
    escape_text,
    paint,
    raw_repr,
    unescape_text,
)
from counter_app.ui.devices.printer_tab import PrinterTab
from counter_app.ui.devices.scanner_tab import ScannerTab
from counter_app.ui.devices.scanner_bridge import ScannerBridge
from counter_app.ui.common.text import fill
from counter_app.ui.common.scale import pt, px

log = logging.getLogger(__name__)

# The form's widgets, also reachable on the dialog under these names (callers, tests).
SCANNER_WIDGETS = ("ports", "refresh_button", "use_port_button", "scanner_mode", "port", "vid",
                   "pid", "serial_number", "baud", "bytesize", "parity", "stopbits",
                   "terminator", "prefix", "suffix")
PRINTER_WIDGETS = ("output", "width_mm", "footer", "output_pages", "open_pdf", "escpos_kind",
                   "escpos_pages", "escpos_file", "escpos_serial_port", "escpos_serial_baud",
                   "escpos_host", "escpos_port", "escpos_vid", "escpos_pid", "system_printer",
                   "system_paper", "system_ask")


class DeviceSettingsDialog(QDialog):
    saved = Signal(object)  # the LocalSettings written

    def __init__(self, settings: LocalSettings | None = None, parent: QWidget | None = None, *,
                 path: Path | None = None,
                 comports: Callable[[], Iterable[Any]] | None = None,
                 printer_names: Callable[[], list[str]] | None = None):
        super().__init__(parent)
        self.path = path
        self.settings = settings if settings is not None else LocalSettings.load(path)
        self.setWindowTitle(self.tr("Device settings"))
        font = QFont(self.font())
        font.setPointSize(max(font.pointSize(), pt(14)))
        self.setFont(font)

        # Built with the dialog as parent, so they have its large font from the start.
        self.scanner_tab = ScannerTab(comports, self)
        self.printer_tab = PrinterTab(printer_names or _system_printer_names, self)
        for tab, names in ((self.scanner_tab, SCANNER_WIDGETS),
                           (self.printer_tab, PRINTER_WIDGETS)):
            for name in names:
                setattr(self, name, getattr(tab, name))
        test_box = self.scanner_tab.test_box
        self.test_state, self.test_raw, self.test_code = test_box.state, test_box.raw, \
            test_box.code
        self.tabs = QTabWidget()
        self.tabs.addTab(self.scanner_tab, self.tr("Scanner"))
        self.tabs.addTab(self.printer_tab, self.tr("Receipt printer"))
        self.message = QLabel()
        self.message.setObjectName("settings_message")
        self.message.setWordWrap(True)
        paint(self.message, ERROR)
        self.scanner_tab.message.connect(self.message.setText)
        self.scanner_tab.ports_listed.connect(self.printer_tab.set_serial_ports)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        for b in buttons.buttons():
            b.setMinimumHeight(px(48))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        self._load(self.settings)
        self._test_timer = QTimer(self)
        self._test_timer.setSingleShot(True)
        self._test_timer.setInterval(400)
        self._test_timer.timeout.connect(self.restart_test)
        self.scanner_tab.watch_edits()
        self.scanner_tab.edited.connect(self._test_timer.start)
        self.refresh_ports()
        self.restart_test()
        self.resize(980, 760)

    @property
    def test_bridge(self) -> ScannerBridge | None:
        """The scanner reader of the live test, None while there is none."""
        return self.scanner_tab.test_box.bridge

    @property
    def port_rows(self) -> list:
        return self.scanner_tab.port_rows

    # --- settings <-> form -----------------------------------------------------------

    def _load(self, s: LocalSettings) -> None:
        self.scanner_tab.load(s)
        self.printer_tab.load(s)

    def collect(self, base: LocalSettings | None = None) -> LocalSettings:
        """The form as LocalSettings, other fields taken from ``base`` (default: the
        settings the dialog opened with). Raises ValueError with a message for the
        person when a field cannot be read."""
        scanner = self.scanner_tab.collect()
        printer = self.printer_tab.collect()
        return dataclasses.replace(base if base is not None else self.settings,
                                   **scanner, **printer)

    def _validate(self, s: LocalSettings) -> None:
        self.scanner_tab.validate(s)
        self.printer_tab.validate(s)

    def save(self) -> bool:
        try:
            # Other fields (language …) as they are on disk now, not as when we opened.
            new = self.collect(LocalSettings.load(self.path))
            self._validate(new)
            new.save(self.path)
        except ValueError as exc:
            self.message.setText(str(exc))
            return False
        except OSError as exc:
            self.message.setText(fill(self.tr("Could not save the settings: %1"), str(exc)))
            return False
        self.settings = new
        self.message.setText("")
        self.saved.emit(new)
        self.accept()
        return True

    # --- ports and the live scanner test -------------------------------------------

    def refresh_ports(self) -> None:
        self.scanner_tab.refresh_ports()

    def use_selected_port(self) -> None:
        self.scanner_tab.use_selected_port()

    def restart_test(self) -> None:
        self.scanner_tab.test_box.restart(self.collect)

    def stop_test(self) -> None:
        self.scanner_tab.test_box.stop()

    def done(self, result: int) -> None:
        self._test_timer.stop()
        self.stop_test()
        super().done(result)


def _system_printer_names() -> list[str]:
    from PySide6.QtPrintSupport import QPrinterInfo

    return list(QPrinterInfo.availablePrinterNames())
