"""A counter session: the log-in dialog, then the main window; log out returns to log-in.

Devices: a serial scanner (if one is set up) starts after the first log-in and feeds
the same path as the keyboard-wedge filter; it stops when the application quits.
The device settings dialog (Ctrl+Shift+D, administrators) edits scanner and receipt
printer settings; the receipt output follows the saved settings at once.
"""

from __future__ import annotations

import gc

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from counter_app import sign_in
from counter_app.db.opening import OpeningDatabase
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.focus import DialogFocusReturn, open_dialog, restore_focus
from counter_app.ui.common.ops import Op, call_on_worker
from counter_app.ui.shell.login_dialog import LoginDialog
from counter_app.ui.devices.wedge import WedgeScanFilter

LAST_SYNC = sign_in.LAST_SYNC
DEVICE_SETTINGS_KEY = "Ctrl+Shift+D"

log = logging.getLogger(__name__)


# What the main window and its first page import (ui.app's fast start): loaded on the
# worker while the PIN is typed, so the window builds sooner once it is accepted. Module
# imports only (classes, value constants); no widget is made off the GUI thread.
WARM_IMPORTS = ("counter_app.ui.shell.main_window", "counter_app.ui.pages",
                "counter_app.ui.devices.receipt_output", "counter_app.ui.counter.counter_page")


_FROZEN = False  # gc.freeze() done (after the first log-in)


def _warm_imports() -> None:
    import importlib

    for name in WARM_IMPORTS:
        importlib.import_module(name)


def _local_counter(db):
    from counter_app.counters import local_counter

    return local_counter(db)


class CounterSession(QObject):
    """``db``: a Database, or an OpeningDatabase (``starting``): then the log-in shows
    from what ``screen`` read, while the worker opens the database behind it."""

    def __init__(self, db, receipts=None, counter=None, screen=None, *,
                 day: bool = False):
        super().__init__()
        self.db = db
        self._screen = screen  # the first log-in's names, read at start-up (or None)
        # Start-up, before any window: read on the worker and wait (nothing to freeze yet).
        self.counter = counter or call_on_worker(_local_counter, db)
        self.ctx = UiContext(db=db, counter=self.counter)
        self.receipts = receipts
        self._own_receipts = receipts is None  # built here from settings: follows changes
        self.scanner = None  # ScannerBridge while a serial scanner is set up
        self.window = None
        self.login = None
        self.wedge = WedgeScanFilter(self)
        self.wedge.scanned.connect(self._scanned)
        self.focus_return = DialogFocusReturn(lambda: self.window, self)
        # The counter's day (ui/day): opening, shift handover, timed backups. The app turns
        # it on; sessions built by tests without it behave as before.
        self.day = None
        if day:
            from counter_app.ui.day.day_hooks import DayHooks

            self.day = DayHooks(self)
            self.day.status.connect(lambda text: self.window and self.window.show_status(text))
        from counter_app.ui.devices.speech_output import SpeechOutput

        self.speech = SpeechOutput(self)  # spoken confirmation, when the setting is on

    @classmethod
    def open(cls, db_path: Path, receipts=None) -> CounterSession:
        from counter_app.db import open_database

        return cls(open_database(db_path), receipts)

    @classmethod
    def starting(cls, start: sign_in.StartScreen, db_path: Path,
                 receipts=None, *, day: bool = False) -> CounterSession:
        """The fast start (ui/app.py): the log-in can show before SQLAlchemy and the
        models are imported; the database opens on the worker meanwhile, ahead of the
        PIN check queued behind it."""
        opening = OpeningDatabase(db_path)
        return cls(opening, receipts, counter=start.counter, screen=start.screen, day=day)

    def _open_after_first_paint(self) -> None:
        """Importing the database layer holds the GIL: begun while the log-in is still
        being built, it halves the GUI thread's pace. So it starts once the log-in has
        painted (or after half a second, whichever comes first)."""
        login = self.login

        class FirstPaint(QObject):
            def eventFilter(inner, obj, event):  # noqa: N805
                if event.type() == QEvent.Type.Paint:
                    login.removeEventFilter(inner)
                    QTimer.singleShot(0, self._begin_open)
                return False

        self._first_paint = FirstPaint(self)
        login.installEventFilter(self._first_paint)
        QTimer.singleShot(500, self._begin_open)

    def _begin_open(self) -> None:
        opening = self.db
        if not isinstance(opening, OpeningDatabase) or getattr(self, "_open_begun", False):
            return
        self._open_begun = True
        Op(self, opening.open).success(self._opened).failure(self._open_failed).run()
        Op(self, _warm_imports).success(lambda _none: None).run()

    def _opened(self, db) -> None:
        self._adopt()

    def _adopt(self) -> None:
        """Swap the opening handle for the open Database (once it is open)."""
        if isinstance(self.db, OpeningDatabase) and self.db.db is not None:
            opening = self.db
            self.db = self.ctx.db = opening.db
            self.counter = self.ctx.counter = opening.counter
            if self.login is not None:
                self.login.db = opening.db

    def _open_failed(self, exc: BaseException) -> None:
        # The PIN check queued behind the open fails the same way and says so in the
        # dialog; say it now too, in case nobody types a PIN.
        if self.login is not None:
            from counter_app.errors import CounterError

            from counter_app.ui.common.text import fill

            self.login.message.setText(str(exc) if isinstance(exc, CounterError) else fill(
                self.tr("The database could not be opened: %1"), type(exc).__name__))
        log.error("opening %s failed: %r", self.db.path, exc)

    def start(self) -> None:
        app = QApplication.instance()
        app.installEventFilter(self.wedge)
        app.installEventFilter(self.focus_return)
        app.aboutToQuit.connect(self.shutdown)
        if self.day is not None:
            self.day.start()
        from counter_app.config import LocalSettings

        self.speech.apply_settings(LocalSettings.load())
        self.show_login()
        if isinstance(self.db, OpeningDatabase):
            self._open_after_first_paint()

    def shutdown(self) -> None:
        """Stop the scanner thread (closing its port) and the wedge filter."""
        self.stop_scanner()
        if self.day is not None:
            self.day.stop()
        self.speech.shutdown()
        from counter_app.ui.sync.runner import SyncRunner

        SyncRunner.forget(self.db)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.wedge)
            app.removeEventFilter(self.focus_return)

    def show_login(self) -> LoginDialog:
        screen, self._screen = self._screen, None  # read at start-up: only the first time
        self.login = LoginDialog(self.db, self.counter, screen=screen)  # else it loads them
        self.login.accepted.connect(self._logged_in)
        self.login.rejected.connect(self._login_closed)
        self.login.show()
        restore_focus(self.login)  # no window manager activates it for us
        return self.login

    def _login_closed(self) -> None:
        if self.window is None or not self.window.isVisible():
            QApplication.instance().quit()

    def _logged_in(self) -> None:
        self._adopt()  # the PIN check ran after the open on the same worker: it is open
        actor = self.login.actor
        if self.window is not None and self.window.role != actor.role:
            # Another role sees other pages (ui/pages.py): build its own window.
            self.window.hide()
            self.window.deleteLater()
            self.window = None
        if self.window is None:
            self.window = self._build_window(actor)
        self.window.set_actor(actor)
        self.window.show_fitted()
        self.window.show_page(0)
        restore_focus(self.window)
        self.start_scanner()
        if self.day is not None:
            self.day.logged_in(actor)
        from counter_app.ui.sync.runner import SyncRunner

        SyncRunner.for_db(self.db).start_up()  # once: a sync now, then nightly
        # What start-up loaded (Qt, SQLAlchemy, the models: about a million objects) stays for
        # the whole day: out of the collector's way, so a full collection never lands in a
        # scan (one took ~100 ms of a member panel on the 100k demo). Once a process.
        global _FROZEN
        if not _FROZEN:
            gc.freeze()
            _FROZEN = True

    def _build_window(self, actor):
        from counter_app.config import LocalSettings
        from counter_app.ui.shell.main_window import MainWindow
        from counter_app.ui.pages import build_pages
        from counter_app.ui.devices.receipt_output import ReceiptOutput

        settings = LocalSettings.load()
        if self.receipts is None:
            self.receipts = ReceiptOutput.from_settings(settings, db_path=self.db.path)
        self.ctx.actor = actor
        window = MainWindow(self.ctx, build_pages(self.ctx, self.receipts, actor.role))
        window.role = actor.role
        window.logout_requested.connect(self._logout)
        window.language_changed.connect(self._rebuild_window)
        window.device_settings_requested.connect(self.open_device_settings)
        window.settings_saved.connect(self.speech.apply_settings)
        window.pages.when_built(self._announce_redemptions)
        QShortcut(QKeySequence(DEVICE_SETTINGS_KEY), window, self.open_device_settings)
        return window

    def _announce_redemptions(self, page) -> None:
        if hasattr(page, "checked_out"):  # the counter page: its redemptions are spoken
            page.checked_out.connect(self.speech.redeemed)
            page.checkout_refused.connect(self.speech.refused)

    def _rebuild_window(self, _language: str) -> None:
        """Widgets take their texts when built: a new language means new pages."""
        old = self.window
        self.window = self._build_window(self.ctx.actor)
        self.window.set_actor(self.ctx.actor)
        self.window.setGeometry(old.geometry())
        old.hide()
        old.deleteLater()
        self.window.show()
        self.window.show_page(0)
        restore_focus(self.window)
        if self.scanner is not None:
            self.window.set_scanner_state(self.scanner.message, self.scanner.problem)

    def _logout(self) -> None:
        self.window.hide()
        actor, self.ctx.actor = self.ctx.actor, None
        for page in self.window.pages.built():  # one never built holds nothing to clear
            if hasattr(page, "reset"):
                page.reset()
        self.show_login()
        if self.day is not None and actor is not None:
            self.day.logged_out(actor)  # the shift summary, shown over the log-in

    def _scanned(self, code: str) -> None:
        if self.window is None or not self.window.isVisible() or self.ctx.actor is None:
            return
        if QApplication.activeModalWidget() is not None:
            # A scan must not change the cart behind an open question (e.g. "redeem?").
            self.window.show_status(self.tr("Scan ignored: please finish the open dialog first."))
            return
        self.window.handle_scan(code)

    # --- devices ---------------------------------------------------------------------------

    def start_scanner(self) -> None:
        """Start the serial scanner from the saved settings (once; no-op without one)."""
        from counter_app.config import LocalSettings
        from counter_app.ui.devices.scanner_bridge import ScannerBridge

        if self.scanner is not None or self.window is None:
            return
        try:
            bridge = ScannerBridge.from_settings(LocalSettings.load(), self)
        except (ValueError, TypeError) as exc:
            log.warning("scanner settings not usable: %s", exc)
            text = self.tr("Scanner settings are not valid")
            self.window.set_scanner_state(text, self.tr(
                "Scanner settings are not valid: an administrator can fix them (Ctrl+Shift+D)."))
            return
        if bridge is None:
            self.window.set_scanner_state("")
            return
        bridge.code.connect(self._scanned)
        bridge.status.connect(self._scanner_status)
        self.scanner = bridge
        bridge.start()

    def stop_scanner(self) -> None:
        bridge, self.scanner = self.scanner, None
        if bridge is not None:
            bridge.stop()
            bridge.deleteLater()

    def _scanner_status(self, state: str, message: str) -> None:
        from counter_app.devices import REJECTED

        if self.window is None:
            return
        if state == REJECTED:  # one bad scan: a passing status-bar message, no dialog
            self.window.show_status(message)
        else:
            bridge = self.scanner
            self.window.set_scanner_state(message, bridge.problem if bridge else None)

    def open_device_settings(self):
        """The device settings dialog (window-modal, returns at once). Administrators only.
        The session's scanner is stopped while it is open: the dialog tests the scanner
        with its own reader, and a serial port opens only once."""
        from counter_app.operators import Permission
        from counter_app.ui.devices.device_settings_dialog import DeviceSettingsDialog

        actor = self.ctx.actor
        if self.window is None or actor is None:
            return None
        if not actor.can(Permission.SETTINGS):  # the same rule as the Settings dialog's button
            self.window.show_status(self.tr("Only an administrator can change device settings."))
            return None
        self.stop_scanner()
        dialog = DeviceSettingsDialog(parent=self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._device_settings_saved)
        dialog.finished.connect(lambda _result: self.start_scanner())
        return open_dialog(dialog, return_to=self.window)

    def _device_settings_saved(self, settings) -> None:
        if self._own_receipts and self.receipts is not None:
            self.receipts.apply_settings(settings)
