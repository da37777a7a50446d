"""Goods coming in (入库) and going out other than by redemption: receive with a source,
write-off with a reason, a counted level set directly. Each is one write transaction.

The source of a receipt is the stock entry's ``ref`` (hashed and synced with the entry):
``purchase``, ``donation:<merchant uid>``, ``street``, ``district`` or ``other`` (its note
says what). A write-off's ``ref`` is ``writeoff:<reason>``, its note the words.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from counter_app import audit, bounds, clock
from counter_app.db.models import StockKind
from counter_app.db.stock_models import Merchant, ReceiveSource, WriteOffReason
from counter_app.errors import InvalidInput, InvalidQuantity
from counter_app.operators import Actor, Permission, require
from counter_app.stock.journal import append, level, tracked_item

SOURCE_LABELS = {ReceiveSource.PURCHASE: "社区采购", ReceiveSource.DONATION: "商家让利",
                 ReceiveSource.STREET: "街道调拨", ReceiveSource.DISTRICT: "区级调拨",
                 ReceiveSource.OTHER: "其他"}
WRITEOFF_LABELS = {WriteOffReason.DAMAGED: "破损", WriteOffReason.EXPIRED: "过期",
                   WriteOffReason.LOST: "丢失"}


def _positive(qty, what: str) -> int:
    if type(qty) is not int or qty <= 0:
        raise InvalidQuantity(f"{what}必须是正整数（收到 {qty}）", qty=qty)
    return bounds.amount(qty, what)


def _source(value) -> ReceiveSource:
    if value is None or value == "":
        raise InvalidInput(detail="入库要选择来源：社区采购、商家让利、街道/区级调拨或其他")
    try:
        return ReceiveSource(value)
    except ValueError:
        raise InvalidInput(detail=f"入库来源“{value}”无法识别，可选："
                                  + "、".join(f"{s.value}（{SOURCE_LABELS[s]}）"
                                             for s in ReceiveSource)) from None


def source_ref(session, source: ReceiveSource, merchant_id: int | None,
               note: str | None) -> str:
    if source is ReceiveSource.DONATION:
        merchant = session.get(Merchant, merchant_id) if merchant_id is not None else None
        if merchant is None:
            raise InvalidInput(detail="商家让利入库要写明是哪一家商家"
                               + ("" if merchant_id is None else f"（商家编号 {merchant_id} 不存在）"))
        return f"{source}:{merchant.uid}"
    if merchant_id is not None:
        raise InvalidInput(detail="只有“商家让利”入库才填写商家")
    if source is ReceiveSource.OTHER and not (note or "").strip():
        raise InvalidInput(detail="来源为“其他”时请在备注里写明来源")
    return str(source)


@dataclass(frozen=True)
class SourceInfo:
    source: ReceiveSource | None  # None: received before sources were recorded
    merchant: str | None

    @property
    def label(self) -> str:
        if self.source is None:
            return "未记录来源"
        text = SOURCE_LABELS[self.source]
        return f"{text}（{self.merchant}）" if self.merchant else text


def describe_ref(session, ref: str | None) -> SourceInfo:
    """The source of a receive entry from its ``ref``."""
    kind, _, uid = (ref or "").partition(":")
    try:
        source = ReceiveSource(kind)
    except ValueError:
        return SourceInfo(None, None)
    name = session.scalar(select(Merchant.name).where(Merchant.uid == uid)) if uid else None
    return SourceInfo(source, name or (uid or None))


def receive_goods(db, actor: Actor, item_id: int, qty: int, source, *,
                  merchant_id: int | None = None, note: str | None = None) -> dict:
    """Goods delivered to the counter: ``qty`` > 0 and where they came from."""
    require(actor, Permission.STOCK)
    qty = _positive(qty, "入库数量")
    source = _source(source)
    note = (note or "").strip() or None
    with db.write() as s:
        ref = source_ref(s, source, merchant_id, note)
        item = tracked_item(s, item_id, actor.operator_id)
        row = append(s, actor, item, qty, StockKind.RECEIVE, ref=ref, note=note)
        audit.record(s, actor, "stock.receive", item_id=item_id, qty=qty, source=str(source),
                     merchant_id=merchant_id)
        return row


def receive(db, actor: Actor, item_id: int, qty: int, note: str | None = None, *,
            source=ReceiveSource.PURCHASE, merchant_id: int | None = None) -> dict:
    """Shortcut of receive_goods for opening stock (demo, fixtures): a community purchase
    unless told. The restock page and the CLI always pass the source the staff chose."""
    return receive_goods(db, actor, item_id, qty, source, merchant_id=merchant_id, note=note)


def write_off(db, actor: Actor, item_id: int, qty: int, reason, note: str | None = None) -> dict:
    """Goods gone from the shelf without a redemption: damaged, expired or lost."""
    require(actor, Permission.STOCK)
    qty = _positive(qty, "报损数量")
    if reason is None or reason == "":
        raise InvalidInput(detail="报损要选择原因：破损、过期或丢失")
    try:
        reason = WriteOffReason(reason)
    except ValueError:
        raise InvalidInput(detail=f"报损原因“{reason}”无法识别，可选："
                                  + "、".join(f"{r.value}（{WRITEOFF_LABELS[r]}）"
                                             for r in WriteOffReason)) from None
    note = (note or "").strip() or WRITEOFF_LABELS[reason]
    with db.write() as s:
        row = append(s, actor, tracked_item(s, item_id, actor.operator_id), -qty, StockKind.WRITEOFF,
                     ref=f"writeoff:{reason}", note=note)
        audit.record(s, actor, "stock.writeoff", item_id=item_id, qty=qty, reason=str(reason))
        return row


def count_to(db, actor: Actor, item_id: int, counted: int, reason: str) -> dict | None:
    """Set an item's level to what was counted on the shelf. The delta is computed inside
    the write transaction from the level at that moment, so a redemption committed just
    before cannot be counted twice. None when the books already agree."""
    require(actor, Permission.STOCK)
    if type(counted) is not int or counted < 0:
        raise InvalidQuantity(f"盘点数量必须是 0 或正整数（收到 {counted}）", qty=counted)
    bounds.amount(counted, "盘点数量")
    if not (reason or "").strip():
        raise InvalidInput(detail="请填写调整原因")
    with db.write() as s:
        item = tracked_item(s, item_id, actor.operator_id)
        delta = counted - level(s, actor.counter_id, item.id)
        if delta == 0:
            return None
        row = append(s, actor, item, delta, StockKind.ADJUSTMENT, note=reason.strip())
        audit.record(s, actor, "stock.count", item_id=item_id, counted=counted, delta=delta,
                     at=clock.now_utc())
        return row


def adjust(db, actor: Actor, item_id: int, delta: int, reason: str) -> dict:
    """A known difference (e.g. -3 broken). For a counted level use count_to."""
    require(actor, Permission.STOCK)
    bounds.amount(delta, "库存调整数量")
    if not (reason or "").strip():
        raise InvalidInput(detail="请填写调整原因")
    with db.write() as s:
        row = append(s, actor, tracked_item(s, item_id, actor.operator_id), delta, StockKind.ADJUSTMENT,
                     note=reason)
        audit.record(s, actor, "stock.adjust", item_id=item_id, delta=delta, reason=reason)
        return row
