"""Settings and paths, in one place."""

from __future__ import annotations

import os
from pathlib import Path

import json
from dataclasses import asdict, dataclass, fields

from platformdirs import user_config_dir, user_data_dir, user_log_dir

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


def settings_path() -> Path:
    return Path(os.environ.get("COUNTER_APP_SETTINGS")
                or Path(user_config_dir(APP_NAME, APP_AUTHOR)) / "settings.json")


@dataclass
class LocalSettings:
    """Per-machine settings (language, devices); shared data lives in the database."""

    language: str = "zh_CN"  # or "en"
    receipt_width_mm: int = 58
    open_receipt_pdf: bool = True

    @classmethod
    def load(cls, path: Path | None = None) -> "LocalSettings":
        path = path or settings_path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known})

    def save(self, path: Path | None = None) -> None:
        path = path or settings_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)  # never a half-written settings file
