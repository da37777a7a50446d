"""Exchange catalogue: goods, services and merchant offers with point prices."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from counter_app import audit, bounds
from counter_app.db.models import ExchangeItem, ItemBarcode, ItemKind, LimitPeriod, StockLevel
from counter_app.errors import InvalidInput, UnknownItem
from counter_app.item_codes import item_id_from_code
from counter_app.operators import Actor, Permission, require
from counter_app.read_scope import reading

KIND_LABELS = {ItemKind.GOODS: "实物", ItemKind.SERVICE: "服务", ItemKind.MERCHANT_OFFER: "商家优惠"}
PERIOD_LABELS = {LimitPeriod.MONTH: "每月", LimitPeriod.QUARTER: "每季度", LimitPeriod.YEAR: "每年"}


@dataclass(frozen=True)
class ItemRow:
    id: int
    name: str
    kind: str
    category: str
    unit: str
    points: int
    tracks_stock: bool
    stock: int | None  # None for services
    active: bool
    limit_qty: int | None
    limit_period: str | None
    min_age: int | None
    merchant: str | None


def _rows_query(counter_id: str):
    return (
        select(ExchangeItem, StockLevel.qty)
        .outerjoin(StockLevel, (StockLevel.item_id == ExchangeItem.id)
                   & (StockLevel.counter_id == counter_id))
    )


def _to_row(i: ExchangeItem, qty: int | None) -> ItemRow:
    return ItemRow(i.id, i.name, i.kind, i.category, i.unit, i.points, i.tracks_stock,
                   (qty or 0) if i.tracks_stock else None, i.active, i.limit_qty, i.limit_period,
                   i.min_age, i.merchant)


def list_items(session_or_db, counter_id: str, community_id: int | None = None,
               include_inactive: bool = False) -> list[ItemRow]:
    """Items with this counter's stock (a Session, or the Database: its own read)."""
    q = _rows_query(counter_id).order_by(ExchangeItem.category, ExchangeItem.points,
                                         ExchangeItem.name)
    if community_id is not None:
        q = q.where(ExchangeItem.community_id == community_id)
    if not include_inactive:
        q = q.where(ExchangeItem.active.is_(True))
    with reading(session_or_db) as session:
        return [_to_row(i, qty) for i, qty in session.execute(q)]


def row_by_barcode(session: Session, counter_id: str, code: str) -> ItemRow | None:
    """The item a barcode is printed on (inactive ones too: the checkout explains those),
    with this counter's stock: one query on the barcode's primary key."""
    r = session.execute(_rows_query(counter_id).join(
        ItemBarcode, ItemBarcode.item_id == ExchangeItem.id).where(
        ItemBarcode.code == code.strip())).first()
    if r is None and (item_id := item_id_from_code(code)) is not None:
        # a shelf label's internal code (items without a barcode: services, offers)
        r = session.execute(_rows_query(counter_id).where(ExchangeItem.id == item_id)).first()
    return None if r is None else _to_row(*r)


def item_by_barcode(session: Session, code: str) -> ExchangeItem:
    item_id = session.scalar(select(ItemBarcode.item_id).where(ItemBarcode.code == code.strip()))
    if item_id is None:  # a shelf label's internal code (items without a barcode)
        item_id = item_id_from_code(code)
    item = session.get(ExchangeItem, item_id) if item_id is not None else None
    if item is None:
        raise UnknownItem(item=code)
    return item


def add_item(db, actor: Actor, *, community_id: int, name: str, kind: ItemKind, category: str,
             points: int, unit: str = "件", barcodes: tuple[str, ...] = (),
             limit_qty: int | None = None, limit_period: LimitPeriod | None = None,
             min_age: int | None = None, merchant: str | None = None) -> int:
    require(actor, Permission.STOCK)
    if not name.strip():
        raise InvalidInput(detail="物品名称不能为空")
    if not isinstance(points, int) or points <= 0:
        raise InvalidInput(detail="兑换积分必须是正整数")
    bounds.amount(points, "兑换积分")
    if (limit_qty is None) != (limit_period is None):
        raise InvalidInput(detail="限兑次数和限兑周期要一起填写")
    if limit_qty is not None and (not isinstance(limit_qty, int) or limit_qty < 1):
        raise InvalidInput(detail="限兑次数至少为 1（不限兑请留空）")
    if limit_qty is not None:
        bounds.amount(limit_qty, "限兑次数")
    with db.write() as s:
        for code in barcodes:
            if s.get(ItemBarcode, code) is not None:
                raise InvalidInput(detail=f"条码 {code} 已被其他物品使用")
        item = ExchangeItem(
            community_id=community_id, name=name.strip(), kind=ItemKind(kind), category=category,
            unit=unit, points=points, tracks_stock=ItemKind(kind) is ItemKind.GOODS,
            limit_qty=limit_qty, limit_period=limit_period, min_age=min_age, merchant=merchant,
            active=True,
        )
        s.add(item)
        s.flush()
        for code in barcodes:
            s.execute(insert(ItemBarcode).values(code=code, item_id=item.id))
        audit.record(s, actor, "item.add", item_id=item.id, name=item.name, points=points)
        return item.id


def set_active(db, actor: Actor, item_id: int, active: bool) -> None:
    require(actor, Permission.STOCK)
    with db.write() as s:
        item = s.get(ExchangeItem, item_id)
        if item is None:
            raise UnknownItem(item=item_id)
        item.active = active
        audit.record(s, actor, "item.activate" if active else "item.deactivate", item_id=item_id)
