"""The stock journal: append-only, hash-chained per counter, kept like the points ledger.

Every entry (receive, redemption, reversal, stocktake, write-off, adjustment) moves the
cached level in ``stock_levels`` in the same transaction; a conditional UPDATE keeps it
from ever going below zero, whoever writes at the same time.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from counter_app import bounds, clock
from counter_app.db.models import ExchangeItem, StockEntry, StockKind, StockLevel
from counter_app.errors import (
    AlreadyReversed,
    InsufficientStock,
    InvalidInput,
    InvalidQuantity,
    NotFound,
    NotReversible,
    UnknownItem,
)
from counter_app.journal import (
    STOCK, chain_entry, read_head, remember_uid, uid_of, write_entries,
)
from counter_app.ledger import refuse_foreign
from counter_app.operators import Actor


def level(session: Session, counter_id: str, item_id: int) -> int:
    qty = session.scalar(
        select(StockLevel.qty).where(StockLevel.counter_id == counter_id,
                                     StockLevel.item_id == item_id)
    )
    return qty or 0


# Both return the level after the move, so nobody re-reads it after the commit.
_TAKE = text("UPDATE stock_levels SET qty = qty + :d "
             "WHERE counter_id = :c AND item_id = :i AND qty + :d >= 0 RETURNING qty")
_ADD = text("INSERT INTO stock_levels (counter_id, item_id, qty) VALUES (:c, :i, :d) "
            "ON CONFLICT (counter_id, item_id) DO UPDATE SET qty = qty + excluded.qty "
            "RETURNING qty")


def append_many(session: Session, actor: Actor, moves: list[tuple[ExchangeItem, int]],
                kind: StockKind, *, ref: str | None = None, note: str | None = None,
                reverses_id: str | None = None, created_at=None) -> list[dict]:
    """Append stock entries (one per move) inside the caller's write transaction. Each
    returned row carries ``level``: the item's level after its move."""
    after = []
    for item, delta in moves:
        if not isinstance(delta, int) or isinstance(delta, bool) or delta == 0:
            raise InvalidQuantity(qty=delta)
        bounds.amount(delta, f"“{item.name}”的库存变动")
        params = {"d": delta, "c": actor.counter_id, "i": item.id}
        qty = session.execute(_ADD if delta > 0 else _TAKE, params).scalar()
        if qty is None:  # would go below zero
            raise InsufficientStock(item=item.name, available=level(session, actor.counter_id,
                                                                    item.id),
                                    needed=-delta, unit=item.unit)
        after.append(qty)
    head = read_head(session, actor.counter_id, STOCK)
    now = created_at or clock.now_utc()
    operator_uid = uid_of(session, "operators", actor.operator_id)
    entries = [chain_entry(head, counter_id=actor.counter_id, subject=item.id, delta=delta,
                           kind=str(kind), reverses_id=reverses_id, ref=ref,
                           operator_id=actor.operator_id, created_at=now, note=note,
                           subject_uid=item.uid, operator_uid=operator_uid)
               for item, delta in moves]
    write_entries(session, STOCK, actor.counter_id, entries)
    rows = [dict(e) for e in entries]
    for row, qty in zip(rows, after):
        row["item_id"] = row.pop("subject")
        row["level"] = qty
    return rows


def append(session: Session, actor: Actor, item: ExchangeItem, delta: int, kind: StockKind, *,
           ref: str | None = None, note: str | None = None,
           reverses_id: str | None = None) -> dict:
    return append_many(session, actor, [(item, delta)], kind, ref=ref, note=note,
                       reverses_id=reverses_id)[0]


@dataclass(frozen=True)
class StockItem:
    """What a stock entry needs of its item (not the ORM object: a restock loads no more)."""
    id: int
    name: str
    unit: str
    uid: str
    tracks_stock: bool


_TRACKED = text("SELECT i.id, i.name, i.unit, i.uid, i.tracks_stock, "
                "(SELECT uid FROM operators WHERE id = :o) AS operator_uid "
                "FROM exchange_items i WHERE i.id = :i")


def tracked_item(session: Session, item_id: int, operator_id: int | None = None) -> StockItem:
    """The item (one plain SELECT, with the operator's uid the entry will hash)."""
    row = session.execute(_TRACKED, {"i": item_id, "o": operator_id}).first()
    if row is None:
        raise UnknownItem(item=item_id)
    if not row.tracks_stock:
        raise InvalidInput(detail=f"“{row.name}”是服务类项目，不记库存")
    if operator_id is not None and row.operator_uid is not None:
        remember_uid(session, "operators", operator_id, row.operator_uid)
    return StockItem(row.id, row.name, row.unit, row.uid, bool(row.tracks_stock))


def reverse_in(session: Session, actor: Actor, entry_id: str, reason: str, *,
               created_at=None) -> dict:
    original = session.get(StockEntry, entry_id)
    if original is None:
        raise NotFound(what=f"库存记录 {entry_id}")
    if original.kind == StockKind.REVERSAL:
        raise NotReversible(reason="撤销记录本身不能再撤销")
    refuse_foreign(original.counter_id, actor.counter_id)
    if session.scalar(select(StockEntry.id).where(StockEntry.reverses_id == entry_id)):
        raise AlreadyReversed()
    item = session.get(ExchangeItem, original.item_id)
    return append_many(session, actor, [(item, -original.delta)], StockKind.REVERSAL,
                       ref=original.ref, note=reason, reverses_id=entry_id,
                       created_at=created_at)[0]


_LEVELS = text("SELECT item_id, qty FROM stock_levels WHERE counter_id = :c")


def levels(session: Session, counter_id: str) -> dict[int, int]:
    return {item_id: qty for item_id, qty in session.execute(_LEVELS, {"c": counter_id})}
