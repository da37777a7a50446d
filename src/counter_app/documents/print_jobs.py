"""What gets printed, read from the database and rendered in memory: a receipt (PDF or
ESC/POS), a sheet of member cards, a sheet of shelf labels.

Each job returns the finished bytes, so the caller writes once (a failed render
leaves no half-written file) and the CLI and the GUI print the same documents.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from sqlalchemy import select

from counter_app import counters, members
from counter_app.clock import now_utc
from counter_app.db.models import Member, MemberStatus
from counter_app.documents.cards import card_sheet_pdf
from counter_app.documents.labels import label_items, label_sheet_pdf
from counter_app.documents.receipt_facts import printable_receipt
from counter_app.documents.receipt_pdf import receipt_pdf
from counter_app.documents.thermal import receipt_escpos
from counter_app.errors import InvalidInput


@dataclass(frozen=True)
class Sheet:
    data: bytes
    count: int  # cards or labels on it
    pages: int


def receipt_job(db, receipt_no: str, width_mm: int, footer: str | None,
                escpos: bool) -> tuple[str, bytes]:
    """(receipt number, print job): PDF bytes, or the ESC/POS byte stream."""
    with db.read() as s:  # a print from the command line is a reprint: marked 补打
        receipt = printable_receipt(s, receipt_no.strip(), reprinted_at=now_utc())
    if escpos:
        return receipt.receipt_no, receipt_escpos(receipt, width_mm, footer)
    buf = io.BytesIO()
    receipt_pdf(receipt, buf, width_mm, footer)
    return receipt.receipt_no, buf.getvalue()


def card_holders(db, community_id: int, ids: list[int] | None = None,
                 compound: str | None = None) -> list[members.MemberRow]:
    """Members who get a card: the listed ones (none blocked), or every active member
    of the community, or of one compound."""
    with db.read() as s:
        if ids:
            rows = [members.get_member(s, i) for i in dict.fromkeys(ids)]
            for row in rows:
                if row.blocked:
                    raise InvalidInput(detail=f"会员 {row.name}（编号 {row.id}）已停用，不打印会员卡")
            return rows
        all_ids = s.scalars(select(Member.id).where(Member.community_id == community_id,
                                                    Member.status == MemberStatus.ACTIVE)
                            .order_by(Member.id))
        rows = [members.get_member(s, i) for i in all_ids]
    if compound:
        rows = [r for r in rows if r.compound == compound.strip()]
        if not rows:
            raise InvalidInput(detail=f"小区“{compound}”没有在册会员，请核对小区名称")
    return rows


def card_sheet(db, ids: list[int] | None = None, compound: str | None = None,
               qr: bool = False) -> Sheet:
    local = counters.local_counter(db)
    rows = card_holders(db, local.community_id, ids, compound)
    if not rows:
        raise InvalidInput(detail="没有可打印会员卡的会员")
    buf = io.BytesIO()
    pages = card_sheet_pdf(rows, local.community, buf, qr=qr)
    return Sheet(buf.getvalue(), len(rows), pages)


def label_sheet(db) -> Sheet:
    local = counters.local_counter(db)
    with db.read() as s:
        items = label_items(s, local.id, local.community_id)
    if not items:
        raise InvalidInput(detail="没有上架的兑换物品，无标签可打印")
    buf = io.BytesIO()
    pages = label_sheet_pdf(items, buf)
    return Sheet(buf.getvalue(), len(items), pages)
