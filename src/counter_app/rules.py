"""Redemption rules a checkout enforces: balance, stock, eligibility, per-period limits
and the community's redemption window (一季一兑换)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import DateTime, bindparam, select, text
from sqlalchemy.orm import Session

from counter_app import ledger, stock
from counter_app.catalogue import PERIOD_LABELS
from counter_app.db.models import ExchangeItem, LimitPeriod, Member, Setting
from counter_app.errors import (
    InactiveItem, InsufficientPoints, InsufficientStock, InvalidInput, LimitReached,
    NotEligible,
)
from counter_app.localtime import local_date
from counter_app.members import age_on
from counter_app.periods import period_start_utc

WINDOW_SETTING = "redemption_window"  # "always" or "quarter_last_days:N"
THIS_PERIOD = {LimitPeriod.MONTH: "本月", LimitPeriod.QUARTER: "本季度", LimitPeriod.YEAR: "今年"}


# Lines of one member's redemptions since a moment, voided ones excluded: this counter's,
# and other counters' of the community as of the last pull (sync/receipts.py; a receipt
# that is also here, e.g. fetched back after a rejoin, counts once). Driven by the member
# indexes: "+l.item_id" keeps SQLite from starting at the (much larger) item index.
_MEMBER_LINES = text(
    "SELECT +l.item_id AS item_id, r.created_at AS created_at, l.qty AS qty "
    "FROM redemptions r JOIN redemption_lines l ON l.redemption_id = r.id "
    "WHERE r.member_id = :m AND r.created_at >= :since AND NOT EXISTS "
    "(SELECT 1 FROM points_journal p WHERE p.reverses_id = r.points_entry_id) "
    "UNION ALL "
    "SELECT i.id, d.created_at, d.qty FROM district_redemption_lines d "
    "JOIN exchange_items i ON i.uid = d.item_uid "
    "WHERE d.member_uid = (SELECT uid FROM members WHERE id = :m) "
    "AND d.created_at >= :since AND NOT d.voided "
    "AND NOT EXISTS (SELECT 1 FROM redemptions r WHERE r.id = d.receipt_id)"
).bindparams(bindparam("since", type_=DateTime())).columns(created_at=DateTime())


def _member_lines(session: Session, member_id: int, since: datetime):
    return session.execute(_MEMBER_LINES, {"m": member_id, "since": since})


def used_in_period(session: Session, member_id: int, item_id: int, since: datetime) -> int:
    """How many of an item a member redeemed since ``since`` (voided redemptions excluded)."""
    return sum(r.qty for r in _member_lines(session, member_id, since) if r.item_id == item_id)


@dataclass(frozen=True)
class Usage:
    item_id: int
    item: str
    used: int
    limit: int
    period: str  # 每月 / 每季度 / 每年

    @property
    def left(self) -> int:
        return max(0, self.limit - self.used)


def usage(session: Session, member_id: int, now: datetime) -> list[Usage]:
    """This period's redemptions of every limited item, for the member panel (one query)."""
    items = list(session.scalars(select(ExchangeItem).where(
        ExchangeItem.limit_qty.is_not(None), ExchangeItem.active.is_(True))
        .order_by(ExchangeItem.category, ExchangeItem.id)))
    used = used_of(session, member_id, items, now)
    return [Usage(i.id, i.name, used[i.id], i.limit_qty, PERIOD_LABELS[LimitPeriod(i.limit_period)])
            for i in items]


def used_of(session: Session, member_id: int, items, now: datetime) -> dict[int, int]:
    """This period's redemptions of each limited item in ``items`` (catalogue.ItemRow or
    ExchangeItem), voided ones excluded: one query driven by the member index."""
    starts = {i.id: period_start_utc(LimitPeriod(i.limit_period), now)
              for i in items if i.limit_qty}
    if not starts:
        return {}
    used = dict.fromkeys(starts, 0)
    for r in _member_lines(session, member_id, min(starts.values())):
        if r.item_id in used and r.created_at >= starts[r.item_id]:
            used[r.item_id] += r.qty
    return used


def check_item(session: Session, member: Member, item: ExchangeItem, qty: int,
               now: datetime) -> None:
    """Raise the error a volunteer should see if this member may not take ``qty`` of item."""
    if not item.active:
        raise InactiveItem(item=item.name)
    if item.min_age:
        age = age_on(member.birth_date, local_date(now))
        if age is None or age < item.min_age:
            raise NotEligible(reason=f"“{item.name}”仅限 {item.min_age} 岁及以上老人兑换"
                              + ("（会员未登记出生日期）" if age is None else ""))
    if item.limit_qty:
        period = LimitPeriod(item.limit_period)
        used = used_in_period(session, member.id, item.id, period_start_utc(period, now))
        if used + qty > item.limit_qty:
            raise LimitReached(limit_message(item.name, item.unit, period, item.limit_qty,
                                             used, qty),
                               item=item.name, period=PERIOD_LABELS[period],
                               limit=item.limit_qty, used=used)


def limit_message(name: str, unit: str, period: LimitPeriod, limit: int, used: int,
                  wanted: int) -> str:
    """In the item's own unit (袋, 份 …), counting what is already in the cart."""
    return (f"“{name}”每位会员{PERIOD_LABELS[period]}限兑 {limit} {unit}："
            f"{THIS_PERIOD[period]}已兑 {used} {unit}，这次共 {wanted} {unit}")


# --- the redemption window ------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """``quarter_last_days`` None means redemptions are open every day."""

    quarter_last_days: int | None = None

    def opens_on(self, day: date) -> date | None:
        """First day of the window in ``day``'s quarter (None: always open)."""
        if self.quarter_last_days is None:
            return None
        q_end_month = (day.month - 1) // 3 * 3 + 3
        next_q = date(day.year + (q_end_month == 12), q_end_month % 12 + 1, 1)
        return next_q - timedelta(days=self.quarter_last_days)

    def is_open(self, day: date) -> bool:
        start = self.opens_on(day)
        return start is None or day >= start

    def encode(self) -> str:
        return "always" if self.quarter_last_days is None else \
            f"quarter_last_days:{self.quarter_last_days}"

    @classmethod
    def decode(cls, text: str | None) -> Window:
        if not text or text == "always":
            return cls()
        kind, _, days = text.partition(":")
        if kind != "quarter_last_days" or not days.isdigit() or not 1 <= int(days) <= 92:
            raise InvalidInput(detail=f"兑换期设置“{text}”无法识别")
        return cls(int(days))


def window(session: Session) -> Window:
    return Window.decode(session.scalar(select(Setting.value).where(Setting.key == WINDOW_SETTING)))


def set_window(db, actor, new: Window) -> None:
    from counter_app import audit
    from counter_app.operators import Permission, require

    require(actor, Permission.SETTINGS)
    Window.decode(new.encode())  # refuses 0 days, 100 days …: a rule that cannot be read back
    with db.write() as s:
        s.merge(Setting(key=WINDOW_SETTING, value=new.encode()))
        audit.record(s, actor, "settings.redemption_window", value=new.encode())


def check_window(session: Session, now: datetime) -> None:
    w = window(session)
    today = local_date(now)
    if not w.is_open(today):
        start = w.opens_on(today)
        raise NotEligible(reason=f"本社区实行一季一兑换：本季度 {start.month} 月 {start.day} 日起"
                                 f"可以兑换，今天还不能兑换")


def check_cart(session: Session, counter_id: str, member: Member,
               items: list[tuple[ExchangeItem, int]], now: datetime) -> tuple[int, int]:
    """All checks of a checkout, in the order a volunteer can act on. Returns (total, balance).

    Stock is checked here for an early, clear message; the write itself enforces it again
    with a conditional UPDATE.
    """
    check_window(session, now)
    on_shelf = stock.levels(session, counter_id)  # one query for the whole cart
    for item, qty in items:
        check_item(session, member, item, qty, now)
        if item.tracks_stock:
            available = on_shelf.get(item.id, 0)
            if available < qty:
                raise InsufficientStock(item=item.name, available=available, needed=qty,
                                        unit=item.unit)
    total = sum(item.points * qty for item, qty in items)
    balance = ledger.balance_of(session, member.id)
    if total > balance:
        raise InsufficientPoints(needed=total, balance=balance)
    return total, balance


# --- what the member at the counter may still add (greyed tiles) -----------------------


def why_not(item, *, spare_points: int, age: int | None, used: int, in_cart: int) -> str | None:
    """Why one more ``item`` (a catalogue.ItemRow) cannot go into this member's cart now,
    in words a volunteer reads off a greyed tile; None when it can. ``spare_points`` is
    the balance less the cart, ``used`` this period's redemptions, ``in_cart`` the cart's."""
    unit = item.unit
    if item.stock is not None and item.stock - in_cart <= 0:
        return "已兑完" if item.stock <= 0 else f"库存只有 {item.stock} {unit}，都在购物车里了"
    if item.min_age and (age is None or age < item.min_age):
        return f"{item.min_age} 岁及以上才能兑换" + ("（会员未登记出生日期）" if age is None else "")
    if item.limit_qty and used + in_cart >= item.limit_qty:
        period = THIS_PERIOD[LimitPeriod(item.limit_period)]
        cart = f"，购物车里 {in_cart} {unit}" if in_cart else ""
        return f"{period}已兑 {used} {unit}{cart}，限 {item.limit_qty} {unit}"
    if item.points > spare_points:
        return f"积分不足：还差 {item.points - spare_points} 分"
    return None
