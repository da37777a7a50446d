"""The session's day moments, small hooks called by ui/shell/session.py:

* log-in: ``shifts.log_in`` on the worker (opens the counter day at the first log-in,
  starts the shift); a handover waiting for this operator is shown to them;
* log-out: ``shifts.log_out``; the shift summary is shown over the log-in screen;
* every minute: the timed backup (LocalSettings.backup_time) when it is due, once a day
  per session if it cannot be made (no passphrase in the keyring, no stick).
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app import clock
from counter_app.localtime import local_date
from counter_app.ui.common.focus import open_dialog
from counter_app.ui.common.ops import Op, db_work

BACKUP_CHECK_MS = 60_000

log = logging.getLogger(__name__)


# The day's core (SQLAlchemy, the ORM) is imported on the worker, when first used: the
# session builds these hooks before the log-in shows, which must not wait for it.


def _log_in(db, actor):
    from counter_app.day import shifts

    return shifts.log_in(db, actor)


def _log_out(db, actor):
    from counter_app.day import shifts

    return shifts.log_out(db, actor)


def backup_if_due(db, settings) -> str | None:
    """Worker: the timed backup if it is due (its outcome), else None."""
    from counter_app import backup_schedule

    if not backup_schedule.backup_due(settings, backup_schedule.last_backup_at(db)):
        return None
    return backup_schedule.backup_with_settings(db, "scheduled", settings=settings)


class DayHooks(QObject):
    status = Signal(str)  # a line for the status bar
    dialog_shown = Signal(object)  # the ShiftSummaryDialog, for tests and screenshots

    def __init__(self, session):
        super().__init__(session)
        self.session = session
        self.timer = QTimer(self)
        self.timer.setInterval(BACKUP_CHECK_MS)
        self.timer.timeout.connect(self.check_backup)
        self._backup_tried: date | None = None

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    # --- log-in / log-out ----------------------------------------------------------------

    def logged_in(self, actor) -> None:
        Op(self, db_work(_log_in), self.session.db, actor).success(self._after_login).run()

    def _after_login(self, login_day) -> None:
        window = self.session.window
        if login_day.day_opened and window is not None:
            window.show_status(self.tr("The counter day is open. Have a good day!"))
        if login_day.handover is not None and window is not None:
            self._show(login_day.handover, incoming=True, parent=window)

    def logged_out(self, actor) -> None:
        Op(self, db_work(_log_out), self.session.db, actor) \
            .success(lambda summary: self._after_logout(summary, actor)).run()

    def _after_logout(self, summary, actor) -> None:
        login = self.session.login
        if summary is None or login is None:
            return
        self._show(summary, incoming=False, parent=login, actor=actor)

    def _show(self, summary, *, incoming: bool, parent, actor=None):
        from counter_app.ui.day.shift_dialog import ShiftSummaryDialog

        dialog = ShiftSummaryDialog(summary, incoming=incoming, receipts=self.session.receipts,
                                    db=self.session.db, actor=actor, parent=parent)
        open_dialog(dialog, return_to=parent)
        self.dialog_shown.emit(dialog)
        return dialog

    # --- timed backup --------------------------------------------------------------------

    def check_backup(self) -> None:
        from counter_app.config import LocalSettings

        today = local_date(clock.now_utc())
        if self._backup_tried == today:
            return
        settings = LocalSettings.load()
        if not settings.backup_folder:
            return
        Op(self, db_work(backup_if_due), self.session.db, settings) \
            .success(lambda outcome: self._backup_done(outcome, today)) \
            .failure(lambda exc: self._backup_failed(exc, today)).run()

    def _backup_done(self, outcome: str | None, today: date) -> None:
        if outcome is None:
            return
        self._backup_tried = today
        self.status.emit(outcome)

    def _backup_failed(self, exc: BaseException, today: date) -> None:
        self._backup_tried = today
        log.error("timed backup failed: %s", exc)
        self.status.emit(str(exc))
