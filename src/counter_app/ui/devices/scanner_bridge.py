"""A serial / USB-CDC scanner as Qt signals.

``devices.scanner.ScannerReader`` runs on its own thread and calls back there. The
bridge turns those callbacks into private signals connected *queued* to itself, and
re-emits the public signals from the GUI thread. So every slot connected to ``code``
or ``status`` -- a bound method, a lambda, a plain function -- runs on the GUI thread,
whatever connection type it was connected with.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from counter_app.devices.scanner import (
    CONNECTED,
    DISCONNECTED,
    REJECTED,
    ScannerConfig,
    ScannerReader,
    ScannerStatus,
)

log = logging.getLogger(__name__)

__all__ = ["CONNECTED", "DISCONNECTED", "REJECTED", "ScannerBridge", "scanner_config"]


def scanner_config(settings) -> ScannerConfig | None:
    """The scanner described by ``LocalSettings``; None when no serial scanner is set up.

    By port, with the USB ids the device on that port had when it was chosen (the settings
    dialog saves them together): the reader then follows the device to another path when
    it is replugged, and opens nothing that carries other ids (devices.resolve_port).
    Raises ValueError for settings ScannerConfig refuses (bad parity, a prefix with CR …).
    """
    s = settings
    common = {"baudrate": int(s.scanner_baudrate), "bytesize": int(s.scanner_bytesize),
              "parity": s.scanner_parity, "stopbits": _stopbits(s.scanner_stopbits),
              "terminator": s.scanner_terminator, "prefix": s.scanner_prefix or "",
              "suffix": s.scanner_suffix or ""}
    serial_number = (s.scanner_serial_number or "").strip() or None
    has_ids = s.scanner_vid is not None or s.scanner_pid is not None or serial_number is not None
    ids = ({"vid": s.scanner_vid, "pid": s.scanner_pid, "serial_number": serial_number}
           if has_ids else {})
    if s.scanner_match_usb:
        return ScannerConfig(**ids, **common) if has_ids else None
    port = (s.scanner_port or "").strip()
    if not port:
        return None
    return ScannerConfig(port=port, **ids, **common)


def _stopbits(value) -> float | int:
    value = float(value)
    return int(value) if value.is_integer() else value  # pyserial lists 1, 1.5, 2


class _TappedReader(ScannerReader):
    """ScannerReader that also hands every raw chunk to ``on_raw`` (for the settings
    dialog's test box, which shows exactly what the scanner sent)."""

    def __init__(self, *args, on_raw: Callable[[bytes], Any], **kwargs):
        super().__init__(*args, **kwargs)
        self._on_raw = on_raw

    def _deliver(self, data: bytes) -> None:
        if not self._stop.is_set():
            try:
                self._on_raw(bytes(data))
            except Exception:
                log.exception("scanner raw callback failed")
        super()._deliver(data)


class ScannerBridge(QObject):
    """Owns one ScannerReader at a time; ``start()`` / ``stop()`` may be repeated."""

    code = Signal(str)  # one framed code
    status = Signal(str, str)  # (CONNECTED | DISCONNECTED | REJECTED, Chinese message)
    raw = Signal(object)  # bytes, every chunk as read from the port

    # Emitted on the reader thread; delivered queued to this object's (GUI) thread.
    # Each carries the generation of the reader that sent it: a signal still queued
    # from a stopped reader is dropped, even after a restart.
    _code_in = Signal(str, int)
    _status_in = Signal(str, str, int)  # rejected scans
    _change_in = Signal(object, int)  # devices.ScannerStatus: connection changes
    _raw_in = Signal(object, int)

    def __init__(self, config: ScannerConfig, parent: QObject | None = None, *,
                 comports: Callable[[], Iterable[Any]] | None = None):
        super().__init__(parent)
        self.config = config
        self._comports = comports
        self._reader: ScannerReader | None = None
        self._generation = 0
        self.state: str | None = None  # last CONNECTED / DISCONNECTED
        self.message = ""  # its message, for whoever connects late
        self.scanner_status: ScannerStatus | None = None  # the reader's, as last delivered
        queued = Qt.ConnectionType.QueuedConnection
        self._code_in.connect(self._deliver_code, queued)
        self._status_in.connect(self._deliver_status, queued)
        self._change_in.connect(self._deliver_change, queued)
        self._raw_in.connect(self._deliver_raw, queued)
        self.destroyed.connect(_stopper(self))

    @classmethod
    def from_settings(cls, settings, parent: QObject | None = None,
                      **kwargs) -> ScannerBridge | None:
        config = scanner_config(settings)
        return None if config is None else cls(config, parent, **kwargs)

    @property
    def problem(self) -> str | None:
        """What the banner says while the scanner is not connected (None when it is, or
        before the first status): the reader's own ScannerStatus.problem, which names the
        port or the USB device it waits for."""
        return self.scanner_status.problem if self.scanner_status is not None else None

    @property
    def running(self) -> bool:
        return self._reader is not None and self._reader.is_alive()

    @property
    def port(self) -> str | None:
        return self._reader.port if self._reader is not None else None

    def start(self) -> None:
        if self._reader is not None:
            return
        extra = {"comports": self._comports} if self._comports is not None else {}
        self._generation += 1
        gen = self._generation
        code_in, status_in, raw_in = self._code_in, self._status_in, self._raw_in
        change_in = self._change_in

        def on_status(state: str, message: str) -> None:
            if state == REJECTED:  # connection changes come whole through on_change
                status_in.emit(state, message, gen)

        self._reader = _TappedReader(
            self.config, lambda code: code_in.emit(code, gen), on_status,
            on_change=lambda status: change_in.emit(status, gen),
            on_raw=lambda data: raw_in.emit(data, gen), **extra)
        _live[id(self)] = self._reader
        self._reader.start()

    def stop(self) -> None:
        """Stop the reader thread and close the port (waits at most ~read_timeout).
        Signals already queued are dropped, so nothing arrives after stop()."""
        reader, self._reader = self._reader, None
        self._generation += 1  # whatever the old reader queued is now stale
        self.state, self.message, self.scanner_status = None, "", None
        _live.pop(id(self), None)
        if reader is not None:
            reader.stop()

    def restart(self, config: ScannerConfig | None = None) -> None:
        self.stop()
        if config is not None:
            self.config = config
        self.start()

    @Slot(str, int)
    def _deliver_code(self, code: str, gen: int) -> None:
        if gen == self._generation:
            self.code.emit(code)

    @Slot(str, str, int)
    def _deliver_status(self, state: str, message: str, gen: int) -> None:
        if gen == self._generation:
            self.status.emit(state, message)

    @Slot(object, int)
    def _deliver_change(self, status: ScannerStatus, gen: int) -> None:
        if gen != self._generation:
            return
        self.scanner_status = status
        self.state, self.message = status.state, status.message
        self.status.emit(status.state, status.message)

    @Slot(object, int)
    def _deliver_raw(self, data: bytes, gen: int) -> None:
        if gen == self._generation:
            self.raw.emit(data)


# Readers by bridge id, so a bridge deleted without stop() still stops its thread
# (the destroyed signal comes after the Python wrapper is gone).
_live: dict[int, ScannerReader] = {}


def _stopper(bridge: ScannerBridge):
    key = id(bridge)

    def stop(*_):
        reader = _live.pop(key, None)
        if reader is not None:
            reader.stop()

    return stop
