"""Settings and paths, in one place."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

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


def is_default_db(path: Path | str) -> bool:
    """The database the app places itself (the platform's user data folder): the only one
    created without asking. ``COUNTER_APP_DB`` and ``--db`` are the user's choice, and a
    typo there must not quietly start an empty counter (issue 7 B12)."""
    return _absolute(path) == _absolute(data_dir() / "counter.db")


def needs_creation(path: Path | str) -> bool:
    """Opening ``path`` would create a new, empty database (there is no file yet)."""
    return not Path(path).expanduser().exists()


def ask_before_creating(path: Path | str) -> bool:
    """The GUI asks (showing the full path) before it creates a database that is not the
    default; the CLI's reading commands refuse instead, its init/demo create."""
    return needs_creation(path) and not is_default_db(path)


def _absolute(path: Path | str) -> Path:
    return Path(os.path.abspath(Path(path).expanduser()))


def settings_path() -> Path:
    return Path(os.environ.get("COUNTER_APP_SETTINGS")
                or Path(user_config_dir(APP_NAME, APP_AUTHOR)) / "settings.json")


@dataclass
class LocalSettings:
    """Per-machine settings (language, devices); shared data lives in the database."""

    language: str = "zh_CN"  # or "en"
    font_scale: int = 100  # per cent of the UI's text and sizes: 100 标准, 125 大, 150 特大
    receipt_width_mm: int = 58
    open_receipt_pdf: bool = True
    speech: bool = False  # spoken confirmation (speech.py): redemption result and balance
    kiosk_timeout_s: int = 20  # the kiosk returns to its welcome screen after this

    # Serial / USB-CDC scanner (devices.scanner.ScannerConfig). No port and no USB id:
    # no serial scanner (a keyboard-wedge scanner needs no settings).
    scanner_port: str = ""
    scanner_match_usb: bool = False  # find the port again by VID/PID/serial on every open
    scanner_vid: int | None = None
    scanner_pid: int | None = None
    scanner_serial_number: str = ""
    scanner_baudrate: int = 9600
    scanner_bytesize: int = 8
    scanner_parity: str = "N"  # N E O M S
    scanner_stopbits: float = 1
    scanner_terminator: str = "CRLF"  # CR LF CRLF
    scanner_prefix: str = ""
    scanner_suffix: str = ""

    # Receipts: "pdf" (file, opened by the viewer), "escpos" (thermal printer),
    # "system" (a printer the operating system knows, through Qt).
    receipt_output: str = "pdf"
    receipt_footer: str | None = None  # None: the default line; "": no footer
    escpos_connection: str = "file"  # file serial network usb (documents.thermal.open_printer)
    escpos_file: str = ""  # e.g. /dev/usb/lp0
    escpos_serial_port: str = ""
    escpos_serial_baudrate: int = 9600
    escpos_host: str = ""
    escpos_port: int = 9100
    escpos_usb_vid: str = ""  # "0x0416"
    escpos_usb_pid: str = ""
    escpos_profile: str = ""  # python-escpos printer profile, "" for the default
    system_printer: str = ""  # "" for the system default printer
    system_paper: str = "roll"  # "roll" (page as wide as receipt_width_mm) or "A4"
    system_printer_ask: bool = False  # show the print dialog for every receipt

    # Encrypted backups (backup_schedule): a folder (a USB stick path is fine) and the local
    # time of the daily backup; "" = no folder / no timed backup. The passphrase is never
    # here: it is in the system keyring or asked for (backup_secret).
    backup_folder: str = ""
    backup_time: str = "21:00"  # HH:MM local

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
