"""Checkout and void at the counter.

A checkout is one BEGIN IMMEDIATE transaction: the points entry, the stock
entries, the redemption and its lines commit together or not at all. Printing
happens only after the commit.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from counter_app import audit, bounds, clock, ledger, rules, stock, vouchers
from counter_app.db.models import (
    Community,
    Counter,
    EntryKind,
    ExchangeItem,
    Member,
    MemberStatus,
    Operator,
    PointsEntry,
    Redemption,
    RedemptionLine,
    RedemptionVoid,
    StockKind,
)
from counter_app.errors import (
    BlockedMember,
    InvalidInput,
    InvalidQuantity,
    NotFound,
    NotReversible,
    UnknownItem,
    UnknownMember,
)
from counter_app.ids import uuid7
from counter_app.journal import read_head, save_head
from counter_app.members import mask_phone
from counter_app.stock import capacity
from counter_app.receipt_digest import DigestLine, receipt_digest, void_digest
from counter_app.operators import Actor, Permission, require
from counter_app.sync import offline_caps

RECEIPTS = "receipt"  # a journal_heads row used only as the receipt-number sequence


@dataclass(frozen=True)
class CartLine:
    item_id: int
    qty: int


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    qty: int
    unit_points: int

    @property
    def points(self) -> int:
        return self.qty * self.unit_points


@dataclass(frozen=True)
class Receipt:
    receipt_no: str
    created_at: datetime  # naive UTC
    community: str
    counter_id: str
    counter_name: str
    operator: str
    member_id: int
    member_name: str
    phone_masked: str
    lines: tuple[ReceiptLine, ...]
    total: int
    balance_before: int
    voided: bool = False
    # Of a voided receipt (None for voids made before void records existed):
    voided_at: datetime | None = None  # naive UTC
    voided_by: str | None = None  # the operator who voided it
    void_reason: str | None = None
    void_requested_by: str | None = None
    vouchers: tuple = ()  # vouchers.VoucherInfo of the merchant offers redeemed
    # Points due to expire soon, said on the slip of a checkout (earning.expiry.notice).
    expiry_notice: str | None = None

    @property
    def balance_after(self) -> int:
        return self.balance_before - self.total


def _merge(lines) -> OrderedDict[int, int]:
    merged: OrderedDict[int, int] = OrderedDict()
    for line in lines:
        if not isinstance(line.qty, int) or isinstance(line.qty, bool) or line.qty <= 0:
            raise InvalidQuantity(qty=line.qty)
        merged[line.item_id] = bounds.amount(merged.get(line.item_id, 0) + line.qty, "兑换数量")
    if not merged:
        raise InvalidInput(detail="购物篮是空的")
    return merged


def _next_receipt_no(session: Session, counter_id: str) -> str:
    head = read_head(session, counter_id, RECEIPTS)
    head.seq += 1
    save_head(session, counter_id, RECEIPTS, head)
    return f"{counter_id}-{head.seq:06d}"


_NAMES = text("SELECT c.name AS counter, co.name AS community, o.name AS operator "
              "FROM counters c JOIN communities co ON co.id = c.community_id "
              "JOIN operators o ON o.id = :o WHERE c.id = :c")


def _load_cart(session: Session, member_id: int, merged) -> tuple[Member, list]:
    member = session.get(Member, member_id)
    if member is None:
        raise UnknownMember(member_id=member_id)
    if member.status != MemberStatus.ACTIVE:
        raise BlockedMember(name=member.name)
    found = {i.id: i for i in session.scalars(
        select(ExchangeItem).where(ExchangeItem.id.in_(list(merged))))}
    items = []
    for item_id, qty in merged.items():
        item = found.get(item_id)
        if item is None:
            raise UnknownItem(item=item_id)
        items.append((item, qty))
    return member, items


def validate_cart(session: Session, counter_id: str, member_id: int, lines) -> int:
    """Everything checkout would refuse, without writing: returns the cart total."""
    member, items = _load_cart(session, member_id, _merge(lines))
    now = clock.now_utc()
    total, _balance = rules.check_cart(session, counter_id, member, items, now)
    capacity.check(session, items, now)
    return total


def checkout(db, actor: Actor, member_id: int, lines,
             expected_total: int | None = None, approved_by: Actor | None = None) -> Receipt:
    """Redeem a cart for a member. All or nothing. ``expected_total`` is what the member
    agreed to: if prices changed since, nothing is charged. ``approved_by``: an
    administrator who entered the PIN when the counter has not synced for too long
    (sync.offline_caps)."""
    require(actor, Permission.REDEEM)
    merged = _merge(lines)
    with db.write() as s:
        now = clock.now_utc()
        member, items = _load_cart(s, member_id, merged)
        total, balance = rules.check_cart(s, actor.counter_id, member, items, now)
        offline_caps.check(s, actor, member_id, total, now, approved_by)
        capacity.check(s, items, now)
        if expected_total is not None and total != expected_total:
            raise InvalidInput(detail=f"价格有变化：现在共 {total} 分，确认时是 {expected_total} 分，"
                                      f"请重新确认")
        receipt_no = _next_receipt_no(s, actor.counter_id)
        # Goods first: the points entry's hash covers the receipt, stock entry ids included.
        goods = [(item, -qty) for item, qty in items if item.tracks_stock]
        stock_ids = iter(e["id"] for e in stock.append_many(
            s, actor, goods, StockKind.REDEMPTION, ref=receipt_no, created_at=now)) \
            if goods else iter(())
        lines = [DigestLine(n, item.id, item.name, qty, item.points,
                            next(stock_ids) if item.tracks_stock else None)
                 for n, (item, qty) in enumerate(items, start=1)]
        entry = ledger.append(s, actor, member_id, -total, EntryKind.REDEMPTION, ref=receipt_no,
                              created_at=now,
                              detail_digest=receipt_digest(receipt_no, total, lines))
        redemption_id = uuid7()
        s.execute(insert(Redemption).values(
            id=redemption_id, receipt_no=receipt_no, counter_id=actor.counter_id,
            member_id=member_id, operator_id=actor.operator_id, created_at=now,
            total_points=total, balance_before=balance, points_entry_id=entry["id"],
        ))
        s.execute(insert(RedemptionLine), [
            dict(redemption_id=redemption_id, line_no=line.line_no, item_id=line.item_id,
                 item_name=line.item_name, qty=line.qty, unit_points=line.unit_points,
                 stock_entry_id=line.stock_entry_id) for line in lines])
        issued = vouchers.issue_for_receipt(s, actor, receipt_no, member_id, items, now)
        audit.record(s, actor, "redemption.checkout", at=now, receipt=receipt_no,
                     member_id=member_id, total=total)
        names = s.execute(_NAMES, {"c": actor.counter_id, "o": actor.operator_id}).one()
        return Receipt(
            receipt_no=receipt_no, created_at=now, community=names.community,
            counter_id=actor.counter_id, counter_name=names.counter, operator=names.operator,
            member_id=member_id, member_name=member.name, phone_masked=mask_phone(member.phone),
            lines=tuple(ReceiptLine(item.name, qty, item.points) for item, qty in items),
            total=total, balance_before=balance, vouchers=tuple(issued),
            expiry_notice=expiry_notice(s, member_id),
        )


def void(db, actor: Actor, receipt_no: str, reason: str,
         requested_by: str | None = None) -> Receipt:
    """Undo a redemption with reversal entries (points back, goods back on the shelf)."""
    require(actor, Permission.CORRECT)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(detail="作废需要填写原因")
    requested_by = (requested_by or "").strip() or None
    with db.write() as s:
        red = s.scalar(select(Redemption).where(Redemption.receipt_no == receipt_no))
        if red is None:
            raise NotFound(what=f"小票 {receipt_no}")
        if red.counter_id != actor.counter_id:  # its goods are on that counter's shelf
            raise NotReversible(reason=f"小票 {receipt_no} 是 {red.counter_id} 柜台开的，"
                                       f"请在该柜台作废")
        now = clock.now_utc()
        vouchers.cancel_for_receipt(s, actor, receipt_no, now)
        # Goods back first: the points reversal's hash covers which stock entries did it.
        reversals = [(line.line_no, stock.reverse_in(s, actor, line.stock_entry_id, reason,
                                                     created_at=now)["id"]
                      if line.stock_entry_id else None) for line in red.lines]
        void_id = uuid7()
        digest = void_digest(receipt_no, receipt_digest_of(red), void_id, reason, requested_by,
                             reversals)
        entry = ledger.reverse_in(s, actor, red.points_entry_id, reason, detail_digest=digest,
                                  created_at=now)
        s.execute(insert(RedemptionVoid).values(
            id=void_id, redemption_id=red.id, receipt_no=receipt_no, counter_id=red.counter_id,
            points_entry_id=entry["id"], operator_id=actor.operator_id,
            requested_by=requested_by, reason=reason, created_at=now))
        audit.record(s, actor, "redemption.void", receipt=receipt_no, reason=reason,
                     requested_by=requested_by)
        return receipt(s, receipt_no)


def expiry_notice(session: Session, member_id: int) -> str | None:
    """Points due to expire soon, as of today (earning.expiry.notice), for every slip."""
    from counter_app.earning.expiry import notice  # imported when a slip is made, as before

    return notice(session, member_id)


def receipt_digest_of(red: Redemption) -> str:
    """The receipt_digest of a stored redemption, as its points entry should cover it."""
    return receipt_digest(red.receipt_no, red.total_points, [
        DigestLine(l.line_no, l.item_id if l.digest_item_id is None else l.digest_item_id,
                   l.item_name, l.qty, l.unit_points, l.stock_entry_id)
        for l in red.lines])


def receipt(session: Session, receipt_no: str) -> Receipt:
    """Everything a printed receipt shows (also used for reprints)."""
    red = session.scalar(select(Redemption).where(Redemption.receipt_no == receipt_no))
    if red is None:
        raise NotFound(what=f"小票 {receipt_no}")
    member = session.get(Member, red.member_id)
    counter = session.get(Counter, red.counter_id)
    community = session.get(Community, counter.community_id)
    operator = session.get(Operator, red.operator_id)
    voided = session.scalar(
        select(PointsEntry.id).where(PointsEntry.reverses_id == red.points_entry_id)
    ) is not None
    record = session.scalar(select(RedemptionVoid).where(RedemptionVoid.redemption_id == red.id))
    void_info = {}
    if record is not None:
        void_info = dict(voided_at=record.created_at, void_reason=record.reason,
                         void_requested_by=record.requested_by,
                         voided_by=session.get(Operator, record.operator_id).name)
    return Receipt(
        receipt_no=red.receipt_no, created_at=red.created_at, community=community.name,
        counter_id=counter.id, counter_name=counter.name, operator=operator.name,
        member_id=member.id, member_name=member.name, phone_masked=mask_phone(member.phone),
        lines=tuple(ReceiptLine(l.item_name, l.qty, l.unit_points) for l in red.lines),
        total=red.total_points, balance_before=red.balance_before, voided=voided, **void_info,
        vouchers=tuple(vouchers.of_receipt(session, receipt_no)),
        # as of the printing day: a reprint or void slip inside the window says it too
        expiry_notice=expiry_notice(session, member.id),
    )


def last_receipt_no(session: Session, counter_id: str) -> str | None:
    # By receipt number (the counter's own sequence), not by clock: a clock set back
    # must not make "last" an older receipt.
    return session.scalar(
        select(Redemption.receipt_no).where(Redemption.counter_id == counter_id)
        .order_by(func.length(Redemption.receipt_no).desc(), Redemption.receipt_no.desc())
        .limit(1)
    )
