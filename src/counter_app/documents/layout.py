"""Receipts as slips: the sale receipt, the void slip, and either one reprinted.

Every output (ESC/POS, PDF roll, the UI's system printer) prints the ``Slip`` these
functions return, so what a member reads is the same on every printer.
"""

from __future__ import annotations

from datetime import datetime

from counter_app.documents.receipt_facts import PrintableReceipt, VoidFacts
from counter_app.documents.slip import (
    BARCODE, BIG, COLUMNS, QR, CUT_LINE, DOTS, RULE_LINE, SMALL, TITLE, Slip, SlipLine, centered,
    char_width, labelled, pair, paragraph, text_width, wrap,
)
from counter_app.localtime import to_local

DEFAULT_FOOTER = "积分来之不易，感谢您的志愿服务！"
VOID_BANNER = "作废单"  # title size: fits 58 mm (16 columns) on one line

Line = SlipLine  # the earlier name, for callers written before slips

__all__ = [
    "COLUMNS", "DEFAULT_FOOTER", "DOTS", "Line", "Slip", "SlipLine", "char_width",
    "receipt_layout", "receipt_lines", "receipt_slip", "text_width", "wrap",
]


def _when(naive_utc: datetime) -> str:
    return f"{to_local(naive_utc):%Y-%m-%d %H:%M}"


def _item_lines(lines, columns: int, header: str = "物品") -> list[SlipLine]:
    """Name on the left (wrapped), ``qty × unit = points`` right-aligned on its first line.
    When the figures leave too little room for names, each name gets its own line."""
    figures = [f"{l.qty} × {l.unit_points} = {l.points}" for l in lines]
    fig_w = max((text_width(f) for f in figures), default=0)
    name_w = columns - fig_w - 1
    out: list[SlipLine] = []
    if name_w >= 12:
        heading = "数量 × 单价 = 积分"
        if text_width(header) + 1 + text_width(heading) <= columns:
            out.append(SlipLine(header, heading))
        for line, fig in zip(lines, figures):
            parts = wrap(line.name, name_w)
            out.append(SlipLine(parts[0], fig))
            out.extend(SlipLine(p) for p in parts[1:])
    else:
        out.append(SlipLine(header))
        for line, fig in zip(lines, figures):
            out.extend(SlipLine(p) for p in wrap(line.name, columns))
            out.append(SlipLine("", fig))
    return out


def _head(receipt, columns: int, kind: str) -> list[SlipLine]:
    return centered(receipt.counter_name, columns, TITLE) + centered(
        f"{receipt.community} · {kind}", columns)


def _reprint(reprinted_at: datetime | None, columns: int) -> list[SlipLine]:
    if reprinted_at is None:
        return []
    return (centered("补打", columns, BIG, invert=True)
            + centered(f"补打时间：{_when(reprinted_at)}", columns))


def _member(receipt, columns: int) -> list[SlipLine]:
    out = labelled("会员", receipt.member_name, columns, BIG)
    if receipt.phone_masked:
        out += labelled("手机", receipt.phone_masked, columns)
    return out


def _footer(footer: str | None, columns: int) -> list[SlipLine]:
    out: list[SlipLine] = []
    for part in (footer or "").splitlines():  # a footer may be several lines
        if part.strip():
            out += centered(part.strip(), columns, SMALL)
    return out


def _sale(receipt, columns: int, footer: str | None,
          reprinted_at: datetime | None) -> list[SlipLine]:
    out = _head(receipt, columns, "兑换小票") + _reprint(reprinted_at, columns)
    out.append(RULE_LINE)
    out += labelled("小票号", receipt.receipt_no, columns)
    out += labelled("时间", _when(receipt.created_at), columns)
    out += labelled("操作员", receipt.operator, columns)
    out += _member(receipt, columns)
    out.append(RULE_LINE)
    out += _item_lines(receipt.lines, columns)
    out.append(RULE_LINE)
    out += pair("合计", f"{receipt.total} 积分", columns, BIG)
    out += pair("兑换前余额", f"{receipt.balance_before} 积分", columns)
    out += pair("兑换后余额", f"{receipt.balance_after} 积分", columns, BIG)
    out += _expiry(receipt, columns)
    out.append(RULE_LINE)
    out.append(SlipLine(receipt.receipt_no, center=True, kind=BARCODE))
    return out + _vouchers(receipt, columns) + _footer(footer, columns)


def _expiry(receipt, columns: int) -> list[SlipLine]:
    """Points due to expire (earning.expiry), on every slip inside the notice window."""
    notice = getattr(receipt, "expiry_notice", None)
    return paragraph(notice, columns) if notice else []


def _vouchers(receipt, columns: int) -> list[SlipLine]:
    """One block per merchant-offer voucher: code as text, QR and Code128, last valid day."""
    out = []
    for v in getattr(receipt, "vouchers", ()) or ():
        out.append(RULE_LINE)
        out += centered("商家优惠券", columns, BIG)
        out += paragraph(f"{v.item}（{v.merchant or '商家'}）", columns)
        out += centered(v.code, columns, BIG)
        out.append(SlipLine(v.code, center=True, kind=QR))
        out.append(SlipLine(v.code, center=True, kind=BARCODE))
        out += labelled("有效期至", f"{v.last_day:%Y-%m-%d}", columns)
        out += paragraph("凭券到商家使用，限用一次", columns, SMALL)
    return out


def _void(receipt, void: VoidFacts | None, columns: int,
          reprinted_at: datetime | None) -> list[SlipLine]:
    """The void slip: what was undone, why, by whose decision, and the balance now.
    Without the void's facts (an old caller) it still says clearly that the receipt
    is void, and prints no balance rather than the sale's one."""
    banner = centered(VOID_BANNER, columns, TITLE, invert=True)
    out = banner + _head(receipt, columns, "撤销兑换（作废）") + _reprint(reprinted_at, columns)
    out.append(RULE_LINE)
    out += labelled("原小票号", receipt.receipt_no, columns)
    out += labelled("原兑换时间", _when(receipt.created_at), columns)
    out += labelled("原操作员", receipt.operator, columns)
    out += _member(receipt, columns)
    out.append(RULE_LINE)
    out += _item_lines(receipt.lines, columns, "退回物品")
    out.append(RULE_LINE)
    out += pair("退回积分", f"{receipt.total} 积分", columns, BIG)
    if void is not None:
        out += labelled("作废时间", _when(void.voided_at), columns)
        out += labelled("作废原因", void.reason or "（未填写）", columns)
        out += labelled("提出人", void.requested_by or "（未记录）", columns)
        out += labelled("批准管理员", void.approved_by or "（未记录）", columns)
        out.append(RULE_LINE)
        out += pair("作废后余额", f"{void.balance_after} 积分", columns, BIG)
    out += _expiry(receipt, columns)
    out.append(RULE_LINE)
    out.append(SlipLine(receipt.receipt_no, center=True, kind=BARCODE))
    out += centered("本单已作废，积分已退回", columns)
    return out + banner


def receipt_slip(receipt, columns: int = 32, footer: str | None = DEFAULT_FOOTER, *,
                 void: VoidFacts | None = None,
                 reprinted_at: datetime | None = None) -> Slip:
    """The slip for ``receipt`` (a ``redemption.Receipt`` or a ``PrintableReceipt``):
    a void slip when it is voided, marked 补打 when ``reprinted_at`` is given."""
    if isinstance(receipt, PrintableReceipt):
        void = void or receipt.void
        reprinted_at = reprinted_at or receipt.reprinted_at
        receipt = receipt.receipt
    if receipt.voided:
        lines = _void(receipt, void, columns, reprinted_at)
        title = f"作废单 {receipt.receipt_no}"
    else:
        lines = _sale(receipt, columns, footer, reprinted_at)
        title = f"兑换小票 {receipt.receipt_no}"
    if reprinted_at is not None:
        title += "（补打）"
    return Slip(title, columns, tuple(lines) + (CUT_LINE,), author=receipt.counter_name,
                meta={"receipt_no": receipt.receipt_no})


def receipt_layout(receipt, columns: int = 32,
                   footer: str | None = DEFAULT_FOOTER) -> list[SlipLine]:
    """The receipt's lines without the final cut (for painters and tests)."""
    return [l for l in receipt_slip(receipt, columns, footer).lines if l.kind != "cut"]


def receipt_lines(receipt, columns: int = 32,
                  footer: str | None = DEFAULT_FOOTER) -> list[str]:
    """Plain text of each line as printed (title lines are printed at double size)."""
    return receipt_slip(receipt, columns, footer).text_lines()
