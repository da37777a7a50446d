"""Issue 7 C5: the demo's past days use their own UTC offset, not today's (DST)."""

from __future__ import annotations

import sqlite3
import time
from datetime import date, datetime, time as clock

import pytest

from counter_app.demo import build_demo
from counter_app.localtime import to_local


@pytest.fixture
def new_york(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_awards_fall_in_opening_hours_on_summer_and_winter_days(new_york, tmp_path):
    # 182 days back from 20 November 2026: May to November, EDT (UTC-4) then EST (UTC-5).
    summary = build_demo(tmp_path / "d.db", members=150, seed=5, as_of=date(2026, 11, 20))
    con = sqlite3.connect(summary.path)
    stamps = [datetime.fromisoformat(t) for (t,) in con.execute(
        "SELECT created_at FROM points_journal WHERE kind = 'award'")]
    con.close()
    local = [to_local(t) for t in stamps]
    offsets = {t.utcoffset().total_seconds() / 3600 for t in local}
    assert offsets == {-4, -5}  # both halves of the year are in the history
    outside = [t for t in local if not clock(8) <= t.time() < clock(18)]
    assert outside == []  # awards are simulated between 08:00 and 18:00 local time
