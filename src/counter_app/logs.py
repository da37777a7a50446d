"""Logging to a rotating file in the user log directory."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from counter_app.config import log_dir


def setup_logging(directory: Path | None = None) -> Path | None:
    """The rotating file log; None when the log folder cannot be written (read-only home,
    full disk): the program runs on without a log file rather than not at all."""
    directory = directory or log_dir()
    path = directory / "counter_app.log"
    root = logging.getLogger()
    for handler in root.handlers:
        # A library's logging.basicConfig() (python-escpos calls it on import) must not
        # turn the file log's INFO level into console noise.
        if type(handler) is logging.StreamHandler:
            handler.setLevel(logging.WARNING)
    if not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        try:
            directory.mkdir(parents=True, exist_ok=True)
            handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5,
                                          encoding="utf-8")
        except OSError as exc:
            logging.getLogger(__name__).warning("无法写入日志文件夹 %s：%s", directory, exc)
            return None
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    return path
