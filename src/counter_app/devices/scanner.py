"""Serial / USB-CDC barcode scanner reader (pyserial), free of Qt.

Bytes arrive in arbitrary pieces, so a pure ``LineFramer`` turns chunks into
whole lines and judges each one; ``ScannerReader`` owns the port on its own
daemon thread, survives unplug/replug, and hands codes to a callback. The UI
wraps the callbacks in a Qt signal (callbacks run on the reader thread).
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import serial
from serial.tools import list_ports as _list_ports

from .serial_ports import find_ports

log = logging.getLogger(__name__)

# Status states passed to on_status(state, message).
CONNECTED = "connected"
DISCONNECTED = "disconnected"
REJECTED = "rejected"  # one bad scan; not a connection state

MSG_CONNECTED = "扫码枪已连接（{port}）"
MSG_DISCONNECTED = "扫码枪未连接"
MSG_REJECTED = "忽略无效扫码：{reason}"

# Reject reasons (the part after "忽略无效扫码：").
REASON_NONPRINTABLE = "含不可打印字符"
REASON_TOO_LONG = "过长"
REASON_EMPTY = "空码"
REASON_UNTERMINATED = "缺少结束符"

# What the scanner is set to send after a code. Framing does not depend on it: a
# scanner set to CR often sends CRLF anyway (and the LF then stuck to the next code),
# so every CR and every LF separates codes, and a run of them is one separator.
TERMINATORS = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}
_SEPARATOR = re.compile(b"[\r\n]")


class LineFramer:
    """Frame byte chunks into codes. Pure: no I/O, no threads.

    Any CR or LF ends a line, whatever ``terminator`` says (see TERMINATORS); the
    empty lines of a CR/LF run are silent. Rules for a finished raw line:
    1. longer than max_length + len(prefix) + len(suffix) -> reject "过长"
       (dropped while still arriving, so memory stays bounded);
    2. empty or ASCII-whitespace only -> ignored silently (stray Enter, CRLF);
    3. strip prefix if present, then suffix if present;
       nothing left -> reject "空码"; longer than max_length -> "过长";
       any byte outside 0x21..0x7E -> "含不可打印字符";
    4. otherwise it is a code (ASCII str).
    The reader calls ``expire()`` when a partial line goes quiet ("缺少结束符").
    """

    def __init__(self, terminator: str = "CRLF", prefix: str = "", suffix: str = "",
                 max_length: int = 64) -> None:
        if terminator not in TERMINATORS:
            raise ValueError(f"terminator must be one of {sorted(TERMINATORS)}")
        self._prefix = prefix.encode("latin-1")
        self._suffix = suffix.encode("latin-1")
        self._max_length = max_length
        self._limit = max_length + len(self._prefix) + len(self._suffix)
        self._buf = bytearray()
        self._overflow = False

    def reset(self) -> None:
        """Forget a partial line (the port went away mid-scan)."""
        self._buf.clear()
        self._overflow = False

    @property
    def pending(self) -> bool:
        """True while a line has started but not ended."""
        return bool(self._buf) or self._overflow

    def expire(self) -> str | None:
        """Drop a partial line that stopped arriving; return its reject reason
        (None if it was only whitespace, e.g. the LF of a CRLF in CR mode)."""
        reason = None
        if self._overflow:
            reason = REASON_TOO_LONG
        elif self._buf.strip():
            reason = REASON_UNTERMINATED
        self.reset()
        return reason

    def feed(self, data: bytes) -> tuple[list[str], list[str]]:
        """Add a chunk; return (complete codes, reject reasons), in arrival order
        within each list."""
        codes: list[str] = []
        rejects: list[str] = []
        pos = 0
        for m in _SEPARATOR.finditer(data):
            self._append(data[pos:m.start()])
            self._finish(codes, rejects)
            pos = m.end()
        self._append(data[pos:])
        return codes, rejects

    def _append(self, piece: bytes) -> None:
        if self._overflow:
            return  # discarding until the next terminator
        self._buf += piece
        if len(self._buf) > self._limit:
            self._buf.clear()
            self._overflow = True

    def _finish(self, codes: list[str], rejects: list[str]) -> None:
        if self._overflow:
            self.reset()
            rejects.append(REASON_TOO_LONG)
            return
        line = bytes(self._buf)
        self._buf.clear()
        code, reason = self._judge(line)
        if code is not None:
            codes.append(code)
        elif reason is not None:
            rejects.append(reason)

    def _judge(self, line: bytes) -> tuple[str | None, str | None]:
        if not line.strip():
            return None, None
        if self._prefix and line.startswith(self._prefix):
            line = line[len(self._prefix):]
        if self._suffix and line.endswith(self._suffix):
            line = line[:-len(self._suffix)]
        if not line:
            return None, REASON_EMPTY
        if len(line) > self._max_length:
            return None, REASON_TOO_LONG
        if any(b < 0x21 or b > 0x7E for b in line):
            return None, REASON_NONPRINTABLE
        return line.decode("ascii"), None


@dataclass(frozen=True)
class ScannerConfig:
    """Where the scanner is and how it talks.

    Give ``port`` (a device path), a USB match (``vid``/``pid``/``serial_number``,
    any subset), or both: with a USB match the path is looked up again on every
    (re)open, and ``port`` is the last known path (see ``resolve_port``).
    """

    port: str | None = None
    vid: int | None = None
    pid: int | None = None
    serial_number: str | None = None
    baudrate: int = 9600
    bytesize: int = serial.EIGHTBITS
    parity: str = serial.PARITY_NONE
    stopbits: float = serial.STOPBITS_ONE
    terminator: str = "CRLF"  # what the scanner is set to send; CR, LF and CRLF all frame
    prefix: str = ""
    suffix: str = ""
    max_length: int = 64
    read_timeout: float = 0.1  # bounds how long stop() waits for the thread
    reconnect_interval: float = 0.5
    # A scanner sends a whole code in one burst (~15 ms at 9600 baud). A partial
    # line idle this long is dropped, so it can never glue onto the next scan.
    line_timeout: float = 0.5

    def __post_init__(self) -> None:
        if not self.port and not self.usb_match:
            raise ValueError("scanner needs a port or a USB vid/pid/serial match")
        if self.terminator not in TERMINATORS:
            raise ValueError(f"terminator must be one of {sorted(TERMINATORS)}")
        if self.bytesize not in serial.Serial.BYTESIZES:
            raise ValueError(f"bad bytesize {self.bytesize!r}")
        if self.parity not in serial.Serial.PARITIES:
            raise ValueError(f"bad parity {self.parity!r}")
        if self.stopbits not in serial.Serial.STOPBITS:
            raise ValueError(f"bad stopbits {self.stopbits!r}")
        if min(self.max_length, self.read_timeout, self.reconnect_interval,
               self.line_timeout) <= 0:
            raise ValueError("max_length and the timeouts must be positive")
        for name in ("prefix", "suffix"):
            raw = getattr(self, name).encode("latin-1")  # raises on non-byte chars
            if any(b in TERMINATORS["CRLF"] for b in raw):
                raise ValueError(f"{name} cannot contain CR or LF: it would split the line")

    @property
    def usb_match(self) -> bool:
        return self.vid is not None or self.pid is not None or self.serial_number is not None

    def framer(self) -> LineFramer:
        return LineFramer(self.terminator, self.prefix, self.suffix, self.max_length)


def resolve_port(config: ScannerConfig,
                 comports: Callable[[], Iterable[Any]] = _list_ports.comports) -> str | None:
    """Device path to open now.

    Path only: that path. USB id only: the port with that id, wherever it is now.
    Both: the device with that id, preferring the remembered path when several match
    (a replug onto another socket turns ttyACM0 into ttyACM1: follow it). When no port
    has the id, nothing is opened: whatever now sits on the old path is another device.
    """
    if not config.usb_match:
        return config.port
    matches = find_ports(comports(), config.vid, config.pid, config.serial_number)
    if config.port in matches:
        return config.port
    return matches[0] if matches else None


def waiting_for(config: ScannerConfig) -> str:
    """What the reader waits for, as a volunteer reads it: the path, or the USB id."""
    if not config.usb_match:
        return f"等待扫码枪：{config.port}"
    ids = ":".join(f"{n:04x}" if n is not None else "*" for n in (config.vid, config.pid))
    text = f"等待扫码枪 USB {ids}"
    if config.serial_number:
        text += f"（序列号 {config.serial_number}）"
    if config.port:
        text += f"，上次在 {config.port}"
    return text


@dataclass(frozen=True)
class ScannerStatus:
    """The reader's state for a banner: ``message`` is the status line,
    ``waiting`` (while disconnected) says which port or device it waits for."""

    state: str | None  # CONNECTED, DISCONNECTED, or None before the first attempt
    message: str
    port: str | None = None  # device path while connected
    waiting: str = ""

    @property
    def connected(self) -> bool:
        return self.state == CONNECTED

    @property
    def problem(self) -> str | None:
        """What a banner says while the scanner is not connected, naming what the reader
        waits for ("扫码枪未连接（等待扫码枪：/dev/ttyUSB0）"); None otherwise."""
        if self.state != DISCONNECTED:
            return None
        return f"{self.message}（{self.waiting}）" if self.waiting else self.message


def runs_in_reader_thread(method):
    """Raise if a device-I/O method runs off the reader's own thread
    (after Electrum's runs_in_hwd_thread): a pyserial handle is not shared."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if threading.current_thread() is not self._thread:
            raise RuntimeError(f"ScannerReader.{method.__name__} must run on the scanner thread")
        return method(self, *args, **kwargs)

    return wrapper


class ScannerReader:
    """Read a scanner on a daemon thread; ``on_code(code)`` per valid scan,
    ``on_status(state, message)`` on connect/disconnect and on each reject.

    ``on_change(ScannerStatus)`` gets every connection change with what the reader
    waits for (for a banner); ``status`` is the same, readable from any thread.

    Callbacks run on the reader thread; an exception in one is logged, never
    fatal. One-shot: ``start()`` once, ``stop()`` once.
    """

    def __init__(self, config: ScannerConfig, on_code: Callable[[str], Any],
                 on_status: Callable[[str, str], Any] | None = None, *,
                 on_change: Callable[[ScannerStatus], Any] | None = None,
                 comports: Callable[[], Iterable[Any]] = _list_ports.comports) -> None:
        self.config = config
        self._on_code = on_code
        self._on_status = on_status
        self._on_change = on_change
        self.status = ScannerStatus(None, MSG_DISCONNECTED, waiting=waiting_for(config))
        self._comports = comports  # injectable so tests can fake a replugged USB device
        self._framer = config.framer()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._serial: serial.Serial | None = None
        self._state: str | None = None
        self._last_rx = 0.0  # monotonic time of the last byte received
        self.port: str | None = None  # device path while connected

    @property
    def connected(self) -> bool:
        return self._state == CONNECTED

    def is_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("ScannerReader is one-shot; make a new one")
        self._thread = threading.Thread(target=self._run, name="scanner-reader", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Ask the thread to finish (within ~read_timeout) and wait; it closes the port."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def __enter__(self) -> ScannerReader:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- reader thread -------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    if self._serial is None and not self._open():
                        self._stop.wait(self.config.reconnect_interval)
                        continue
                    data = self._read_chunk()
                    if data:
                        self._last_rx = time.monotonic()
                        self._deliver(data)
                    elif (self._framer.pending
                          and time.monotonic() - self._last_rx > self.config.line_timeout):
                        self._expire_partial()
                except (serial.SerialException, OSError) as exc:  # unplugged
                    log.info("scanner read failed on %s: %s", self.port, exc)
                    self._lost()
                except Exception:  # a bug must not silently kill the scanner
                    log.exception("scanner reader error")
                    self._lost()
        finally:
            self._close()

    @runs_in_reader_thread
    def _open(self) -> bool:
        try:
            path = resolve_port(self.config, self._comports)
            if path is None:
                raise serial.SerialException("no port matches the configured USB id")
            c = self.config
            ser = serial.Serial(port=path, baudrate=c.baudrate, bytesize=c.bytesize,
                                parity=c.parity, stopbits=c.stopbits,
                                timeout=c.read_timeout, exclusive=True)
        except (serial.SerialException, OSError, ValueError) as exc:
            if self._state != DISCONNECTED:
                log.info("scanner not available: %s", exc)
            self._set_state(DISCONNECTED, MSG_DISCONNECTED)
            return False
        # pyserial's open() already flushes the input queue (posix and win32),
        # so the tail of a scan sent before we opened cannot glue onto the next.
        self._serial, self.port = ser, path
        self._framer.reset()
        self._set_state(CONNECTED, MSG_CONNECTED.format(port=path))
        return True

    @runs_in_reader_thread
    def _read_chunk(self) -> bytes:
        ser = self._serial
        # Block up to read_timeout for one byte, then take whatever else is queued.
        return ser.read(ser.in_waiting or 1)

    @runs_in_reader_thread
    def _close(self) -> None:
        ser, self._serial, self.port = self._serial, None, None
        self._framer.reset()  # a partial line dies with the connection
        if ser is not None:
            try:
                ser.close()
            except Exception as exc:  # closing a vanished device may fail; it is gone anyway
                log.debug("scanner close failed: %s", exc)

    def _lost(self) -> None:
        self._close()
        self._set_state(DISCONNECTED, MSG_DISCONNECTED)
        self._stop.wait(self.config.reconnect_interval)

    def _deliver(self, data: bytes) -> None:
        codes, rejects = self._framer.feed(data)
        if self._stop.is_set():
            return  # the owner is tearing down; do not call into it
        for reason in rejects:
            self._emit_status(REJECTED, MSG_REJECTED.format(reason=reason))
        for code in codes:
            try:
                self._on_code(code)
            except Exception:
                log.exception("scanner on_code callback failed for %r", code)

    def _expire_partial(self) -> None:
        reason = self._framer.expire()
        if reason is not None and not self._stop.is_set():
            self._emit_status(REJECTED, MSG_REJECTED.format(reason=reason))

    def _set_state(self, state: str, message: str) -> None:
        if state != self._state:  # report changes, not every reconnect poll
            self._state = state
            connected = state == CONNECTED
            self.status = ScannerStatus(state, message, self.port if connected else None,
                                        "" if connected else waiting_for(self.config))
            self._emit_status(state, message)
            if self._on_change is not None and not self._stop.is_set():
                try:
                    self._on_change(self.status)
                except Exception:
                    log.exception("scanner on_change callback failed")

    def _emit_status(self, state: str, message: str) -> None:
        if self._on_status is None:
            return
        try:
            self._on_status(state, message)
        except Exception:
            log.exception("scanner on_status callback failed")
