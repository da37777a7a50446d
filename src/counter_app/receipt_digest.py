"""The digests that chain a receipt (and its void) to their points entries.

The points entry of a redemption stores ``detail_digest = receipt_digest(...)`` and its
format-2 hash covers it; the reversal entry of a void stores ``void_digest(...)``, which
covers the void record (redemption_voids) and the stock entries that took the goods back. Editing a
receipt's total or a line afterwards therefore no longer matches the chain.

Canonical forms (``render`` is journal.render: ``-\\n`` for None, else
``<utf-8 byte length>:<text>\\n``, ints in decimal), sha256 of the UTF-8 payload, hex:

receipt_digest::

    "counter_app/receipt/1\\n" + render(receipt_no) + render(total_points) + render(n_lines)
    + for each line in line_no order:
        render(line_no) + render(item_id) + render(item_name) + render(qty)
        + render(unit_points) + render(stock_entry_id)      # None for services

void_digest::

    "counter_app/void/1\\n" + render(receipt_no) + render(receipt_digest)
    + render(void id) + render(reason) + render(requested_by) + render(n_lines)
    + for each line in line_no order:
        render(line_no) + render(id of the stock entry that reverses the line's stock entry)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from counter_app.journal_hashes import render


@dataclass(frozen=True)
class DigestLine:
    line_no: int
    item_id: int
    item_name: str
    qty: int
    unit_points: int
    stock_entry_id: str | None


def _sha(payload: str) -> str:
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def receipt_digest(receipt_no: str, total_points: int, lines: list[DigestLine]) -> str:
    lines = sorted(lines, key=lambda line: line.line_no)
    payload = "counter_app/receipt/1\n" + render(receipt_no) + render(total_points) + render(
        len(lines))
    for line in lines:
        payload += "".join(render(v) for v in (line.line_no, line.item_id, line.item_name,
                                               line.qty, line.unit_points, line.stock_entry_id))
    return _sha(payload)


def void_digest(receipt_no: str, receipt: str, void_id: str, reason: str,
                requested_by: str | None, reversals: list[tuple[int, str | None]]) -> str:
    """``reversals``: (line_no, id of the stock reversal of that line or None) per line."""
    reversals = sorted(reversals)
    payload = "counter_app/void/1\n" + "".join(render(v) for v in (
        receipt_no, receipt, void_id, reason, requested_by, len(reversals)))
    for line_no, stock_id in reversals:
        payload += render(line_no) + render(stock_id)
    return _sha(payload)
