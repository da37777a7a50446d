"""Plain sqlite3 connections that can only read a counter database file.

No SQLAlchemy here: ``counter-app check`` and the backup checks read through these
without loading the database layer (see db.engine.open_readonly for the SQLAlchemy
flavour on top).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

BUSY_TIMEOUT_MS = 10_000


def _readonly_uri(path: Path, immutable: bool) -> str:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    return uri + "&immutable=1" if immutable else uri


def _on_readonly_media(path: Path) -> bool:
    """A directory nobody may create a -shm/-wal in, and no WAL left with content.
    Only then is ``immutable=1`` safe: no other process can be writing the file."""
    wal = Path(str(path) + "-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    return not has_wal and not os.access(path.parent, os.W_OK)


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection that can only read ``path`` (see open_readonly)."""
    timeout = BUSY_TIMEOUT_MS / 1000
    con = sqlite3.connect(_readonly_uri(path, False), uri=True, check_same_thread=False,
                          timeout=timeout)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return con
    except sqlite3.OperationalError:
        # A WAL-mode file on read-only media: SQLite cannot create its -shm beside it.
        con.close()
        if not _on_readonly_media(path):
            raise
    return sqlite3.connect(_readonly_uri(path, True), uri=True, check_same_thread=False,
                           timeout=timeout)
