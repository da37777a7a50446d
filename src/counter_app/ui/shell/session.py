"""A counter session: the log-in dialog, then the main window; log out returns to log-in.

Devices: a serial scanner (if one is set up) starts after the first log-in and feeds
the same path as the keyboard-wedge filter; it stops when the application quits.
The device settings dialog (Ctrl+Shift+D, administrators) edits scanner and receipt
printer settings; the receipt output follows the saved settings at once.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from counter_app import sign_in
from counter_app.counters import local_counter
from counter_app.db import open_database
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.focus import DialogFocusReturn, open_dialog, restore_focus
from counter_app.ui.common.ops import call_on_worker
from counter_app.ui.shell.login_dialog import LoginDialog
from counter_app.ui.devices.wedge import WedgeScanFilter

LAST_SYNC = sign_in.LAST_SYNC
DEVICE_SETTINGS_KEY = "Ctrl+Shift+D"

log = logging.getLogger(__name__)


class CounterSession(QObject):
    def __init__(self, db, receipts=None, counter=None):
        super().__init__()
        self.db = db
        # Start-up, before any window: read on the worker and wait (nothing to freeze yet).
        self.counter = counter or call_on_worker(local_counter, db)
        self.ctx = UiContext(db=db, counter=self.counter)
        self.receipts = receipts
        self._own_receipts = receipts is None  # built here from settings: follows changes
        self.scanner = None  # ScannerBridge while a serial scanner is set up
        self.window = None
        self.login = None
        self.wedge = WedgeScanFilter(self)
        self.wedge.scanned.connect(self._scanned)
        self.focus_return = DialogFocusReturn(lambda: self.window, self)

    @classmethod
    def open(cls, db_path: Path, receipts=None) -> CounterSession:
        return cls(open_database(db_path), receipts)

    def start(self) -> None:
        app = QApplication.instance()
        app.installEventFilter(self.wedge)
        app.installEventFilter(self.focus_return)
        app.aboutToQuit.connect(self.shutdown)
        self.show_login()

    def shutdown(self) -> None:
        """Stop the scanner thread (closing its port) and the wedge filter."""
        self.stop_scanner()
        from counter_app.ui.sync.runner import SyncRunner

        SyncRunner.forget(self.db)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.wedge)
            app.removeEventFilter(self.focus_return)

    def show_login(self) -> LoginDialog:
        self.login = LoginDialog(self.db, self.counter)  # loads names and last sync itself
        self.login.accepted.connect(self._logged_in)
        self.login.rejected.connect(self._login_closed)
        self.login.show()
        restore_focus(self.login)  # no window manager activates it for us
        return self.login

    def _login_closed(self) -> None:
        if self.window is None or not self.window.isVisible():
            QApplication.instance().quit()

    def _logged_in(self) -> None:
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
        from counter_app.ui.sync.runner import SyncRunner

        SyncRunner.for_db(self.db).start_up()  # once: a sync now, then nightly

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
        QShortcut(QKeySequence(DEVICE_SETTINGS_KEY), window, self.open_device_settings)
        return window

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
        self.ctx.actor = None
        for page in self.window.pages:
            if hasattr(page, "reset"):
                page.reset()
        self.show_login()

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
