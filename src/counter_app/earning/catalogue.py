"""The point-item catalogue (积分项目): categories, items, who may earn them, dated values.

An item's value is dated: ``point_item_values`` holds every value with the day it came into
force, and an award takes the value in force on its activity's date (``value_on``). Values
are only ever added (the history of changes, with who and when). ``point_items.points`` is
kept equal to the value in force today, for readers that only want "the" value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from counter_app import audit, bounds, clock
from counter_app.db.earning_models import PointItemValue
from counter_app.db.models import CATEGORY_LABELS, MemberCategory, Operator, PointCategory
from counter_app.db.models import PointItem, Setting
from counter_app.earning.errors import PointsOutOfRange, UnknownPointItem
from counter_app.earning.presets import POINT_SCHEMES, SCHEME_LABELS, SINCE_ALWAYS, item_options
from counter_app.errors import InvalidInput
from counter_app.localtime import local_date
from counter_app.operators import Actor, Permission, require
from counter_app.user_text import clean_text

SCHEME_SETTING = "point_scheme"


def today() -> date:
    """The counter's local date now (from the one clock)."""
    return local_date(clock.now_utc())


def parse_eligible(value: str | None) -> frozenset[str] | None:
    if not value:
        return None
    return frozenset(v for v in value.split(",") if v)


def eligible_text(categories) -> str | None:
    """``categories`` (MemberCategory values or their Chinese labels) as stored; None = all."""
    if categories is None:
        return None
    by_label = {label: str(cat) for cat, label in CATEGORY_LABELS.items()}
    out = []
    for c in categories:
        c = str(c).strip()
        key = by_label.get(c, c)
        if key not in {str(m) for m in MemberCategory}:
            raise InvalidInput(detail=f"没有“{c}”这个会员类别，可选："
                                      f"{'、'.join(CATEGORY_LABELS.values())}")
        if key not in out:
            out.append(key)
    if not out:
        raise InvalidInput(detail="至少要有一个可获得积分的会员类别")
    return ",".join(sorted(out, key=lambda k: list(map(str, MemberCategory)).index(k)))


def eligible_labels(value: str | None) -> str:
    cats = parse_eligible(value)
    if cats is None:
        return "全部"
    return "、".join(CATEGORY_LABELS[MemberCategory(c)] for c in MemberCategory if c in cats)


@dataclass(frozen=True)
class ItemRow:
    id: int
    uid: str
    category_id: int
    category: str
    name: str
    points: int | None  # in force on the day asked for (None: the item did not exist yet)
    eligible: str | None
    min_points: int | None
    max_points: int | None
    active: bool
    since: date | None  # the first day it has a value

    @property
    def eligible_label(self) -> str:
        return eligible_labels(self.eligible)

    @property
    def range_label(self) -> str:
        if self.min_points is None and self.max_points is None:
            return ""
        return f"{self.min_points or 1}–{self.max_points or bounds.MAX_AMOUNT}"


@dataclass(frozen=True)
class ValueRow:
    points: int
    effective_from: date
    set_by: str | None
    set_at: datetime
    note: str | None


def value_on(session: Session, item_id: int, day: date) -> int | None:
    """The item's value in force on ``day`` (None: no value yet on that day). An item with
    no dated values at all (made by older code) is worth its ``points`` on every day."""
    value = session.scalar(select(PointItemValue.points)
                           .where(PointItemValue.item_id == item_id,
                                  PointItemValue.effective_from <= day)
                           .order_by(PointItemValue.effective_from.desc()).limit(1))
    if value is None and first_day(session, item_id) is None:
        return session.scalar(select(PointItem.points).where(PointItem.id == item_id))
    return value


def first_day(session: Session, item_id: int) -> date | None:
    """The first day the item has a value (None: it has no dated values, so always)."""
    return session.scalar(select(func.min(PointItemValue.effective_from))
                          .where(PointItemValue.item_id == item_id))


def items(session: Session, on: date | None = None, *, include_inactive: bool = True
          ) -> list[ItemRow]:
    """Every item with its category and its value on ``on`` (default today), in order."""
    on = on or today()
    in_force = (select(PointItemValue.points)
                .where(PointItemValue.item_id == PointItem.id,
                       PointItemValue.effective_from <= on)
                .order_by(PointItemValue.effective_from.desc()).limit(1)
                .correlate(PointItem).scalar_subquery())
    since = (select(func.min(PointItemValue.effective_from))
             .where(PointItemValue.item_id == PointItem.id)
             .correlate(PointItem).scalar_subquery())
    in_force = func.coalesce(in_force, case((since.is_(None), PointItem.points)))
    q = (select(PointItem.id, PointItem.uid, PointCategory.id, PointCategory.name, PointItem.name,
                in_force, PointItem.eligible, PointItem.min_points, PointItem.max_points,
                PointItem.active, since)
         .join(PointCategory, PointCategory.id == PointItem.category_id)
         .order_by(PointCategory.id, PointItem.id))
    if not include_inactive:
        q = q.where(PointItem.active.is_(True))
    return [ItemRow(*r) for r in session.execute(q)]


def item_row(session: Session, item_id: int, on: date | None = None) -> ItemRow:
    for row in items(session, on):
        if row.id == item_id:
            return row
    raise UnknownPointItem(item_id=item_id)


def history(session: Session, item_id: int) -> list[ValueRow]:
    """Every value the item has had, newest first, with who set it and when."""
    if session.get(PointItem, item_id) is None:
        raise UnknownPointItem(item_id=item_id)
    q = (select(PointItemValue.points, PointItemValue.effective_from, Operator.name,
                PointItemValue.set_at, PointItemValue.note)
         .outerjoin(Operator, Operator.id == PointItemValue.set_by)
         .where(PointItemValue.item_id == item_id)
         .order_by(PointItemValue.effective_from.desc()))
    return [ValueRow(*r) for r in session.execute(q)]


def check_range(name: str, points: int, min_points: int | None, max_points: int | None) -> None:
    if min_points is not None and points < min_points:
        raise PointsOutOfRange(item=name, points=points, detail=f"不能少于 {min_points} 分")
    if max_points is not None and points > max_points:
        raise PointsOutOfRange(item=name, points=points, detail=f"不能多于 {max_points} 分")


def _points(value, what: str) -> int:
    bounds.amount(value, what, minimum=1)
    return value


def _range(min_points, max_points) -> tuple[int | None, int | None]:
    if min_points is not None:
        _points(min_points, "最低分值")
    if max_points is not None:
        _points(max_points, "最高分值")
    if min_points is not None and max_points is not None and min_points > max_points:
        raise InvalidInput(detail=f"最低分值 {min_points} 大于最高分值 {max_points}")
    return min_points, max_points


def _refresh_current(s: Session, item: PointItem) -> None:
    current = value_on(s, item.id, today())
    if current is not None and current != item.points:
        item.points = current


def add_category(db, actor: Actor, name: str, scheme: str = "custom") -> int:
    require(actor, Permission.POINT_ITEMS)
    name = clean_text(name, "积分类别名称")
    if not name:
        raise InvalidInput(detail="积分类别名称不能为空")
    with db.write() as s:
        if s.scalar(select(PointCategory.id).where(PointCategory.name == name)) is not None:
            raise InvalidInput(detail=f"积分类别“{name}”已存在")
        cat = PointCategory(scheme=scheme, name=name)
        s.add(cat)
        s.flush()
        audit.record(s, actor, "point_category.add", name=name)
        return cat.id


def _add_item_in(s: Session, actor: Actor | None, category_id: int, name: str, points: int,
                 effective_from: date, eligible: str | None, min_points: int | None,
                 max_points: int | None, note: str) -> PointItem:
    item = PointItem(category_id=category_id, name=name, points=points, active=True,
                     eligible=eligible, min_points=min_points, max_points=max_points)
    s.add(item)
    s.flush()
    s.add(PointItemValue(item_id=item.id, points=points, effective_from=effective_from,
                         set_by=getattr(actor, "operator_id", None), set_at=clock.now_utc(),
                         note=note))
    return item


def add_item(db, actor: Actor, category_id: int, name: str, points: int, *,
             effective_from: date | None = None, eligible=None, min_points: int | None = None,
             max_points: int | None = None) -> int:
    """A new item, valued ``points`` from ``effective_from`` (default today)."""
    require(actor, Permission.POINT_ITEMS)
    name = clean_text(name, "积分项目名称")
    if not name:
        raise InvalidInput(detail="积分项目名称不能为空")
    _points(points, "分值")
    min_points, max_points = _range(min_points, max_points)
    check_range(name, points, min_points, max_points)
    stored = eligible_text(eligible)
    with db.write() as s:
        if s.get(PointCategory, category_id) is None:
            raise InvalidInput(detail=f"积分类别不存在（编号 {category_id}）")
        if s.scalar(select(PointItem.id).where(PointItem.category_id == category_id,
                                               PointItem.name == name)) is not None:
            raise InvalidInput(detail=f"这个类别里已有积分项目“{name}”")
        item = _add_item_in(s, actor, category_id, name, points, effective_from or today(),
                            stored, min_points, max_points, "新增项目")
        audit.record(s, actor, "point_item.add", item=item.uid, name=name, points=points)
        return item.id


def set_value(db, actor: Actor, item_id: int, points: int, effective_from: date,
              note: str | None = None) -> None:
    """A new value in force from ``effective_from`` (the earlier ones stay, as history)."""
    require(actor, Permission.POINT_ITEMS)
    _points(points, "分值")
    note = clean_text(note, "调整说明") if note else None
    with db.write() as s:
        item = s.get(PointItem, item_id)
        if item is None:
            raise UnknownPointItem(item_id=item_id)
        check_range(item.name, points, item.min_points, item.max_points)
        start = first_day(s, item_id)
        if start is not None and effective_from < start:
            raise InvalidInput(detail=f"积分项目“{item.name}”从 {start} 起才有，"
                                      f"不能设置 {effective_from} 起的分值")
        clash = s.scalar(select(PointItemValue.points).where(
            PointItemValue.item_id == item_id, PointItemValue.effective_from == effective_from))
        if clash is not None:
            raise InvalidInput(detail=f"积分项目“{item.name}”在 {effective_from} 已有分值 "
                                      f"{clash} 分；请换一个生效日期")
        s.add(PointItemValue(item_id=item_id, points=points, effective_from=effective_from,
                             set_by=actor.operator_id, set_at=clock.now_utc(), note=note))
        s.flush()
        _refresh_current(s, item)
        audit.record(s, actor, "point_item.value", item=item.uid, points=points,
                     effective_from=effective_from, note=note)


def update_item(db, actor: Actor, item_id: int, *, eligible=..., min_points=...,
                max_points=..., active: bool | None = None, name: str | None = None) -> None:
    """Change who may earn it, its range, its name or whether it is in use (``...`` = keep)."""
    require(actor, Permission.POINT_ITEMS)
    with db.write() as s:
        item = s.get(PointItem, item_id)
        if item is None:
            raise UnknownPointItem(item_id=item_id)
        lo = item.min_points if min_points is ... else min_points
        hi = item.max_points if max_points is ... else max_points
        lo, hi = _range(lo, hi)
        for v in s.scalars(select(PointItemValue.points)
                           .where(PointItemValue.item_id == item_id)).all():
            check_range(item.name, v, lo, hi)
        item.min_points, item.max_points = lo, hi
        if eligible is not ...:
            item.eligible = eligible_text(eligible)
        if active is not None:
            item.active = bool(active)
        if name is not None:
            name = clean_text(name, "积分项目名称")
            if not name:
                raise InvalidInput(detail="积分项目名称不能为空")
            item.name = name
        audit.record(s, actor, "point_item.update", item=item.uid, eligible=item.eligible,
                     min_points=lo, max_points=hi, active=item.active, name=item.name)


def install_preset(db, actor: Actor | None, scheme: str) -> int:
    """Install scheme A or B (set-up): refused once any point category exists. ``actor``
    None only from first set-up. Returns the number of items."""
    if actor is not None:
        require(actor, Permission.POINT_ITEMS)
    if scheme not in POINT_SCHEMES:
        raise InvalidInput(detail=f"没有积分方案“{scheme}”，可选："
                                  f"{'、'.join(SCHEME_LABELS.values())}")
    with db.write() as s:
        return install_preset_in(s, actor, scheme)


def install_preset_in(s: Session, actor: Actor | None, scheme: str) -> int:
    if s.scalar(select(PointCategory.id).limit(1)) is not None:
        raise InvalidInput(detail="已经有积分项目了，不能再装入预设方案；请在积分项目页逐项调整")
    n = 0
    for category, entries in POINT_SCHEMES[scheme]:
        cat = PointCategory(scheme=scheme, name=category)
        s.add(cat)
        s.flush()
        for entry in entries:
            name, points, opts = item_options(entry)
            _add_item_in(s, actor, cat.id, name, points, SINCE_ALWAYS,
                         eligible_text(opts.get("eligible")), opts.get("min"), opts.get("max"),
                         "方案预设")
            n += 1
    setting = s.get(Setting, SCHEME_SETTING)
    if setting is None:
        s.add(Setting(key=SCHEME_SETTING, value=scheme))
    else:
        setting.value = scheme
    audit.record(s, actor, "point_items.preset", scheme=scheme, items=n)
    return n
