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
    # 0005: merchant register, service capacity, low-stock threshold, picture, voucher days
    merchant_id: int | None = None
    capacity_qty: int | None = None
    capacity_period: str | None = None
    low_stock: int | None = None
    picture: str | None = None
    voucher_days: int | None = None

    @property
    def is_low(self) -> bool:
        """At or below its low-stock threshold (goods with a threshold only)."""
        return self.stock is not None and self.low_stock is not None and \
            self.stock <= self.low_stock


_E = ExchangeItem
# ItemRow's fields, stock in its place: plain columns, so reading the catalogue builds no
# ORM objects (it runs on every scan of a member, for the greyed tiles).
_ROW_COLUMNS = (_E.id, _E.name, _E.kind, _E.category, _E.unit, _E.points, _E.tracks_stock,
                StockLevel.qty, _E.active, _E.limit_qty, _E.limit_period, _E.min_age,
                _E.merchant, _E.merchant_id, _E.capacity_qty, _E.capacity_period,
                _E.low_stock, _E.picture, _E.voucher_days)
_STOCK_AT = 7  # index of StockLevel.qty in _ROW_COLUMNS


def _rows_query(counter_id: str):
    return (
        select(*_ROW_COLUMNS)
        .outerjoin(StockLevel, (StockLevel.item_id == ExchangeItem.id)
                   & (StockLevel.counter_id == counter_id))
    )


def _to_row(*r) -> ItemRow:
    r = list(r)
    r[_STOCK_AT] = (r[_STOCK_AT] or 0) if r[6] else None  # 6: tracks_stock
    return ItemRow(*r)


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
        return [_to_row(*r) for r in session.execute(q)]


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


def set_active(db, actor: Actor, item_id: int, active: bool) -> None:
    require(actor, Permission.STOCK)
    with db.write() as s:
        item = s.get(ExchangeItem, item_id)
        if item is None:
            raise UnknownItem(item=item_id)
        item.active = active
        audit.record(s, actor, "item.activate" if active else "item.deactivate", item_id=item_id)


from counter_app.items import add_item  # noqa: E402,F401  (the write side; kept importable here)
