"""The member at the counter: who, the points, recent entries, and what the cart still has
room for (greyed tiles and their reasons). Read-only; one read transaction per call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from counter_app import catalogue, ledger, members, rules
from counter_app.db.models import LimitPeriod
from counter_app.errors import CounterError
from counter_app.journal import utcnow
from counter_app.ledger import JournalRow
from counter_app.localtime import local_date
from counter_app.members import MemberRow
from counter_app.point_sources import source_names
from counter_app.read_scope import reading

RECENT = 8


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


def _room(session: Session, counter_id: str, community_id: int, member: MemberRow,
          lines: Sequence, now: datetime) -> CartRoom:
    items = catalogue.list_items(session, counter_id, community_id)
    in_cart: dict[int, int] = {}
    for line in lines:
        in_cart[line.item_id] = in_cart.get(line.item_id, 0) + line.qty
    by_id = {i.id: i for i in items}
    cart_total = sum(by_id[i].points * q for i, q in in_cart.items() if i in by_id)
    used = rules.used_of(session, member.id, items, now)
    whole_cart = "会员已停用，不能兑换" if member.blocked else None
    if whole_cart is None:
        try:
            rules.check_window(session, now)
        except CounterError as closed:
            whole_cart = str(closed)
    age = members.age_on(member.birth_date, local_date(now))
    blocked = {}
    for item in items:
        reason = whole_cart or rules.why_not(
            item, spare_points=member.balance - cart_total, age=age,
            used=used.get(item.id, 0), in_cart=in_cart.get(item.id, 0))
        if reason:
            blocked[item.id] = reason
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
        recent = tuple(ledger.history(s, member_id, limit=RECENT))
        from counter_app.earning.expiry import notice

        return MemberDetails(member, recent, source_names(s, (e.ref for e in recent)),
                             _room(s, counter.id, counter.community_id, member, lines,
                                   now or utcnow()),
                             notice(s, member_id, local_date(now) if now else None))
