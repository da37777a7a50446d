"""When the app syncs by itself: once after the first log-in, and nightly at a time set per
counter (a local setting ``sync_nightly_time``, "HH:MM" local time, default 02:30; never
synced). Qt-free: the UI turns ``next_nightly`` into a QTimer, computed from the one clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo

from counter_app import clock
from counter_app.errors import InvalidInput
from counter_app.sync import settings

NIGHTLY = "sync_nightly_time"
DEFAULT_NIGHTLY = time(2, 30)


def parse_time(text: str) -> time:
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise InvalidInput(detail=f"每晚同步时间须为 时:分（例如 02:30），不是“{text}”") from None


def nightly_time(session) -> time:
    raw = settings.get(session, NIGHTLY)
    return parse_time(raw) if raw else DEFAULT_NIGHTLY


def set_nightly_time(db, value: time | str) -> time:
    at = parse_time(value) if isinstance(value, str) else value
    with db.write() as s:
        settings.put(s, NIGHTLY, f"{at.hour:02d}:{at.minute:02d}")
    return at


def next_nightly(at: time, now_utc: datetime | None = None,
                 tz: tzinfo | None = None) -> datetime:
    """Naive UTC of the next local ``at`` strictly after ``now_utc`` (default: the clock)."""
    now_utc = now_utc or clock.now_utc()
    local_now = now_utc.replace(tzinfo=UTC).astimezone(tz)
    candidate = local_now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if candidate <= local_now:
        day = candidate.date() + timedelta(days=1)
        naive = datetime.combine(day, at)
        candidate = naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()
    return candidate.astimezone(UTC).replace(tzinfo=None)


def seconds_until_nightly(at: time, now_utc: datetime | None = None,
                          tz: tzinfo | None = None) -> float:
    now_utc = now_utc or clock.now_utc()
    return (next_nightly(at, now_utc, tz) - now_utc).total_seconds()
