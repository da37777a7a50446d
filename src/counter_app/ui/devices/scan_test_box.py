"""The live scan test in the device settings: "scan a card or a barcode now".

It reads the scanner with the settings as they stand in the form (not yet saved) and
shows the scanner's state, the raw bytes received and the decoded code.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from counter_app.config import LocalSettings
from counter_app.devices.scanner import CONNECTED, REJECTED
from counter_app.ui.devices.form_helpers import ERROR, GOOD, NEUTRAL, paint, raw_repr
from counter_app.ui.devices.scanner_bridge import ScannerBridge, scanner_config
from counter_app.ui.common.text import fill
from counter_app.ui.common.scale import pt

BURST_GAP = 0.3  # seconds of silence that start a new raw scan in the test box
RAW_LIMIT = 200  # bytes of one raw burst kept for display


class ScanTestBox(QGroupBox):
    def __init__(self, comports: Callable[[], Iterable[Any]] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("Test: scan a card or a barcode now"))
        self._comports = comports
        self.bridge: ScannerBridge | None = None
        self._raw = bytearray()
        self._raw_at = 0.0
        test = QFormLayout(self)
        self.state = QLabel()
        self.state.setObjectName("test_state")
        self.raw = QLabel("—")
        self.raw.setObjectName("test_raw")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font = self.window().font()  # the dialog's large font
        mono.setPointSize(font.pointSize())
        self.raw.setFont(mono)
        self.raw.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code = QLabel("—")
        self.code.setObjectName("test_code")
        self._big = QFont(font)
        self._big.setPointSize(pt(22))
        self._big.setBold(True)
        self.code.setFont(self._big)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        test.addRow(self.tr("Scanner"), self.state)
        test.addRow(self.tr("Received"), self.raw)
        test.addRow(self.tr("Code"), self.code)

    def restart(self, settings: Callable[[], LocalSettings]) -> None:
        """Read the scanner as ``settings()`` (the form now) describes it."""
        self.stop()
        try:
            config = scanner_config(settings())
        except ValueError as exc:
            self._status(fill(self.tr("Settings not valid: %1"), str(exc)), False)
            return
        if config is None:
            self._status(self.tr("No serial scanner set up."), False)
            return
        self._status(self.tr("Opening…"), None)
        kwargs = {"comports": self._comports} if self._comports else {}
        bridge = ScannerBridge(config, self, **kwargs)
        bridge.raw.connect(self._show_raw)
        bridge.code.connect(self._show_code)
        bridge.status.connect(self._show_status)
        self.bridge = bridge
        bridge.start()

    def stop(self) -> None:
        bridge, self.bridge = self.bridge, None
        if bridge is not None:
            bridge.stop()
            bridge.deleteLater()

    def _status(self, text: str, ok: bool | None) -> None:
        self.state.setText(text)
        paint(self.state, {True: GOOD, False: ERROR, None: NEUTRAL}[ok])

    def _show_status(self, state: str, message: str) -> None:
        if state == REJECTED:
            self.code.setText(message)
            self.code.setFont(self.window().font())
            paint(self.code, ERROR)
        else:
            self._status(message, state == CONNECTED)

    def _show_raw(self, data: bytes) -> None:
        now = time.monotonic()
        if now - self._raw_at > BURST_GAP:
            self._raw.clear()
        self._raw_at = now
        self._raw += data
        del self._raw[:-RAW_LIMIT]
        self.raw.setText(raw_repr(self._raw))

    def _show_code(self, code: str) -> None:
        self.code.setFont(self._big)
        paint(self.code, GOOD)
        self.code.setText(code)
