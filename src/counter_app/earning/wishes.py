"""Micro-wishes (微心愿 / 心愿征集墙): posted (who, what, by when), claimed by a member or a
team, completed. Completion proposes an award for the claimant (or the team's members who
did it) through the same review as every other award: pending until a reviewer approves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from counter_app import audit, clock
from counter_app.db.earning_models import (
    WISH_STATUS_LABELS, Award, StatusLabelled, Wish, WishStatus,
)
from counter_app.db.models import Member, PointItem
from counter_app.earning import awards, catalogue
from counter_app.earning.errors import WishStateError
from counter_app.earning.presets import WISH_ITEM
from counter_app.errors import InvalidInput, NotFound
from counter_app.operators import Actor, Permission, require
from counter_app.user_text import clean_optional, clean_text, whole_number


@dataclass(frozen=True)
class WishRow(StatusLabelled):
    LABELS: ClassVar[dict] = WISH_STATUS_LABELS
    id: int
    uid: str
    title: str
    wisher_name: str
    due_date: date | None
    status: str
    claimant_member_id: int | None
    claimant_name: str | None
    claimant_team: str | None
    item_id: int | None
    posted_at: datetime
    claimed_at: datetime | None
    completed_at: datetime | None
    note: str | None

    @property
    def claimant(self) -> str:
        return "、".join(x for x in (self.claimant_team, self.claimant_name) if x)


def _query():
    claimant = aliased(Member)
    return (select(Wish.id, Wish.uid, Wish.title, Wish.wisher_name, Wish.due_date, Wish.status,
                   Wish.claimant_member_id, claimant.name, Wish.claimant_team, Wish.item_id,
                   Wish.posted_at, Wish.claimed_at, Wish.completed_at, Wish.note)
            .outerjoin(claimant, claimant.id == Wish.claimant_member_id))


def wishes(session: Session, statuses=None) -> list[WishRow]:
    q = _query().order_by(Wish.id)
    if statuses:
        q = q.where(Wish.status.in_([str(s) for s in statuses]))
    return [WishRow(*r) for r in session.execute(q)]


def get_wish(session: Session, wish_id: int) -> WishRow:
    r = session.execute(_query().where(Wish.id == wish_id)).first()
    if r is None:
        raise NotFound(what=f"心愿（编号 {wish_id}）")
    return WishRow(*r)


def _wish(s: Session, wish_id) -> Wish:
    wish = s.get(Wish, whole_number(wish_id, "心愿编号"))
    if wish is None:
        raise NotFound(what=f"心愿（编号 {wish_id}）")
    return wish


def _default_item(s: Session) -> int | None:
    return s.scalar(select(PointItem.id).where(PointItem.name == WISH_ITEM,
                                               PointItem.active.is_(True)).order_by(PointItem.id))


def post(db, actor: Actor, title: str, wisher_name: str, *, due_date: date | None = None,
         wisher_member_id: int | None = None, item_id: int | None = None,
         note: str | None = None) -> WishRow:
    """Post a wish on the wall. ``item_id``: what its completion earns (default: the
    scheme's 完成微心愿)."""
    require(actor, Permission.AWARD)
    title, wisher_name = clean_text(title, "心愿内容"), clean_text(wisher_name, "许愿人")
    if not title:
        raise InvalidInput(detail="请写下心愿内容")
    if not wisher_name:
        raise InvalidInput(detail="请写下许愿人")
    if due_date is not None and due_date < catalogue.today():
        raise InvalidInput(detail=f"心愿的期限 {due_date} 已经过了")
    note = clean_optional(note, "备注") or None
    with db.write() as s:
        if wisher_member_id is not None and s.get(Member, wisher_member_id) is None:
            raise NotFound(what=f"许愿的会员（编号 {wisher_member_id}）")
        item_id = item_id if item_id is not None else _default_item(s)
        if item_id is not None and s.get(PointItem, item_id) is None:
            raise NotFound(what=f"积分项目（编号 {item_id}）")
        wish = Wish(title=title, wisher_name=wisher_name, wisher_member_id=wisher_member_id,
                    due_date=due_date, item_id=item_id, status=WishStatus.POSTED,
                    posted_by=actor.operator_id, posted_at=clock.now_utc(), note=note)
        s.add(wish)
        s.flush()
        audit.record(s, actor, "wish.post", wish=wish.uid, title=title)
        return get_wish(s, wish.id)


def claim(db, actor: Actor, wish_id: int, *, member_id: int | None = None,
          team: str | None = None) -> WishRow:
    """A member (or a team, optionally with its contact member) takes the wish on."""
    require(actor, Permission.AWARD)
    team = clean_optional(team, "认领队伍") or None
    if member_id is None and team is None:
        raise InvalidInput(detail="请给出认领的会员或队伍")
    with db.write() as s:
        wish = _wish(s, wish_id)
        if wish.status != WishStatus.POSTED:
            raise WishStateError(title=wish.title, state=WISH_STATUS_LABELS[wish.status],
                                 action="认领")
        if member_id is not None:
            member = awards.member_by_id(s, member_id)
            if member.status != "active":
                raise InvalidInput(detail=f"会员 {member.name} 已停用，不能认领心愿")
        wish.status, wish.claimant_member_id, wish.claimant_team = (
            WishStatus.CLAIMED, member_id, team)
        wish.claimed_at = clock.now_utc()
        audit.record(s, actor, "wish.claim", wish=wish.uid, member_id=member_id, team=team)
        return get_wish(s, wish.id)


def complete(db, actor: Actor, wish_id: int, *, participants: list[int] | None = None,
             day: date | None = None) -> list[awards.AwardRow]:
    """Mark the wish done; propose (pending) awards for the claimant, or for the named
    team members. Refused as a whole when one award would be (blocked member …)."""
    require(actor, Permission.AWARD)
    with db.write() as s:
        wish = _wish(s, wish_id)
        if wish.status != WishStatus.CLAIMED:
            raise WishStateError(title=wish.title, state=WISH_STATUS_LABELS[wish.status],
                                 action="标记完成")
        people = list(dict.fromkeys(participants or ([wish.claimant_member_id]
                                                     if wish.claimant_member_id else [])))
        if not people:
            raise InvalidInput(detail=f"心愿“{wish.title}”由队伍认领，请给出完成心愿的队员")
        if wish.item_id is None:
            raise InvalidInput(detail=f"心愿“{wish.title}”没有对应的积分项目，请先在积分项目页"
                                      f"添加“{WISH_ITEM}”")
        item = s.get(PointItem, wish.item_id)
        day = day or catalogue.today()
        made = [awards.add_in(s, actor, awards.member_by_id(s, m), item, day,
                              note=f"微心愿：{wish.title}", wish_id=wish.id) for m in people]
        wish.status, wish.completed_at = WishStatus.COMPLETED, clock.now_utc()
        audit.record(s, actor, "wish.complete", wish=wish.uid, awards=[a.uid for a in made])
        return awards.award_rows(s, Award.wish_id == wish.id)


def cancel(db, actor: Actor, wish_id: int, reason: str) -> WishRow:
    require(actor, Permission.AWARD)
    reason = clean_text(reason or "", "撤下原因")
    if not reason:
        raise InvalidInput(detail="请填写撤下原因")
    with db.write() as s:
        wish = _wish(s, wish_id)
        if wish.status in (WishStatus.COMPLETED, WishStatus.CANCELLED):
            raise WishStateError(title=wish.title, state=WISH_STATUS_LABELS[wish.status],
                                 action="撤下")
        wish.status, wish.note = WishStatus.CANCELLED, reason
        audit.record(s, actor, "wish.cancel", wish=wish.uid, reason=reason)
        return get_wish(s, wish.id)
