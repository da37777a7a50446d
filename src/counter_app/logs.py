"""Logging to a rotating file in the user log directory."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from counter_app.config import log_dir


def setup_logging(directory: Path | None = None) -> Path:
    directory = directory or log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "counter_app.log"
    root = logging.getLogger()
    for handler in root.handlers:
        # A library's logging.basicConfig() (python-escpos calls it on import) must not
        # turn the file log's INFO level into console noise.
        if type(handler) is logging.StreamHandler:
            handler.setLevel(logging.WARNING)
    if not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    return path
