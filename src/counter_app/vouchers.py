"""Merchant-offer vouchers (商居联盟): issued with the receipt, used exactly once.

A code is ``VC-`` + 10 random digits + a Luhn check digit (e.g. ``VC-40213377859``): the
check digit catches a mistyped or misread code before it is looked up; the hyphen and
prefix keep it apart from card codes, internal item codes (``IT-``) and EAN/UPC.
Printed on the receipt as text, QR and Code128, with its last valid day.

Using a voucher appends its one ``voucher_uses`` row (UNIQUE voucher_id) inside a BEGIN
IMMEDIATE transaction: of two counters trying at once, one commits, the other is told
when and where it was used. A voided receipt cancels its unused vouchers the same way; a
receipt whose voucher was used cannot be voided.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app import audit, clock
from counter_app.db.models import ExchangeItem, ItemKind, Member
from counter_app.db.stock_models import Merchant, Voucher, VoucherEvent, VoucherUse
from counter_app.errors import CounterError, NotReversible
from counter_app.item_codes import _luhn
from counter_app.localtime import day_start_utc, local_date, to_local
from counter_app.operators import Actor, Permission, require

PREFIX = "VC-"
DEFAULT_DAYS = 30
_CODE = re.compile(r"VC-?(\d{10})(\d)")
EVENT_LABELS = {VoucherEvent.USED: "已使用", VoucherEvent.CANCELLED: "已作废"}


class VoucherRefused(CounterError):
    message = "{reason}"


def make_code() -> str:
    digits = f"{secrets.randbelow(10 ** 10):010d}"
    return f"{PREFIX}{digits}{_luhn(digits)}"


def looks_like_voucher(code: str) -> bool:
    return isinstance(code, str) and code.strip().upper().startswith("VC")


def has_voucher_shape(code: str) -> bool:
    """``VC-`` and anything, or ``VC`` + 11 digits without the hyphen (a scanner or a
    volunteer may drop it). Only the shape: the check digit is normalise's job."""
    text = (code or "").strip().upper().replace(" ", "")
    return text.startswith(PREFIX) or bool(re.fullmatch(r"VC\d{11}", text))


def normalise(code: str) -> str:
    """The stored form of a typed or scanned code; a wrong check digit says so."""
    text = (code or "").strip().upper().replace(" ", "")
    m = _CODE.fullmatch(text)
    if m is None:
        raise VoucherRefused(reason=f"“{code}”不是优惠券号：优惠券号是 VC- 加 11 位数字")
    if _luhn(m.group(1)) != int(m.group(2)):
        raise VoucherRefused(reason=f"优惠券号 {code} 的校验位不对：可能输错或扫错了一位，"
                                    f"请核对后重新输入")
    return f"{PREFIX}{m.group(1)}{m.group(2)}"


@dataclass(frozen=True)
class VoucherInfo:
    code: str
    item: str
    merchant: str | None
    points: int
    issued_at: datetime  # naive UTC
    valid_until: datetime  # naive UTC, exclusive (local midnight after the last day)
    status: str | None = None  # None: open; else a VoucherEvent
    used_at: datetime | None = None
    used_counter: str | None = None
    member: str | None = None  # who redeemed it (the counter's scan shows it)

    @property
    def last_day(self) -> date:
        return local_date(self.valid_until - timedelta(microseconds=1))


def issue_for_receipt(session: Session, actor: Actor, receipt_no: str, member_id: int,
                      items, now: datetime) -> list[VoucherInfo]:
    """One voucher per merchant offer redeemed (``items``: (ExchangeItem, qty)), inside
    the checkout's transaction."""
    out = []
    member = None
    for item, qty in items:
        if item.kind != ItemKind.MERCHANT_OFFER:
            continue
        merchant = session.get(Merchant, item.merchant_id) if item.merchant_id else None
        days = item.voucher_days or DEFAULT_DAYS
        until = day_start_utc(local_date(now) + timedelta(days=days + 1))
        member = member or member_name(session, member_id)
        for _ in range(qty):
            code = make_code()
            while session.scalar(select(Voucher.id).where(Voucher.code == code)):
                code = make_code()
            session.add(Voucher(code=code, item_id=item.id, merchant_id=item.merchant_id,
                                member_id=member_id, counter_id=actor.counter_id,
                                receipt_no=receipt_no, points=item.points, issued_at=now,
                                valid_until=until))
            out.append(VoucherInfo(code, item.name, merchant.name if merchant else item.merchant,
                                   item.points, now, until, member=member))
    session.flush()
    return out


def _info(session: Session, v: Voucher) -> VoucherInfo:
    item = session.get(ExchangeItem, v.item_id)
    merchant = session.get(Merchant, v.merchant_id) if v.merchant_id else None
    end = session.scalar(select(VoucherUse).where(VoucherUse.voucher_id == v.id))
    return VoucherInfo(v.code, item.name, merchant.name if merchant else item.merchant,
                       v.points, v.issued_at, v.valid_until,
                       end.kind if end else None, end.at if end else None,
                       end.counter_id if end else None, member_name(session, v.member_id))


def of_receipt(session: Session, receipt_no: str) -> list[VoucherInfo]:
    return [_info(session, v) for v in session.scalars(
        select(Voucher).where(Voucher.receipt_no == receipt_no).order_by(Voucher.id))]


def check(session: Session, code: str) -> VoucherInfo:
    """What a merchant's scan shows before using: the voucher and whether it is valid."""
    stored = normalise(code)
    v = session.scalar(select(Voucher).where(Voucher.code == stored))
    if v is None:
        raise VoucherRefused(reason=f"优惠券 {stored} 不存在：请核对券号")
    return _info(session, v)


def _refusal(info: VoucherInfo, now: datetime) -> str | None:
    if info.status is not None:
        when = to_local(info.used_at).strftime("%Y-%m-%d %H:%M")
        verb = "使用" if info.status == VoucherEvent.USED else "作废"
        return f"优惠券 {info.code} 已于 {when} 在 {info.used_counter} {verb}，不能再用"
    if now >= info.valid_until:
        return f"优惠券 {info.code} 已过期（有效期至 {info.last_day:%Y-%m-%d}），不能再用"
    return None


def use(db, actor: Actor, code: str, note: str | None = None) -> VoucherInfo:
    """Mark a voucher used, exactly once."""
    require(actor, Permission.REDEEM)
    stored = normalise(code)
    with db.write() as s:
        v = s.scalar(select(Voucher).where(Voucher.code == stored))
        if v is None:
            raise VoucherRefused(reason=f"优惠券 {stored} 不存在：请核对券号")
        now = clock.now_utc()
        reason = _refusal(_info(s, v), now)
        if reason:
            raise VoucherRefused(reason=reason)
        s.add(VoucherUse(voucher_id=v.id, kind=VoucherEvent.USED, counter_id=actor.counter_id,
                         operator_id=actor.operator_id, at=now, note=note))
        s.flush()
        audit.record(s, actor, "voucher.use", code=stored, at=now)
        return _info(s, v)


def cancel_for_receipt(session: Session, actor: Actor, receipt_no: str, now: datetime) -> int:
    """In a void's transaction: cancel the receipt's vouchers; a used one refuses the void."""
    vouchers = list(session.scalars(select(Voucher).where(Voucher.receipt_no == receipt_no)))
    for v in vouchers:
        info = _info(session, v)
        if info.status == VoucherEvent.USED:
            raise NotReversible(reason=f"小票 {receipt_no} 的优惠券 {v.code} 已在商家使用，"
                                       f"不能作废这张小票")
    for v in vouchers:
        if _info(session, v).status is None:
            session.add(VoucherUse(voucher_id=v.id, kind=VoucherEvent.CANCELLED,
                                   counter_id=actor.counter_id, operator_id=actor.operator_id,
                                   at=now, note=f"小票 {receipt_no} 作废"))
    session.flush()
    return len(vouchers)


def member_name(session: Session, member_id: int) -> str:
    m = session.get(Member, member_id)
    return m.name if m else str(member_id)


def lookup(session: Session, code: str) -> VoucherInfo | None:
    """For lookup.resolve: the voucher a scanned code names, None when it is not one."""
    if not looks_like_voucher(code):
        return None
    return check(session, code)


def refusal(info: VoucherInfo, now: datetime | None = None) -> str | None:
    """Why this voucher cannot be used now, in plain words; None when it can."""
    return _refusal(info, now or clock.now_utc())


def status_text(info: VoucherInfo, now: datetime | None = None) -> str:
    return _refusal(info, now or clock.now_utc()) or (
        f"有效：{info.item}（{info.merchant or '商家'}），有效期至 {info.last_day:%Y-%m-%d}")

