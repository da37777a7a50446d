"""Local days, periods and birthdays in real time zones (TZ switched with tzset)."""

import time
from datetime import date, datetime

import pytest

from counter_app.db.models import LimitPeriod
from counter_app.localtime import day_start_utc, local_date
from counter_app.members import age_on
from counter_app.periods import period_start_utc
from counter_app.rules import Window


@pytest.fixture
def tz(monkeypatch):
    def use(name):
        monkeypatch.setenv("TZ", name)
        time.tzset()
    yield use
    monkeypatch.undo()
    time.tzset()


def test_shanghai_quarter_starts_at_local_midnight(tz):
    tz("Asia/Shanghai")
    # 2026-09-30 16:30 UTC is already 1 October 00:30 in Shanghai: the new quarter
    now = datetime(2026, 9, 30, 16, 30)
    assert local_date(now) == date(2026, 10, 1)
    assert period_start_utc(LimitPeriod.QUARTER, now) == datetime(2026, 9, 30, 16, 0)
    assert period_start_utc(LimitPeriod.QUARTER, datetime(2026, 9, 30, 15, 59)) == \
        datetime(2026, 6, 30, 16, 0)
    assert period_start_utc(LimitPeriod.YEAR, now) == datetime(2025, 12, 31, 16, 0)


def test_month_start_uses_the_offset_of_that_day_across_dst(tz):
    tz("America/New_York")
    # 15 November (EST, UTC-5): the month began on 1 November, still EDT (UTC-4)
    assert period_start_utc(LimitPeriod.MONTH, datetime(2026, 11, 15, 12, 0)) == \
        datetime(2026, 11, 1, 4, 0)
    assert day_start_utc(date(2026, 11, 15)) == datetime(2026, 11, 15, 5, 0)


def test_seventieth_birthday_counts_from_local_midnight(tz):
    tz("Asia/Shanghai")
    born = date(1956, 11, 23)
    early_morning_local = datetime(2026, 11, 22, 17, 0)  # 23 Nov 01:00 in Shanghai
    assert age_on(born, local_date(early_morning_local)) == 70


def test_quarterly_window_in_local_days(tz):
    tz("Asia/Shanghai")
    w = Window(15)
    assert not w.is_open(local_date(datetime(2026, 12, 16, 15, 59)))  # 16 Dec 23:59 local
    assert w.is_open(local_date(datetime(2026, 12, 16, 16, 0)))  # 17 Dec 00:00 local
