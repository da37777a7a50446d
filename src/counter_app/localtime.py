"""Local time at the counter. Stored timestamps are naive UTC; people live in local days.

One place for the conversions, so a period, a birthday or a date filter all agree on
where a local day starts (including on days the offset changes).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time


def to_local(naive_utc: datetime) -> datetime:
    """A stored timestamp as an aware local datetime."""
    return naive_utc.replace(tzinfo=UTC).astimezone()


def local_date(naive_utc: datetime) -> date:
    return to_local(naive_utc).date()


def day_start_utc(day: date) -> datetime:
    """Naive UTC of local midnight starting ``day`` (with that day's own UTC offset)."""
    return datetime.combine(day, time()).astimezone().astimezone(UTC).replace(tzinfo=None)
