"""One small helper for background work (after Anki's CollectionOp/QueryOp).

    Op(parent, fn, *args).success(on_done).failure(on_error).run()

``fn`` runs on a single worker thread that owns all database work, so writes never
race and the GUI thread never waits on SQLite. The result (or exception) comes back
to the GUI thread through a queued signal. If ``parent`` is destroyed first, the
callbacks are dropped. Without a failure callback, errors go to report_exception.
"""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog


_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="counter-db")
# Printers block (out of paper, a stuck serial line): they get their own thread so a
# printer never holds up searches and checkouts.
_device_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="counter-printer")
_worker_ident: list[int] = []


def on_worker_thread() -> bool:
    return threading.get_ident() in _worker_ident


def assert_on_worker() -> None:
    """Database work belongs on the Op worker: on the GUI thread it would freeze the
    window and race the writes. Raised, not ``assert``: ``python -O`` keeps it."""
    if not on_worker_thread():
        raise AssertionError("database work outside the Op worker thread")


def _remember_worker():
    _worker_ident.append(threading.get_ident())


_executor.submit(_remember_worker).result()


class _Dispatcher(QObject):
    """Lives for the whole process on the GUI thread, so a worker can always emit to it
    (emitting on a per-call object that the GUI thread may be deleting is a race)."""

    done = Signal(int, object, object)  # (ticket, result, exception)

    def __init__(self):
        super().__init__()
        self.pending: dict[int, tuple[QObject, Callable | None, Callable | None]] = {}
        self.busy: dict[int, QProgressDialog] = {}
        self.tickets = itertools.count(1)
        self.done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def show_busy(self, ticket: int, text: str) -> None:
        """Called a moment after a labelled op started: say it is still working."""
        parent = self.pending.get(ticket, (None,))[0]
        if parent is None or not shiboken6.isValid(parent):
            return
        dialog = QProgressDialog(text, None, 0, 0, parent if parent.isWidgetType() else None)
        dialog.setObjectName("busy_dialog")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        self.busy[ticket] = dialog

    @Slot(int, object, object)
    def _deliver(self, ticket: int, result, exc) -> None:
        parent, on_success, on_failure = self.pending.pop(ticket)
        busy = self.busy.pop(ticket, None)
        if busy is not None and shiboken6.isValid(busy):
            busy.close()
            busy.deleteLater()
        if not shiboken6.isValid(parent):
            return  # the window that asked is gone: nobody to tell
        if exc is None:
            if on_success:
                on_success(result)
        elif on_failure:
            on_failure(exc)
        else:
            from counter_app.ui.common.errors import report_exception

            report_exception(parent, exc)


_dispatcher: _Dispatcher | None = None


class Op:
    def __init__(self, parent: QObject, fn: Callable[..., Any], *args, **kwargs):
        self._parent = parent
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._busy_text: str | None = None
        self._busy_after_ms = 400
        self._pool = _executor

    def on_device_thread(self) -> Op:
        """Run on the printer thread instead of the database worker."""
        self._pool = _device_executor
        return self

    def progress(self, text: str, after_ms: int = 400) -> Op:
        """Long work: if it is not done after ``after_ms``, show a busy dialog saying so."""
        self._busy_text, self._busy_after_ms = text, after_ms
        return self

    def success(self, callback: Callable[[Any], None]) -> Op:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op:
        self._on_failure = callback
        return self

    def run(self) -> None:
        global _dispatcher
        if _dispatcher is None:  # first use, on the GUI thread
            _dispatcher = _Dispatcher()
        dispatcher = _dispatcher
        ticket = next(dispatcher.tickets)
        dispatcher.pending[ticket] = (self._parent, self._on_success, self._on_failure)
        fn, args, kwargs = self._fn, self._args, self._kwargs
        if self._busy_text:
            text = self._busy_text
            QTimer.singleShot(self._busy_after_ms,
                              lambda: ticket in dispatcher.pending
                              and dispatcher.show_busy(ticket, text))

        def work():
            try:
                result, exc = fn(*args, **kwargs), None
            except BaseException as error:  # handed to the GUI thread, not swallowed
                result, exc = None, error
            dispatcher.done.emit(ticket, result, exc)

        self._pool.submit(work)


def wait_idle(timeout: float = 10.0) -> None:
    """Block until queued background work has run (tests, shutdown)."""
    _executor.submit(lambda: None).result(timeout)
    _device_executor.submit(lambda: None).result(timeout)
