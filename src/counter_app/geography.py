"""Where members live: compounds (小区) → buildings (楼栋) → units (单元) → households
(户, a room). Registers (uid, version, outbox by the triggers of migration 0003).

``place_in`` finds or creates a whole address inside the caller's transaction (the roster
import); ``add_*``/``rename`` are the members page's edits, each its own write, refused
with a Chinese message naming what and where (an empty name, a duplicate, a parent that
does not exist).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app import audit
from counter_app.db.models import Building, Community, Compound, Household, Member, Unit
from counter_app.errors import InvalidInput, NotFound
from counter_app.operators import Actor, Permission, require
from counter_app.user_text import clean_text

LEVELS = {  # level -> (model, parent model, parent column, name column, what)
    "compound": (Compound, Community, "community_id", "name", "小区"),
    "building": (Building, Compound, "compound_id", "name", "楼栋"),
    "unit": (Unit, Building, "building_id", "name", "单元"),
    "household": (Household, Unit, "unit_id", "room", "门牌（户）"),
}
MAX_LEN = {"compound": 64, "building": 32, "unit": 32, "household": 16}


@dataclass(frozen=True)
class Place:
    level: str
    id: int
    name: str
    parent_id: int
    members: int  # members registered at a household / in a compound (0 for others)


def _name(level: str, name: str) -> str:
    what = LEVELS[level][4]
    name = clean_text(name, f"{what}名称")
    if not name:
        raise InvalidInput(detail=f"{what}名称不能为空")
    if len(name) > MAX_LEN[level]:
        raise InvalidInput(detail=f"{what}名称“{name}”太长（最多 {MAX_LEN[level]} 个字）")
    return name


def _find(s: Session, level: str, parent_id: int, name: str):
    model, _parent, parent_col, name_col, _what = LEVELS[level]
    return s.scalar(select(model).where(getattr(model, parent_col) == parent_id,
                                        getattr(model, name_col) == name))


def add_in(s: Session, level: str, parent_id: int, name: str) -> int:
    model, parent, parent_col, name_col, what = LEVELS[level]
    name = _name(level, name)
    if s.get(parent, parent_id) is None:
        raise NotFound(what=f"{what}的上级（编号 {parent_id}）")
    if _find(s, level, parent_id, name) is not None:
        raise InvalidInput(detail=f"{what}“{name}”已经有了")
    row = model(**{parent_col: parent_id, name_col: name})
    s.add(row)
    s.flush()
    return row.id


def place_in(s: Session, community_id: int, compound: str, building: str | None = None,
             unit: str | None = None, room: str | None = None) -> tuple[int, int | None]:
    """``(compound_id, household_id)`` of an address, creating what is missing.
    A household needs building, unit and room; with only a compound, household_id is None."""
    ids = []
    parent = community_id
    for level, name in (("compound", compound), ("building", building), ("unit", unit),
                        ("household", room)):
        if not name:
            break
        name = _name(level, name)
        found = _find(s, level, parent, name)
        parent = found.id if found is not None else add_in(s, level, parent, name)
        ids.append(parent)
    if not ids:
        raise InvalidInput(detail="住址至少要有小区")
    return ids[0], (ids[3] if len(ids) == 4 else None)


def add(db, actor: Actor, level: str, parent_id: int, name: str) -> int:
    require(actor, Permission.MEMBERS)
    if level not in LEVELS:
        raise InvalidInput(detail=f"没有“{level}”这一级")
    with db.write() as s:
        new_id = add_in(s, level, parent_id, name)
        audit.record(s, actor, "geography.add", level=level, id=new_id, parent=parent_id)
        return new_id


def rename(db, actor: Actor, level: str, place_id: int, name: str) -> None:
    require(actor, Permission.MEMBERS)
    model, _parent, parent_col, name_col, what = LEVELS[level]
    name = _name(level, name)
    with db.write() as s:
        row = s.get(model, place_id)
        if row is None:
            raise NotFound(what=f"{what}（编号 {place_id}）")
        other = _find(s, level, getattr(row, parent_col), name)
        if other is not None and other.id != place_id:
            raise InvalidInput(detail=f"{what}“{name}”已经有了")
        setattr(row, name_col, name)
        audit.record(s, actor, "geography.rename", level=level, id=place_id, name=name)


def children(db, level: str, parent_id: int) -> list[Place]:
    """The places of ``level`` under ``parent_id``, by name, with their member counts."""
    model, _parent, parent_col, name_col, _what = LEVELS[level]
    with db.read() as s:
        rows = s.execute(select(model.id, getattr(model, name_col))
                         .where(getattr(model, parent_col) == parent_id)
                         .order_by(getattr(model, name_col), model.id)).all()
        counts: dict[int, int] = {}
        if level == "household" and rows:
            counts = dict(s.execute(select(Member.household_id, func.count())
                                    .where(Member.household_id.in_([r[0] for r in rows]))
                                    .group_by(Member.household_id)).all())
    return [Place(level, i, n, parent_id, counts.get(i, 0)) for i, n in rows]


def move_member(db, actor: Actor, member_id: int, household_id: int | None) -> None:
    """Register a member at a household (None: no household)."""
    require(actor, Permission.MEMBERS)
    with db.write() as s:
        member = s.get(Member, member_id)
        if member is None:
            raise NotFound(what=f"会员（编号 {member_id}）")
        if household_id is not None and s.get(Household, household_id) is None:
            raise NotFound(what=f"住户（编号 {household_id}）")
        member.household_id = household_id
        audit.record(s, actor, "member.household", member_id=member_id, household=household_id)
