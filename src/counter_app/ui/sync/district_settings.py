"""The district part of the settings dialog (administrators): server address, sslmode,
the nightly sync time and, optionally, a new password (kept in the OS keyring or a 0600
file by sync/credentials.py, never in settings.json). This counter's id is shown, not
edited: it is fixed when the counter is made or joined."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QTimeEdit

from counter_app import sync_schedule
from counter_app.counters import LOCAL_COUNTER
from counter_app.errors import InvalidInput
from counter_app.sync import settings


@dataclass(frozen=True)
class DistrictSettings:
    url: str | None
    sslmode: str | None
    nightly: time
    counter_id: str | None
    password: str | None = None  # only when a new one was typed


def load(db) -> DistrictSettings:
    with db.read() as s:
        return DistrictSettings(settings.get(s, settings.URL), settings.get(s, settings.SSLMODE),
                                sync_schedule.nightly_time(s), settings.get(s, LOCAL_COUNTER))


def save(db, chosen: DistrictSettings) -> DistrictSettings:
    """One transaction for the database keys; the password then goes to the keyring."""
    from counter_app.sync import credentials
    from counter_app.sync.connection import account, split_password

    url, in_url = (None, None)
    if chosen.url:
        if not chosen.url.startswith(("postgresql://", "postgres://")):
            raise InvalidInput(detail="街道服务器地址须以 postgresql:// 开头")
        clean, in_url = split_password(chosen.url)
        url = chosen.url if in_url is None else clean  # as typed, unless it held a password
    if chosen.sslmode is not None and chosen.sslmode not in settings.SSLMODES:
        raise InvalidInput(detail=f"sslmode 只能是 {'、'.join(settings.SSLMODES)} 之一")
    with db.write() as s:
        settings.put(s, settings.URL, url)
        settings.put(s, settings.SSLMODE, chosen.sslmode)
        settings.put(s, sync_schedule.NIGHTLY,
                     f"{chosen.nightly.hour:02d}:{chosen.nightly.minute:02d}")
        counter_id = settings.get(s, LOCAL_COUNTER)
    password = chosen.password or in_url
    if url and password and counter_id:
        credentials.store(account(url, counter_id), password)
    return load(db)


class DistrictSettingsBox(QGroupBox):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("District sync"))
        self.setObjectName("settings_district")
        form = QFormLayout(self)
        self.url = QLineEdit()
        self.url.setObjectName("settings_district_url")
        self.url.setPlaceholderText("postgresql://hpq_xf01@district.example/hpq")
        form.addRow(self.tr("Server address"), self.url)
        self.sslmode = QComboBox()
        self.sslmode.setObjectName("settings_district_sslmode")
        self.sslmode.addItem(self.tr("As in the address"), None)
        for mode in settings.SSLMODES:
            self.sslmode.addItem(mode, mode)
        form.addRow(self.tr("SSL mode (verify-full in production)"), self.sslmode)
        self.password = QLineEdit()
        self.password.setObjectName("settings_district_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("empty: keep the saved password"))
        form.addRow(self.tr("Password"), self.password)
        self.nightly = QTimeEdit()
        self.nightly.setObjectName("settings_district_nightly")
        self.nightly.setDisplayFormat("HH:mm")
        form.addRow(self.tr("Nightly sync at"), self.nightly)
        self.counter = QLabel("–")
        self.counter.setObjectName("settings_district_counter")
        form.addRow(self.tr("This counter"), self.counter)
        self.loaded = False  # never save over settings not yet shown

    def show_settings(self, current: DistrictSettings) -> None:
        self.url.setText(current.url or "")
        self.sslmode.setCurrentIndex(max(0, self.sslmode.findData(current.sslmode)))
        self.nightly.setTime(QTime(current.nightly.hour, current.nightly.minute))
        self.counter.setText(current.counter_id or "?")
        self.loaded = True

    def chosen(self) -> DistrictSettings:
        t = self.nightly.time()
        return DistrictSettings(self.url.text().strip() or None, self.sslmode.currentData(),
                                time(t.hour(), t.minute()), None,
                                self.password.text() or None)
