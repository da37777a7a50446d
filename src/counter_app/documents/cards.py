"""Member cards, ten CR80 cards (85.6 x 54 mm) to an A4 sheet, with crop marks.

Rows touch (one guillotine cut separates two rows); columns have a gutter so
every card corner gets its horizontal crop marks. Content keeps 4 mm from the
card edge, so a cut a little off the line loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from counter_app.documents.fonts import pdf_font
from counter_app.documents.pdfdraw import (
    crop_marks, draw_code128, draw_qr, draw_text, fit_text, target,
)

CARD_W, CARD_H = 85.6 * mm, 54 * mm
COLS, ROWS = 2, 5
GUTTER = 10 * mm
SAFE = 4 * mm
QR_SIZE = 19 * mm
RED = (0.72, 0.07, 0.07)
GREY = (0.35, 0.35, 0.35)
PER_PAGE = COLS * ROWS


def _origin(index: int) -> tuple[float, float]:
    """Lower-left corner of card ``index`` (0..9) on the page, filled row by row."""
    page_w, page_h = A4
    left = (page_w - COLS * CARD_W - (COLS - 1) * GUTTER) / 2
    top = (page_h + ROWS * CARD_H) / 2
    row, col = divmod(index, COLS)
    return left + col * (CARD_W + GUTTER), top - (row + 1) * CARD_H


def _address(m) -> str:
    return " ".join(x for x in (m.compound, m.building, m.unit, m.room) if x)


def draw_card(c, m, community: str, x: float, y: float, font: str, qr: bool = False) -> None:
    """One card with its lower-left corner at (x, y)."""
    c.saveState()
    c.setStrokeColorRGB(0.8, 0.8, 0.8)  # faint outline for cutting with scissors
    c.setLineWidth(0.25)
    c.rect(x, y, CARD_W, CARD_H, stroke=1, fill=0)
    c.restoreState()
    inner = CARD_W - 2 * SAFE
    right = x + CARD_W - SAFE
    # Header: community name, card title, a red rule.
    title = "积分超市会员卡"
    title_w = c.stringWidth(title, font, 8)
    size, lines = fit_text(community, font, 11, inner - title_w - 2 * mm, 1, 7)
    draw_text(c, x + SAFE, y + CARD_H - SAFE - 3.8 * mm, lines[0], font, size, bold=True,
              color=RED)
    draw_text(c, right, y + CARD_H - SAFE - 3.8 * mm, title, font, 8, color=GREY,
              align="right")
    c.saveState()
    c.setStrokeColorRGB(*RED)
    c.setLineWidth(0.8)
    c.line(x + SAFE, y + CARD_H - 11 * mm, right, y + CARD_H - 11 * mm)
    c.restoreState()
    # Name (large; elderly volunteers match it against the member), category at right.
    label = m.category_label or ""
    label_w = c.stringWidth(label, font, 9) + 2 * mm if label else 0
    size, lines = fit_text(m.name, font, 18, inner - label_w, 1, 10)
    name_y = y + CARD_H - 19 * mm
    draw_text(c, x + SAFE, name_y, lines[0], font, size, bold=True)
    if label:
        draw_text(c, right, name_y, label, font, 9, color=GREY, align="right")
    # Address, up to two lines.
    address = _address(m)
    if address:
        size, lines = fit_text(address, font, 10, inner, 2, 7)
        for i, text in enumerate(lines[:2]):
            draw_text(c, x + SAFE, y + CARD_H - 25.5 * mm - i * size * 1.25, text, font, size)
    # Card code: Code128 with the number beneath; QR at the lower right if asked for.
    bar_w = inner - (QR_SIZE + 3 * mm if qr else 0)
    drawn = draw_code128(c, m.card_code, x + SAFE, y + 10 * mm, max_width=bar_w,
                         height=10 * mm)
    draw_text(c, x + SAFE + drawn / 2, y + 5.6 * mm, m.card_code, font, 10, align="center")
    if qr:
        draw_qr(c, m.card_code, right - QR_SIZE, y + SAFE + 0.5 * mm, QR_SIZE)


def card_sheet_pdf(members: Sequence, community: str, out_path, qr: bool = False) -> int:
    """Cards for ``members`` (MemberRow-like: name, category_label, card_code, compound,
    building, unit, room) to ``out_path`` (path or binary file). Returns the page count."""
    font = pdf_font().name
    c = Canvas(target(out_path), pagesize=A4, pageCompression=1, initialFontName=font)
    c.setTitle(f"{community} 会员卡")
    pages = 0
    for start in range(0, max(len(members), 1), PER_PAGE):
        chunk = members[start:start + PER_PAGE]
        for i, m in enumerate(chunk):
            x, y = _origin(i)
            draw_card(c, m, community, x, y, font, qr)
            crop_marks(c, x, y, CARD_W, CARD_H, up=i < COLS, down=i + COLS >= len(chunk))
        c.showPage()
        pages += 1
    c.save()
    return pages
