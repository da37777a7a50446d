"""Earning points: awards for point items (积分项目)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app import audit, ledger
from counter_app.db.models import EntryKind, Member, MemberStatus, PointCategory, PointItem
from counter_app.errors import BlockedMember, InvalidInput, NotFound, UnknownMember
from counter_app.operators import Actor, Permission, require


def award(db, actor: Actor, member_id: int, point_item_id: int, note: str | None = None) -> dict:
    """Credit a member with the points of one approved point item."""
    require(actor, Permission.AWARD)
    with db.write() as s:
        member = s.get(Member, member_id)
        if member is None:
            raise UnknownMember(member_id=member_id)
        if member.status != MemberStatus.ACTIVE:
            raise BlockedMember(name=member.name)
        item = s.get(PointItem, point_item_id)
        if item is None:
            raise NotFound(what=f"积分项目 {point_item_id}")
        if not item.active:
            raise InvalidInput(detail=f"积分项目“{item.name}”已停用")
        row = ledger.append(s, actor, member_id, item.points, EntryKind.AWARD,
                            ref=f"PI{item.id}", note=note or item.name)
        audit.record(s, actor, "points.award", member_id=member_id, item=item.id,
                     points=item.points)
        return row


def point_items(session: Session, scheme: str | None = None) -> list[tuple[str, PointItem]]:
    q = (select(PointCategory.name, PointItem)
         .join(PointItem, PointItem.category_id == PointCategory.id)
         .order_by(PointCategory.id, PointItem.id))
    if scheme:
        q = q.where(PointCategory.scheme == scheme)
    return [(c, i) for c, i in session.execute(q)]
