"""The member at the counter: who, the points, recent entries, and what the cart still has
room for (greyed tiles and their reasons). Read-only; one read transaction per call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, text
from sqlalchemy.orm import Session

from counter_app import catalogue, members, rules
from counter_app.db.models import LimitPeriod
from counter_app.errors import CounterError
from counter_app.journal import utcnow
from counter_app.ledger import JournalRow
from counter_app.localtime import local_date
from counter_app.members import MemberRow
from counter_app.point_sources import source_names
from counter_app.read_scope import reading
from counter_app.stock import capacity

RECENT = 8

# The panel's recent entries: this counter's and the pulled ones of other counters, as two
# plain statements (ledger.history builds its filtered ORM query anew on every call, which
# cost more than the reads themselves on the scan path).
_OWN_RECENT = text(
    "SELECT id, created_at, kind, delta, ref, note, reverses_id, operator_id, counter_id "
    "FROM points_journal WHERE member_id = :m ORDER BY created_at DESC, seq DESC LIMIT :n"
).columns(created_at=DateTime())
_OTHERS_RECENT = text(
    "SELECT e.id, e.created_at, e.kind, e.delta, e.ref, e.note, e.reverses_id, NULL, "
    "e.counter_id FROM district_entries e JOIN members m ON m.uid = e.subject_uid "
    "WHERE m.id = :m ORDER BY e.created_at DESC LIMIT :n"
).columns(created_at=DateTime())


def recent(session: Session, member_id: int, limit: int = RECENT) -> tuple[JournalRow, ...]:
    """The member's newest entries at any counter, newest first (ledger.history's order)."""
    args = {"m": member_id, "n": limit}
    rows = [JournalRow(*r) for r in session.execute(_OWN_RECENT, args)]
    others = [JournalRow(*r) for r in session.execute(_OTHERS_RECENT, args)]
    if others:
        rows = sorted(rows + others, key=lambda r: r.created_at, reverse=True)[:limit]
    return tuple(rows)


@dataclass(frozen=True)
class LimitUse:
    """One limited item this period: used (committed) and what the cart holds."""

    item_id: int
    item: str
    unit: str
    used: int
    in_cart: int
    limit: int
    period: str  # 本月 / 本季度 / 今年


@dataclass(frozen=True)
class CartRoom:
    blocked: dict[int, str]  # item id -> why one more cannot be added now
    limits: tuple[LimitUse, ...]  # limited items used this period or in the cart


@dataclass(frozen=True)
class MemberDetails:
    member: MemberRow
    recent: tuple[JournalRow, ...]
    sources: dict[str, str]  # entry ref -> what it means ("志愿服务 · 微心愿")
    room: CartRoom
    expiry_notice: str | None = None  # points due to expire soon (earning.expiry.notice)


def nothing_now(session: Session, member: MemberRow, now: datetime,
                blocked: str = "会员已停用，不能兑换") -> str | None:
    """Why this member can redeem nothing at all now (blocked, outside the redemption
    window), or None."""
    if member.blocked:
        return blocked
    try:
        rules.check_window(session, now)
    except CounterError as closed:
        return str(closed)
    return None


def _room(session: Session, counter_id: str, community_id: int, member: MemberRow,
          lines: Sequence, now: datetime) -> CartRoom:
    items = catalogue.list_items(session, counter_id, community_id)
    in_cart: dict[int, int] = {}
    for line in lines:
        in_cart[line.item_id] = in_cart.get(line.item_id, 0) + line.qty
    by_id = {i.id: i for i in items}
    cart_total = sum(by_id[i].points * q for i, q in in_cart.items() if i in by_id)
    used = rules.used_of(session, member.id, items, now)
    whole_cart = nothing_now(session, member, now)
    age = members.age_on(member.birth_date, local_date(now))
    blocked = {}
    for item in items:
        reason = whole_cart or rules.why_not(
            item, spare_points=member.balance - cart_total, age=age,
            used=used.get(item.id, 0), in_cart=in_cart.get(item.id, 0))
        if reason:
            blocked[item.id] = reason
    for item_id, left in capacity.lefts(session, items, now).items():  # services' capacity
        if item_id not in blocked and left - in_cart.get(item_id, 0) <= 0:
            item = by_id[item_id]
            period = capacity.PERIOD_WORDS[capacity.CapacityPeriod(item.capacity_period)]
            blocked[item_id] = f"{period}名额已满（共 {item.capacity_qty} {item.unit}）" \
                if left <= 0 else f"{period}只剩 {left} {item.unit}名额，都在购物车里了"
    limits = tuple(
        LimitUse(i.id, i.name, i.unit, used.get(i.id, 0), in_cart.get(i.id, 0), i.limit_qty,
                 rules.THIS_PERIOD[LimitPeriod(i.limit_period)])
        for i in items if i.limit_qty and (used.get(i.id) or in_cart.get(i.id)))
    return CartRoom(blocked, limits)


def cart_room(session_or_db, counter, member_id: int, lines: Sequence = (),
              now: datetime | None = None) -> CartRoom:
    """What this member may still add at ``counter`` (counters.CounterInfo: id and
    community), given the cart ``lines`` (redemption.CartLine)."""
    with reading(session_or_db) as s:
        return _room(s, counter.id, counter.community_id, members.get_member(s, member_id),
                     lines, now or utcnow())


def load(session_or_db, member_id: int, counter, lines: Sequence = (),
         now: datetime | None = None) -> MemberDetails:
    """Everything the counter page shows about a member, in one read transaction."""
    with reading(session_or_db) as s:
        member = members.get_member(s, member_id)  # raises UnknownMember
        last = recent(s, member_id)
        from counter_app.earning.expiry import notice

        return MemberDetails(member, last, source_names(s, (e.ref for e in last)),
                             _room(s, counter.id, counter.community_id, member, lines,
                                   now or utcnow()),
                             notice(s, member_id, local_date(now) if now else None))
