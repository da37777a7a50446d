"""Settings and paths, in one place."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir, user_log_dir

APP_NAME = "counter_app"
APP_AUTHOR = "counter_app"


def data_dir() -> Path:
    return Path(user_data_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    return Path(user_log_dir(APP_NAME, APP_AUTHOR))


def default_db_path() -> Path:
    """``--db`` beats ``COUNTER_APP_DB`` beats the platform's user data dir."""
    env = os.environ.get("COUNTER_APP_DB")
    if env:
        return Path(env)
    return data_dir() / "counter.db"
