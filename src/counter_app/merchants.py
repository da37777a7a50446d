"""商居联盟 merchants: a community-wide register (uid + outbox triggers, migration 0005)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from counter_app import audit, clock
from counter_app.db.models import Counter, Member
from counter_app.db.stock_models import Merchant
from counter_app.errors import InvalidInput, NotFound
from counter_app.operators import Actor, Permission, require
from counter_app.read_scope import reading


@dataclass(frozen=True)
class MerchantRow:
    id: int
    uid: str
    name: str
    address: str | None
    contact: str | None
    member_id: int | None
    active: bool


def _row(m: Merchant) -> MerchantRow:
    return MerchantRow(m.id, m.uid, m.name, m.address, m.contact, m.member_id, m.active)


def _clean(value: str | None, what: str, limit: int) -> str | None:
    value = (value or "").strip() or None
    if value is not None and (len(value) > limit or not value.isprintable()):
        raise InvalidInput(detail=f"{what}太长或含无法识别的字符（最多 {limit} 个字）")
    return value


def _community(s, actor: Actor) -> int:
    return s.scalar(select(Counter.community_id).where(Counter.id == actor.counter_id))


def add(db, actor: Actor, name: str, *, address: str | None = None,
        contact: str | None = None, member_id: int | None = None) -> int:
    require(actor, Permission.STOCK)
    name = _clean(name, "商家名称", 64)
    if name is None:
        raise InvalidInput(detail="商家名称不能为空")
    address, contact = _clean(address, "商家地址", 128), _clean(contact, "联系方式", 64)
    with db.write() as s:
        community = _community(s, actor)
        if s.scalar(select(Merchant.id).where(Merchant.community_id == community,
                                              func.lower(Merchant.name) == name.lower())):
            raise InvalidInput(detail=f"商家“{name}”已登记过了")
        if member_id is not None and s.get(Member, member_id) is None:
            raise InvalidInput(detail=f"商家的会员账户不存在（会员编号 {member_id}）")
        m = Merchant(community_id=community, name=name, address=address, contact=contact,
                     member_id=member_id, active=True, created_at=clock.now_utc())
        s.add(m)
        s.flush()
        audit.record(s, actor, "merchant.add", merchant_id=m.id, name=name)
        return m.id


def update(db, actor: Actor, merchant_id: int, **fields) -> None:
    require(actor, Permission.STOCK)
    allowed = {"name": 64, "address": 128, "contact": 64}
    with db.write() as s:
        m = s.get(Merchant, merchant_id)
        if m is None:
            raise NotFound(what=f"商家 {merchant_id}")
        for key, value in fields.items():
            if key in allowed:
                value = _clean(value, {"name": "商家名称", "address": "商家地址",
                                       "contact": "联系方式"}[key], allowed[key])
                if key == "name" and value is None:
                    raise InvalidInput(detail="商家名称不能为空")
                setattr(m, key, value)
            elif key == "active":
                m.active = bool(value)
            elif key == "member_id":
                if value is not None and s.get(Member, value) is None:
                    raise InvalidInput(detail=f"商家的会员账户不存在（会员编号 {value}）")
                m.member_id = value
            else:
                raise InvalidInput(detail=f"商家没有“{key}”这一项")
        audit.record(s, actor, "merchant.update", merchant_id=merchant_id,
                     fields=sorted(fields))


def list_merchants(session_or_db, include_inactive: bool = False) -> list[MerchantRow]:
    with reading(session_or_db) as s:
        q = select(Merchant).order_by(Merchant.name, Merchant.id)
        if not include_inactive:
            q = q.where(Merchant.active.is_(True))
        return [_row(m) for m in s.scalars(q)]


def by_name(session, name: str) -> Merchant | None:
    return session.scalar(select(Merchant).where(
        func.lower(Merchant.name) == (name or "").strip().lower()))
