"""Serial port enumeration and USB matching, as plain rows.

A USB-CDC scanner's device path (``/dev/ttyACM0``, ``COM5``) can change when it
is replugged into another socket; its VID/PID/serial number do not. So the
settings store the USB identity and we look the path up again on every reopen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from serial.tools import list_ports as _list_ports


@dataclass(frozen=True)
class PortRow:
    """One serial port, as the settings dialog shows it."""

    device: str
    description: str
    vid: int | None
    pid: int | None
    serial_number: str | None


def _row(info: Any) -> PortRow:
    return PortRow(
        device=info.device,
        description=info.description or "",
        vid=info.vid,
        pid=info.pid,
        serial_number=info.serial_number,
    )


def list_ports(comports: Callable[[], Iterable[Any]] = _list_ports.comports) -> list[PortRow]:
    """All serial ports, sorted by device path so the dialog order is stable."""
    return sorted((_row(p) for p in comports()), key=lambda r: r.device)


def find_ports(
    ports: Iterable[Any],
    vid: int | None = None,
    pid: int | None = None,
    serial_number: str | None = None,
) -> list[str]:
    """Device paths (sorted) of every port matching every given criterion.

    ``ports`` are ``ListPortInfo``-like objects (anything with ``device``,
    ``vid``, ``pid``, ``serial_number``). A criterion left as None matches
    anything; with no criterion at all nothing matches, so an empty match can
    never grab an arbitrary port. Serial numbers compare case-insensitively
    because some Windows drivers upper-case them.
    """
    if vid is None and pid is None and serial_number is None:
        return []
    want_serial = serial_number.strip().upper() if serial_number is not None else None
    found = []
    for p in sorted(ports, key=lambda p: p.device):
        if vid is not None and p.vid != vid:
            continue
        if pid is not None and p.pid != pid:
            continue
        if want_serial is not None and (p.serial_number or "").strip().upper() != want_serial:
            continue
        found.append(p.device)
    return found


def find_port(
    ports: Iterable[Any],
    vid: int | None = None,
    pid: int | None = None,
    serial_number: str | None = None,
) -> str | None:
    """Device path of the first port matching every given criterion, else None."""
    found = find_ports(ports, vid, pid, serial_number)
    return found[0] if found else None
