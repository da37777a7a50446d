"""A counter session: the log-in dialog, then the main window; log out returns to log-in."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from counter_app.counters import local_counter
from counter_app.db import open_database
from counter_app.db.models import Setting
from counter_app.ui.context import UiContext
from counter_app.ui.login_dialog import LoginDialog
from counter_app.ui.wedge import WedgeScanFilter

LAST_SYNC = "last_sync"


class CounterSession(QObject):
    def __init__(self, db, receipts=None):
        super().__init__()
        self.db = db
        self.counter = local_counter(db)
        self.ctx = UiContext(db=db, counter=self.counter)
        self.receipts = receipts
        self.window = None
        self.login = None
        self.wedge = WedgeScanFilter(self)
        self.wedge.scanned.connect(self._scanned)

    @classmethod
    def open(cls, db_path: Path, receipts=None) -> CounterSession:
        return cls(open_database(db_path), receipts)

    def last_sync(self) -> str | None:
        with self.db.read() as s:
            row = s.get(Setting, LAST_SYNC)
            return row.value if row else None

    def start(self) -> None:
        QApplication.instance().installEventFilter(self.wedge)
        self.show_login()

    def show_login(self) -> LoginDialog:
        self.login = LoginDialog(self.db, self.counter, self.last_sync())
        self.login.accepted.connect(self._logged_in)
        self.login.rejected.connect(self._login_closed)
        self.login.show()
        return self.login

    def _login_closed(self) -> None:
        if self.window is None or not self.window.isVisible():
            QApplication.instance().quit()

    def _logged_in(self) -> None:
        actor = self.login.actor
        if self.window is None:
            self.window = self._build_window(actor)
        self.window.set_actor(actor)
        self.window.show()
        self.window.show_page(0)

    def _build_window(self, actor):
        from counter_app.config import LocalSettings
        from counter_app.ui.main_window import MainWindow
        from counter_app.ui.pages import build_pages
        from counter_app.ui.receipt_output import ReceiptOutput

        settings = LocalSettings.load()
        if self.receipts is None:
            self.receipts = ReceiptOutput(open_pdf=settings.open_receipt_pdf,
                                          width_mm=settings.receipt_width_mm)
        self.ctx.actor = actor
        window = MainWindow(self.ctx, build_pages(self.ctx, self.receipts))
        window.logout_requested.connect(self._logout)
        return window

    def _logout(self) -> None:
        self.window.hide()
        self.ctx.actor = None
        self.show_login()

    def _scanned(self, code: str) -> None:
        if self.window is not None and self.window.isVisible() and self.ctx.actor is not None:
            self.window.handle_scan(code)
