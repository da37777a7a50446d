"""The one clock of the core: every stored timestamp comes from ``now_utc()``.

Stored timestamps are naive UTC. Tests (and the demo builder) set the time with
``frozen(moment)`` or ``use(clock)``; the override is process-wide on purpose, so a
checkout run on the GUI's worker thread sees the same time as the test that started it.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Iterator


class Clock:
    """The real clock. Subclass (or use FixedClock) to control time."""

    def now_utc(self) -> datetime:
        return datetime.now(UTC).replace(tzinfo=None)


class FixedClock(Clock):
    """A clock that stands still until moved (``advance``/``set``)."""

    def __init__(self, moment: datetime):
        self.set(moment)

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        self._moment = moment

    def advance(self, **delta) -> datetime:
        self._moment += timedelta(**delta)
        return self._moment

    def now_utc(self) -> datetime:
        return self._moment


SYSTEM = Clock()
_current: Clock = SYSTEM
_lock = threading.Lock()


def now_utc() -> datetime:
    """Naive UTC now, from the clock in use."""
    return _current.now_utc()


def current() -> Clock:
    return _current


@contextmanager
def use(clock: Clock) -> Iterator[Clock]:
    """Make ``clock`` the clock of the core until the block ends."""
    global _current
    with _lock:
        before, _current = _current, clock
    try:
        yield clock
    finally:
        with _lock:
            _current = before


@contextmanager
def frozen(moment: datetime) -> Iterator[FixedClock]:
    """``with clock.frozen(datetime(2026, 3, 4, 8)) as c: … c.advance(days=1)``"""
    with use(FixedClock(moment)) as c:
        yield c
