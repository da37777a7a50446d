"""What a printed receipt shows beyond ``redemption.Receipt``: the facts of its void
(when, why, who asked, which administrator approved, the balance afterwards) and,
for a reprint, that it is one. Read-only; the caller's session.

Where the facts live: the void's reversal entry in the points journal carries the
time, the reason (its note) and the approving administrator (its operator); who
asked for the void is only in the audit log ("redemption.void", requested_by).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app import redemption
from counter_app.db.models import AuditEntry, Operator, PointsEntry, Redemption


@dataclass(frozen=True)
class VoidFacts:
    voided_at: datetime  # naive UTC
    reason: str
    approved_by: str  # the administrator whose PIN authorised the void
    requested_by: str | None  # who asked for it (the volunteer logged in), if recorded
    points_back: int
    balance_after: int  # the member's balance right after the void


@dataclass(frozen=True)
class PrintableReceipt:
    """A receipt as it is to be printed now: sale or void slip, original or reprint."""

    receipt: redemption.Receipt
    void: VoidFacts | None = None
    reprinted_at: datetime | None = None  # naive UTC; None for the first print

    def __getattr__(self, name: str):
        """The receipt's own fields (receipt_no, total, member_id …), so a page or a print
        queue can take either kind."""
        if name == "receipt":  # not set yet (copy, unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.receipt, name)


def void_facts(session: Session, receipt_no: str) -> VoidFacts | None:
    """The void of ``receipt_no``, or None when it was not voided."""
    red = session.scalar(select(Redemption).where(Redemption.receipt_no == receipt_no))
    if red is None:
        return None
    rev = session.scalar(select(PointsEntry)
                         .where(PointsEntry.reverses_id == red.points_entry_id))
    if rev is None:
        return None
    admin = session.get(Operator, rev.operator_id) if rev.operator_id is not None else None
    # The cached balance is the sum of the member's entries (check.py verifies it), so
    # the sum up to the reversal is the balance right after the void, also on a reprint.
    balance = session.scalar(select(func.coalesce(func.sum(PointsEntry.delta), 0)).where(
        PointsEntry.member_id == rev.member_id, PointsEntry.created_at <= rev.created_at))
    return VoidFacts(voided_at=rev.created_at, reason=rev.note or "",
                     approved_by=admin.name if admin else "",
                     requested_by=_requested_by(session, receipt_no),
                     points_back=rev.delta, balance_after=int(balance))


def _requested_by(session: Session, receipt_no: str) -> str | None:
    rows = session.scalars(select(AuditEntry.detail).where(
        AuditEntry.action == "redemption.void",
        func.json_extract(AuditEntry.detail, "$.receipt") == receipt_no))
    for detail in rows:
        who = json.loads(detail or "{}").get("requested_by")
        if who:
            return str(who)
    return None


def printable_receipt(session: Session, receipt_no: str,
                      reprinted_at: datetime | None = None) -> PrintableReceipt:
    """Everything the slip of ``receipt_no`` shows; ``reprinted_at`` (naive UTC) marks
    a reprint. Raises NotFound for an unknown receipt number."""
    receipt = redemption.receipt(session, receipt_no)
    void = void_facts(session, receipt_no) if receipt.voided else None
    return PrintableReceipt(receipt, void, reprinted_at)
