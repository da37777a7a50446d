"""Report periods as people name them: a month (2026-11), a quarter (2026-Q4), a year (2026)
or a date range (2026-11-01 .. 2026-11-30, both days included), in local calendar days.

``start_utc``/``end_utc`` are the naive-UTC bounds stored timestamps are compared with
(``start_utc <= t < end_utc``), each from its own day's offset (localtime.day_start_utc).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from counter_app.errors import InvalidInput
from counter_app.localtime import day_start_utc

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})-?[Qq]([1-4])\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


@dataclass(frozen=True)
class Period:
    first: date  # first local day, included
    last: date  # last local day, included
    label: str  # 2026年11月, 2026年第4季度, 2026年度, 2026-11-01 至 2026-11-30

    def start_utc(self, tz: tzinfo | None = None) -> datetime:
        return day_start_utc(self.first, tz)

    def end_utc(self, tz: tzinfo | None = None) -> datetime:
        return day_start_utc(self.last + timedelta(days=1), tz)

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last

    @property
    def slug(self) -> str:
        return f"{self.first:%Y%m%d}-{self.last:%Y%m%d}"


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def month(text: str) -> Period:
    m = _MONTH.match(text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InvalidInput(detail=f"月份“{text}”不对，请写成 YYYY-MM，例如 2026-11")
    first = date(int(m.group(1)), int(m.group(2)), 1)
    return Period(first, _next_month(first) - timedelta(days=1), f"{first.year}年{first.month}月")


def quarter(text: str) -> Period:
    m = _QUARTER.match(text or "")
    if not m:
        raise InvalidInput(detail=f"季度“{text}”不对，请写成 YYYY-Qn，例如 2026-Q4")
    year, q = int(m.group(1)), int(m.group(2))
    first = date(year, 3 * q - 2, 1)
    last = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - timedelta(days=1)
    return Period(first, last, f"{year}年第{q}季度")


def year(value) -> Period:
    text = str(value)
    m = _YEAR.match(text)
    if not m:
        raise InvalidInput(detail=f"年份“{text}”不对，请写成四位数字，例如 2026")
    y = int(m.group(1))
    return Period(date(y, 1, 1), date(y, 12, 31), f"{y}年度")


def parse_day(text: str, what: str = "日期") -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise InvalidInput(detail=f"{what}“{text}”不对，请写成 YYYY-MM-DD") from None


def optional_day(text: str | None, what: str = "日期") -> date | None:
    """A command's optional date option: None when not given."""
    return parse_day(text, what) if text else None


def days(first: date, last: date) -> Period:
    if last < first:
        raise InvalidInput(detail=f"结束日期 {last} 早于开始日期 {first}")
    return Period(first, last, f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}")
