"""A receipt (or void slip, or reprint) as a roll-width PDF: its slip through slip_pdf."""

from __future__ import annotations

from counter_app.documents.layout import DEFAULT_FOOTER, receipt_slip
from counter_app.documents.slip import columns_for
from counter_app.documents.roll_pdf import slip_pdf


def receipt_pdf(receipt, out, width_mm: int = 58, footer: str | None = DEFAULT_FOOTER) -> None:
    """Write the receipt PDF to ``out`` (a path or a binary file object). ``receipt`` is
    a ``redemption.Receipt`` or a ``receipt_facts.PrintableReceipt`` (void, reprint)."""
    slip_pdf(receipt_slip(receipt, columns_for(width_mm), footer), out, width_mm)
