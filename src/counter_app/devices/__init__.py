"""Devices, each on its own thread and free of Qt (the UI bridges callbacks to signals)."""

from .scanner import (
    CONNECTED,
    DISCONNECTED,
    REJECTED,
    LineFramer,
    ScannerConfig,
    ScannerReader,
    ScannerStatus,
    resolve_port,
    waiting_for,
)
from .serial_ports import PortRow, find_port, find_ports, list_ports

__all__ = [
    "CONNECTED",
    "DISCONNECTED",
    "REJECTED",
    "LineFramer",
    "PortRow",
    "ScannerConfig",
    "ScannerReader",
    "ScannerStatus",
    "find_port",
    "find_ports",
    "list_ports",
    "resolve_port",
    "waiting_for",
]
