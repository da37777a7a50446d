"""Where receipt files go: a ``receipts`` folder beside the database in use, so a
counter started with ``--db /media/usb/counter.db`` keeps its receipts on that stick
and a test or demo database never writes into the real data folder."""

from __future__ import annotations

from pathlib import Path


def receipts_dir(db_path) -> Path:
    """``<folder of the database>/receipts`` (not created here)."""
    return Path(db_path).expanduser().resolve().parent / "receipts"
