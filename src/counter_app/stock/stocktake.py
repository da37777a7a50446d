"""Stocktake (盘点): count the shelves, see the differences, an administrator approves.

A session covers all tracked goods or one category. Staff scan shelf by shelf: each scan
adds one to (item, shelf), a typed count adds or sets a number, a shelf's count can be
corrected. Redemptions go on during the count: every count of an item records the book
level at that moment (``book_at_count``, read in the same write transaction), and the
variance is ``counted − book_at_count``. Whatever moved after the count moved the books
and the shelf alike, so approving adds exactly the variance to the level of that moment,
as STOCKTAKE entries whose ``ref`` is ``stocktake:<session id>``.
Items never counted are listed as such and not adjusted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from counter_app import audit, bounds, clock
from counter_app.db.models import ExchangeItem, ItemKind, StockKind
from counter_app.db.stock_models import (Stocktake, StocktakeCount, StocktakeItem,
                                         StocktakeStatus)
from counter_app.errors import InvalidInput, InvalidQuantity, NotFound
from counter_app.ids import uuid7
from counter_app.operators import Actor, Permission, require
from counter_app.read_scope import reading
from counter_app.stock.journal import append_many, level, levels

STATUS_LABELS = {StocktakeStatus.OPEN: "盘点中", StocktakeStatus.APPROVED: "已审批",
                 StocktakeStatus.CANCELLED: "已取消"}


def ref_of(stocktake_id: str) -> str:
    return f"stocktake:{stocktake_id}"


def _open_session(s: Session, actor: Actor, stocktake_id: str) -> Stocktake:
    st = s.get(Stocktake, stocktake_id)
    if st is None or st.counter_id != actor.counter_id:
        raise NotFound(what=f"盘点单 {stocktake_id}")
    if st.status != StocktakeStatus.OPEN:
        raise InvalidInput(detail=f"盘点单 {stocktake_id[:8]} {STATUS_LABELS[st.status]}，"
                                  f"不能再修改")
    return st


def open_session(db, actor: Actor, category: str | None = None) -> str:
    """Start a count of all tracked goods (``category`` None) or of one category."""
    require(actor, Permission.STOCK)
    category = (category or "").strip() or None
    with db.write() as s:
        running = s.scalar(select(Stocktake.id).where(
            Stocktake.counter_id == actor.counter_id, Stocktake.status == StocktakeStatus.OPEN))
        if running is not None:
            raise InvalidInput(detail=f"已有一张盘点单在进行中（{running[:8]}），"
                                      f"请先完成或取消它")
        q = select(ExchangeItem.id).where(ExchangeItem.tracks_stock.is_(True),
                                          ExchangeItem.kind == str(ItemKind.GOODS))
        if category is not None:
            q = q.where(ExchangeItem.category == category)
        item_ids = list(s.scalars(q))
        if not item_ids:
            raise InvalidInput(detail=f"类别“{category}”没有要盘点的实物" if category
                               else "没有要盘点的实物")
        now = clock.now_utc()
        sid = uuid7()
        s.add(Stocktake(id=sid, counter_id=actor.counter_id, category=category,
                        status=StocktakeStatus.OPEN, opened_at=now, opened_by=actor.operator_id))
        s.flush()
        book = levels(s, actor.counter_id)
        s.execute(StocktakeItem.__table__.insert(), [
            dict(stocktake_id=sid, item_id=i, book_at_open=book.get(i, 0)) for i in item_ids])
        audit.record(s, actor, "stocktake.open", stocktake=sid, category=category,
                     items=len(item_ids))
        return sid


_UPSERT = text(
    "INSERT INTO stocktake_counts (stocktake_id, item_id, shelf, qty) VALUES (:s, :i, :sh, :q) "
    "ON CONFLICT (stocktake_id, item_id, shelf) DO UPDATE SET qty = "
    "CASE WHEN :add THEN qty + excluded.qty ELSE excluded.qty END")


def count(db, actor: Actor, stocktake_id: str, item_id: int, qty: int = 1, *,
          shelf: str = "", replace: bool = False) -> int:
    """Add ``qty`` counted of an item on ``shelf`` (``replace``: the shelf's count is
    ``qty``, a correction). Returns the item's counted total over all shelves."""
    require(actor, Permission.STOCK)
    if type(qty) is not int or qty < 0 or (qty == 0 and not replace):
        raise InvalidQuantity(f"盘点数量必须是正整数（收到 {qty}）", qty=qty)
    bounds.amount(qty, "盘点数量")
    shelf = (shelf or "").strip()[:32]
    with db.write() as s:
        _open_session(s, actor, stocktake_id)
        entry = s.get(StocktakeItem, (stocktake_id, item_id))
        if entry is None:
            item = s.get(ExchangeItem, item_id)
            raise InvalidInput(detail=f"“{item.name if item else item_id}”不在本次盘点范围内")
        s.execute(_UPSERT, {"s": stocktake_id, "i": item_id, "sh": shelf, "q": qty,
                            "add": not replace})
        entry.book_at_count = level(s, actor.counter_id, item_id)
        entry.counted_at = clock.now_utc()
        return s.scalar(select(func.sum(StocktakeCount.qty)).where(
            StocktakeCount.stocktake_id == stocktake_id, StocktakeCount.item_id == item_id))


def scan(db, actor: Actor, stocktake_id: str, code: str, *, shelf: str = "") -> tuple[int, int]:
    """One scanned item counted once on ``shelf``: (item id, its counted total)."""
    from counter_app.catalogue import item_by_barcode

    with db.read() as s:
        item_id = item_by_barcode(s, code).id
    return item_id, count(db, actor, stocktake_id, item_id, 1, shelf=shelf)


@dataclass(frozen=True)
class VarianceRow:
    item_id: int
    name: str
    category: str
    unit: str
    points: int
    book_at_open: int
    counted: int | None  # None: not counted
    book_at_count: int | None
    shelves: tuple[tuple[str, int], ...]

    @property
    def variance(self) -> int | None:
        return None if self.counted is None else self.counted - self.book_at_count

    @property
    def words(self) -> str:
        """The difference in plain words."""
        v, u = self.variance, self.unit
        if v is None:
            return "未盘点（不调整）"
        if v == 0:
            return "账实相符"
        if v < 0:
            return f"少了 {-v} {u}：账上 {self.book_at_count} {u}，货架上数到 {self.counted} {u}"
        return f"多了 {v} {u}：账上 {self.book_at_count} {u}，货架上数到 {self.counted} {u}"


@dataclass(frozen=True)
class StocktakeView:
    id: str
    counter_id: str
    category: str | None
    status: str
    opened_at: datetime
    closed_at: datetime | None
    rows: tuple[VarianceRow, ...]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[StocktakeStatus(self.status)]

    @property
    def differences(self) -> tuple[VarianceRow, ...]:
        return tuple(r for r in self.rows if r.variance)

    @property
    def uncounted(self) -> tuple[VarianceRow, ...]:
        return tuple(r for r in self.rows if r.counted is None)


def view(session_or_db, stocktake_id: str) -> StocktakeView:
    with reading(session_or_db) as s:
        st = s.get(Stocktake, stocktake_id)
        if st is None:
            raise NotFound(what=f"盘点单 {stocktake_id}")
        shelves: dict[int, list[tuple[str, int]]] = {}
        for c in s.scalars(select(StocktakeCount).where(
                StocktakeCount.stocktake_id == stocktake_id).order_by(StocktakeCount.shelf)):
            shelves.setdefault(c.item_id, []).append((c.shelf, c.qty))
        rows = []
        for e, item in s.execute(
                select(StocktakeItem, ExchangeItem).join(
                    ExchangeItem, ExchangeItem.id == StocktakeItem.item_id)
                .where(StocktakeItem.stocktake_id == stocktake_id)
                .order_by(ExchangeItem.category, ExchangeItem.name, ExchangeItem.id)):
            sh = shelves.get(e.item_id)
            rows.append(VarianceRow(
                e.item_id, item.name, item.category, item.unit, item.points, e.book_at_open,
                sum(q for _, q in sh) if sh else None,
                e.book_at_count if sh else None, tuple(sh or ())))
        return StocktakeView(st.id, st.counter_id, st.category, st.status, st.opened_at,
                             st.closed_at, tuple(rows))


def current(session_or_db, counter_id: str) -> str | None:
    """The open session of this counter, if any."""
    with reading(session_or_db) as s:
        return s.scalar(select(Stocktake.id).where(Stocktake.counter_id == counter_id,
                                                   Stocktake.status == StocktakeStatus.OPEN))


def approve(db, actor: Actor, stocktake_id: str) -> list[dict]:
    """An administrator accepts the count: one STOCKTAKE entry per item whose count
    differs from its book level at count time, all in one transaction."""
    require(actor, Permission.CORRECT)
    with db.write() as s:
        st = _open_session(s, actor, stocktake_id)
        v = view(s, stocktake_id)
        items = {i.id: i for i in s.scalars(select(ExchangeItem).where(
            ExchangeItem.id.in_([r.item_id for r in v.differences])))}
        moves = [(items[r.item_id], r.variance) for r in v.differences]
        now = clock.now_utc()
        rows = append_many(s, actor, moves, StockKind.STOCKTAKE, ref=ref_of(stocktake_id),
                           note="盘点调整", created_at=now) if moves else []
        st.status, st.closed_at, st.closed_by = StocktakeStatus.APPROVED, now, actor.operator_id
        audit.record(s, actor, "stocktake.approve", stocktake=stocktake_id,
                     adjusted=len(moves), at=now)
        return rows


def cancel(db, actor: Actor, stocktake_id: str) -> None:
    require(actor, Permission.STOCK)
    with db.write() as s:
        st = _open_session(s, actor, stocktake_id)
        st.status, st.closed_at, st.closed_by = (StocktakeStatus.CANCELLED, clock.now_utc(),
                                                 actor.operator_id)
        audit.record(s, actor, "stocktake.cancel", stocktake=stocktake_id)
