"""The district sync of the running app: off the GUI thread, on its own connection.

``sync_once`` opens its own engine on the counter file and keeps its SQLite transactions
small, and it runs here on a thread of its own ("counter-sync"), never on the one database
worker of ui/common/ops.py: a sync waits seconds on the network, and a checkout queued
behind it on that worker would wait too. The counter keeps redeeming meanwhile.

One runner per database for the whole process (``SyncRunner.for_db``): the page, the status
bar indicator and the schedule share it, so two syncs never run at once from one app.
When it runs: after the first log-in (``start_up``), nightly at the counter's configured
time (a single-shot QTimer computed from counter_app.clock, re-armed after each run), and
on demand (``sync_now``).
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app import sync_schedule
from counter_app.sync.status import SyncStatus, status
from counter_app.ui.common.ops import Op, db_work

log = logging.getLogger(__name__)

MAX_TIMER_MS = 6 * 3600 * 1000  # a long wait is re-computed in steps (sleep, clock changes)


def _sync_once(path, progress):
    # Imported when a sync runs, not with the window: it loads psycopg (0.2-0.4 s of the
    # log-in -> counter page time, for a status-bar label).
    from counter_app.sync.run import sync_once

    return sync_once(path, progress=progress)


def _read(db) -> tuple[SyncStatus, dict, object]:
    from sqlalchemy import text

    st = status(db)
    with db.read() as s:
        hot = dict(s.execute(text("SELECT kind, count(*) FROM district_hotlist WHERE active "
                                  "GROUP BY kind")).all())
        at = sync_schedule.nightly_time(s)
    return st, hot, at


class SyncRunner(QObject):
    started = Signal()
    progress = Signal(str, int, int)  # stage, done, total (-1: unknown)
    finished = Signal(object)  # SyncReport
    status_loaded = Signal(object, object)  # SyncStatus, {hotlist kind: count}

    _runners: dict[str, SyncRunner] = {}

    @classmethod
    def for_db(cls, db) -> SyncRunner:
        key = str(db.path)
        runner = cls._runners.get(key)
        if runner is None:
            runner = cls._runners[key] = cls(db)
        return runner

    @classmethod
    def forget(cls, db) -> None:
        runner = cls._runners.pop(str(db.path), None)
        if runner is not None:
            runner.shutdown()

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self.sync_fn = _sync_once  # tests wrap it
        self.running = False
        self.status: SyncStatus | None = None
        self.hotlist: dict = {}
        self.nightly_at = sync_schedule.DEFAULT_NIGHTLY
        self.last_report = None
        self._started_up = False
        self.nightly_target = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="counter-sync")
        self._done = threading.Event()
        self._done.set()
        self.nightly = QTimer(self)
        self.nightly.setSingleShot(True)
        self.nightly.timeout.connect(self._nightly_due)
        self.finished.connect(self._after_run)

    # --- when -----------------------------------------------------------------------------

    def start_up(self) -> None:
        """After the first log-in: read the status, arm the nightly timer and, if the
        district is set up, sync once."""
        if self._started_up:
            return
        self._started_up = True
        self.refresh(then=self._first_sync)

    def _first_sync(self) -> None:
        self.arm_nightly()
        if self.status is not None and self.status.configured:
            self.sync_now()

    def arm_nightly(self) -> int:
        """(Re)start the nightly timer from the one clock; returns its interval in ms."""
        from counter_app import clock

        self.nightly_target = sync_schedule.next_nightly(self.nightly_at)
        seconds = (self.nightly_target - clock.now_utc()).total_seconds()
        ms = max(1000, min(MAX_TIMER_MS, int(seconds * 1000)))
        self.nightly.start(ms)
        return ms

    def _nightly_due(self) -> None:
        from counter_app import clock

        if clock.now_utc() >= self.nightly_target - timedelta(seconds=2):
            if self.status is not None and self.status.configured:
                self.sync_now()
            self.nightly_target = None
        if self.nightly_target is None:
            self.arm_nightly()
        else:  # a step of a long wait: the rest of it
            seconds = (self.nightly_target - clock.now_utc()).total_seconds()
            self.nightly.start(max(1000, min(MAX_TIMER_MS, int(seconds * 1000))))

    # --- what -----------------------------------------------------------------------------

    def refresh(self, then=None) -> None:
        """Read status, hotlist and nightly time on the database worker (a quick read)."""
        def loaded(result):
            self.status, self.hotlist, self.nightly_at = result
            self.status_loaded.emit(self.status, self.hotlist)
            if then is not None:
                then()

        def failed(exc):
            log.info("sync status not read: %s", exc)
            if then is not None:
                then()

        Op(self, db_work(_read), self.db).success(loaded).failure(failed).run()

    def sync_now(self) -> bool:
        """Start a sync on the sync thread; False if one is already running."""
        if self.running:
            return False
        self.running = True
        self._done.clear()
        self.started.emit()
        fn, path = self.sync_fn, self.db.path

        def work():
            try:
                report = fn(path, progress=self._progress)
            except BaseException as exc:  # sync_once reports failures; this is a bug
                log.exception("sync crashed")
                report = exc
            finally:
                self._done.set()
            self.finished.emit(report)  # queued to the GUI thread (the runner lives there)

        self._pool.submit(work)
        return True

    def _progress(self, stage: str, done: int, total) -> None:
        self.progress.emit(stage, int(done or 0), -1 if total is None else int(total))

    def _after_run(self, report) -> None:
        self.running = False
        self.last_report = report
        self.refresh()

    def wait(self, timeout: float = 60.0) -> bool:
        """Block until no sync runs (shutdown, tests)."""
        return self._done.wait(timeout)

    def shutdown(self) -> None:
        self.nightly.stop()
        self.wait(30.0)
        self._pool.shutdown(wait=False)
