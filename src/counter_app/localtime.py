"""Local time at the counter. Stored timestamps are naive UTC; people live in local days.

One place for the conversions, so a period, a birthday, a date filter, the dashboard and
the exports all agree on where a local day starts (including on days the offset changes).
``tz`` None means this machine's zone; tests pass a ZoneInfo.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo


def to_local(moment: datetime, tz: tzinfo | None = None) -> datetime:
    """A stored (naive-UTC) timestamp, or any aware one, as an aware local datetime."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(tz)


def local_date(naive_utc: datetime, tz: tzinfo | None = None) -> date:
    return to_local(naive_utc, tz).date()


def day_start_utc(day: date, tz: tzinfo | None = None) -> datetime:
    """Naive UTC of local midnight starting ``day`` (with that day's own UTC offset)."""
    if tz is None:
        start = datetime.combine(day, time()).astimezone()  # naive means local here
    else:
        start = datetime.combine(day, time(), tzinfo=tz)
    return start.astimezone(UTC).replace(tzinfo=None)
