"""Calendar periods for redemption limits (本月, 本季度, 本年), in local time."""

from __future__ import annotations

from datetime import UTC, datetime

from counter_app.db.models import LimitPeriod


def period_start_utc(period: LimitPeriod | str, now_utc: datetime) -> datetime:
    """Start of the local calendar period containing ``now_utc``, as naive UTC."""
    local = now_utc.replace(tzinfo=UTC).astimezone()
    period = LimitPeriod(period)
    if period is LimitPeriod.MONTH:
        start = local.replace(day=1)
    elif period is LimitPeriod.QUARTER:
        start = local.replace(month=(local.month - 1) // 3 * 3 + 1, day=1)
    else:
        start = local.replace(month=1, day=1)
    start = start.replace(hour=0, minute=0, second=0, microsecond=0)
    return start.astimezone(UTC).replace(tzinfo=None)
