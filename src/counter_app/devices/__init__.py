"""Devices, each on its own thread and free of Qt (the UI bridges callbacks to signals)."""

from .scanner import (
    CONNECTED,
    DISCONNECTED,
    REJECTED,
    LineFramer,
    ScannerConfig,
    ScannerReader,
    resolve_port,
)
from .serial_ports import PortRow, find_port, list_ports

__all__ = [
    "CONNECTED",
    "DISCONNECTED",
    "REJECTED",
    "LineFramer",
    "PortRow",
    "ScannerConfig",
    "ScannerReader",
    "find_port",
    "list_ports",
    "resolve_port",
]
