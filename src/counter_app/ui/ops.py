"""One small helper for background work (after Anki's CollectionOp/QueryOp).

    Op(parent, fn, *args).success(on_done).failure(on_error).run()

``fn`` runs on a single worker thread that owns all database work, so writes never
race and the GUI thread never waits on SQLite. The result (or exception) comes back
to the GUI thread through a queued signal. If ``parent`` is destroyed first, the
callbacks are dropped.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="counter-db")
_worker_ident: list[int] = []


def on_worker_thread() -> bool:
    return threading.get_ident() in _worker_ident


def _remember_worker():
    _worker_ident.append(threading.get_ident())


_executor.submit(_remember_worker).result()


class _Bridge(QObject):
    """Carries one result back to the GUI thread. A QObject child of the caller, so a
    result for a closed window is dropped instead of touching deleted widgets."""

    done = Signal(object, object)  # (result, exception)

    def __init__(self, parent: QObject, on_success, on_failure):
        super().__init__(parent)
        self.on_success, self.on_failure = on_success, on_failure
        self.done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object, object)
    def _deliver(self, result, exc) -> None:
        _in_flight.discard(self)
        try:
            if exc is None:
                if self.on_success:
                    self.on_success(result)
            elif self.on_failure:
                self.on_failure(exc)
            else:
                from counter_app.ui.errors import report_exception

                report_exception(self.parent(), exc)
        finally:
            self.deleteLater()


_in_flight: set[_Bridge] = set()  # keeps the Python side alive until delivery


class Op:
    def __init__(self, parent: QObject, fn: Callable[..., Any], *args, **kwargs):
        self._parent = parent
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None

    def success(self, callback: Callable[[Any], None]) -> Op:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op:
        self._on_failure = callback
        return self

    def run(self) -> None:
        bridge = _Bridge(self._parent, self._on_success, self._on_failure)
        _in_flight.add(bridge)
        fn, args, kwargs = self._fn, self._args, self._kwargs

        def work():
            try:
                result, exc = fn(*args, **kwargs), None
            except BaseException as error:  # handed to the GUI thread, not swallowed
                result, exc = None, error
            try:
                bridge.done.emit(result, exc)
            except RuntimeError:  # the caller was closed meanwhile: nobody to tell
                _in_flight.discard(bridge)

        _executor.submit(work)


def wait_idle(timeout: float = 10.0) -> None:
    """Block until queued background work has run (tests, shutdown)."""
    _executor.submit(lambda: None).result(timeout)
