"""Shelf labels, 3 x 8 to an A4 sheet (64 x 34 mm each), cut apart with scissors.

The grid keeps at least 8 mm from every page edge, where office printers cannot
print. Each label: item name, point price (the number large, "积分/袋" beneath it),
and a barcode: the item's first barcode, EAN-13 when it is a valid EAN-13, otherwise
Code128 (never "corrected"); an item without one (services, merchant offers) gets its
internal code (``item_codes``), so every label can be scanned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session

from counter_app import catalogue
from counter_app.item_codes import internal_code
from counter_app.db.models import ItemBarcode
from counter_app.documents.fonts import pdf_font
from counter_app.documents.pdfdraw import (
    code128_width, draw_code128, draw_ean13, draw_text, ean13_valid, fit_text, target,
)

LABEL_W, LABEL_H = 64 * mm, 34 * mm
COLS, ROWS = 3, 8
PER_PAGE = COLS * ROWS
PAGE_MARGIN = 8 * mm  # nothing is printed closer to the paper's edge
PAD_X, PAD_Y = 3 * mm, 2.5 * mm
RED = (0.72, 0.07, 0.07)
BAR_H = 9 * mm
EAN_BAR = 0.3 * mm  # 90 % of nominal EAN-13 size: ~34 mm wide with quiet zones
UNIT_SIZE = 9


def label_items(session: Session, counter_id: str, community_id: int | None = None):
    """Active items with the code their label carries (first barcode, else the internal
    code): input for ``label_sheet_pdf``."""
    first: dict[int, str] = {}
    # rowid order = the order add_item was given the codes in (SQLite counter database).
    rows = session.execute(select(ItemBarcode.item_id, ItemBarcode.code)
                           .order_by(literal_column("item_barcodes.rowid")))
    for item_id, code in rows:
        first.setdefault(item_id, code)
    items = catalogue.list_items(session, counter_id, community_id)
    return [(item, first.get(item.id) or internal_code(item.id)) for item in items]


def _origin(index: int) -> tuple[float, float]:
    page_w, page_h = A4
    left = (page_w - COLS * LABEL_W) / 2
    top = (page_h + ROWS * LABEL_H) / 2
    assert left >= PAGE_MARGIN and page_h - top >= PAGE_MARGIN  # the grid keeps the margin
    row, col = divmod(index, COLS)
    return left + col * LABEL_W, top - (row + 1) * LABEL_H


def draw_label(c, item, code: str | None, x: float, y: float, font: str) -> None:
    inner = LABEL_W - 2 * PAD_X
    # Name: two lines, shrinking first; a very long name may take four small lines.
    size, lines = fit_text(item.name, font, 14, inner, 2, 10)
    if len(lines) > 2:
        size, lines = fit_text(item.name, font, 9, inner, 4, 6)
    top = y + LABEL_H - PAD_Y - size
    for i, text in enumerate(lines):
        draw_text(c, x + PAD_X, top - i * size * 1.2, text, font, size, bold=True)
    # Price at the lower right: the number large and red, "积分/袋" beneath it. The number
    # gives up some size before the barcode has to shrink below what scanners read easily.
    unit = f"积分/{item.unit}" if item.unit else "积分"
    points = str(item.points)
    unit_w = c.stringWidth(unit, font, UNIT_SIZE)
    bar_need = (113 * EAN_BAR if code and ean13_valid(code)
                else code128_width(code, EAN_BAR) if code else 0)
    size = 22
    while size > 16 and max(unit_w, c.stringWidth(points, font, size)) + 3 * mm + bar_need > inner:
        size -= 1
    price_w = max(unit_w, c.stringWidth(points, font, size))
    right = x + LABEL_W - PAD_X
    draw_text(c, right, y + PAD_Y, unit, font, UNIT_SIZE, align="right")
    draw_text(c, right, y + PAD_Y + UNIT_SIZE * 1.15, points, font, size, bold=True,
              align="right", color=RED)
    if not code:
        return
    room = inner - price_w - 3 * mm
    if ean13_valid(code):
        bar = min(EAN_BAR, room / 113)
        draw_ean13(c, code, x + PAD_X, y + PAD_Y + 1 * mm, height=BAR_H, bar_width=bar,
                   font_size=8 * bar / EAN_BAR, font=font)  # embedded, unlike Helvetica
    else:
        drawn = draw_code128(c, code, x + PAD_X, y + PAD_Y + 3.2 * mm, max_width=room,
                             height=BAR_H - 1.2 * mm, max_bar=EAN_BAR)
        draw_text(c, x + PAD_X + drawn / 2, y + PAD_Y, code, font, 8, align="center")


def label_sheet_pdf(items_with_codes: Iterable[tuple[object, str | None]], out_path) -> int:
    """Labels for (ItemRow-like: name, points, unit; code or None) pairs.
    Writes to ``out_path`` (path or binary file); returns the page count."""
    items: Sequence = list(items_with_codes)
    font = pdf_font().name
    c = Canvas(target(out_path), pagesize=A4, pageCompression=1, initialFontName=font)
    c.setTitle("货架标签")
    pages = 0
    for start in range(0, max(len(items), 1), PER_PAGE):
        for i, (item, code) in enumerate(items[start:start + PER_PAGE]):
            x, y = _origin(i)
            c.saveState()
            c.setStrokeColorRGB(0.85, 0.85, 0.85)  # faint outline: where the die-cut is
            c.setLineWidth(0.25)
            c.rect(x, y, LABEL_W, LABEL_H, stroke=1, fill=0)
            c.restoreState()
            draw_label(c, item, code, x, y, font)
        c.showPage()
        pages += 1
    c.save()
    return pages
