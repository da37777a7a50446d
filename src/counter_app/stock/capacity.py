"""Services with a capacity per period shared by all members (10 义剪 a month, 30 爱心餐
a week). What is left = capacity − the community's redemptions of the service in the local
calendar period (voided receipts excluded): this counter's own, and the other counters'
as of the last sync (district_redemption_lines, pulled with the receipts — a receipt this
file holds itself is counted once). The checkout counts inside its own BEGIN IMMEDIATE
transaction, so two tills on one file cannot both take the last one; two counters offline
at once can, as with the points (the district lists what it sees, the next pull corrects).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.orm import Session

from counter_app import periods
from counter_app.db.stock_models import CapacityPeriod
from counter_app.errors import CounterError
from counter_app.localtime import day_start_utc, local_date

PERIOD_WORDS = {CapacityPeriod.WEEK: "本周", CapacityPeriod.MONTH: "本月",
                CapacityPeriod.QUARTER: "本季度", CapacityPeriod.YEAR: "今年"}
PERIOD_LABELS = {CapacityPeriod.WEEK: "每周", CapacityPeriod.MONTH: "每月",
                 CapacityPeriod.QUARTER: "每季度", CapacityPeriod.YEAR: "每年"}


class CapacityReached(CounterError):
    message = "“{item}”{period}的名额已满：共 {capacity} {unit}，已兑 {used} {unit}"


def period_start_utc(period, now_utc: datetime) -> datetime:
    """Local Monday for a week; month, quarter, year as the redemption limits count them."""
    period = CapacityPeriod(period)
    if period is CapacityPeriod.WEEK:
        today = local_date(now_utc)
        return day_start_utc(today - timedelta(days=today.weekday()))
    return periods.period_start_utc(str(period), now_utc)


_USED = text(
    "SELECT (SELECT COALESCE(SUM(l.qty), 0) FROM redemption_lines l "
    "        JOIN redemptions r ON r.id = l.redemption_id "
    "        WHERE l.item_id = :i AND r.created_at >= :since AND NOT EXISTS "
    "        (SELECT 1 FROM points_journal p WHERE p.reverses_id = r.points_entry_id)) "
    "     + (SELECT COALESCE(SUM(d.qty), 0) FROM district_redemption_lines d "
    "        WHERE d.item_uid = (SELECT uid FROM exchange_items WHERE id = :i) "
    "        AND d.created_at >= :since AND NOT d.voided "
    "        AND NOT EXISTS (SELECT 1 FROM redemptions r WHERE r.id = d.receipt_id))"
).bindparams(bindparam("since", type_=DateTime()))


def used(session: Session, item_id: int, since: datetime) -> int:
    return session.execute(_USED, {"i": item_id, "since": since}).scalar()


def left(session: Session, item, now: datetime) -> int | None:
    """What is left of an item's capacity this period (None: no capacity)."""
    if not getattr(item, "capacity_qty", None):
        return None
    taken = used(session, item.id, period_start_utc(item.capacity_period, now))
    return max(0, item.capacity_qty - taken)


def lefts(session: Session, items, now: datetime) -> dict[int, int]:
    """Capacity left of every item in ``items`` that has one."""
    return {i.id: left(session, i, now) for i in items if getattr(i, "capacity_qty", None)}


def check(session: Session, items, now: datetime) -> None:
    """Refuse a cart that takes more of a service than is left (items: (item, qty))."""
    for item, qty in items:
        remaining = left(session, item, now)
        if remaining is not None and qty > remaining:
            period = CapacityPeriod(item.capacity_period)
            if remaining == 0:
                raise CapacityReached(item=item.name, period=PERIOD_WORDS[period],
                                      capacity=item.capacity_qty, unit=item.unit,
                                      used=item.capacity_qty)
            raise CapacityReached(
                f"“{item.name}”{PERIOD_WORDS[period]}只剩 {remaining} {item.unit}名额，"
                f"这次要 {qty} {item.unit}", item=item.name)
