"""Calendar periods for redemption limits (本月, 本季度, 本年), in local time."""

from __future__ import annotations

from datetime import datetime

from counter_app.localtime import day_start_utc, local_date

from counter_app.db.models import LimitPeriod


def period_start_utc(period: LimitPeriod | str, now_utc: datetime) -> datetime:
    """Start of the local calendar period containing ``now_utc``, as naive UTC."""
    today = local_date(now_utc)
    period = LimitPeriod(period)
    if period is LimitPeriod.MONTH:
        first = today.replace(day=1)
    elif period is LimitPeriod.QUARTER:
        first = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    else:
        first = today.replace(month=1, day=1)
    return day_start_utc(first)  # the offset of that day, not of today
