"""The wish wall (心愿征集墙): open micro-wishes as cards, 2 x 3 to an A4 page, to pin up.

Each card: the wish's number (to claim it at the counter), what is wished, who wishes it,
by when, and whether someone has claimed it. No phone or ID number is printed.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from counter_app.documents.fonts import pdf_font
from counter_app.documents.pdfdraw import draw_text, fit_text, target

COLS, ROWS = 2, 3
PER_PAGE = COLS * ROWS
MARGIN = 12 * mm
HEAD = 18 * mm
GAP = 6 * mm
RED = (0.72, 0.07, 0.07)
GREY = (0.4, 0.4, 0.4)


def _card(c, wish, x: float, y: float, w: float, h: float, font: str) -> None:
    c.saveState()
    c.setStrokeColorRGB(*RED)
    c.setLineWidth(1.2)
    c.roundRect(x, y, w, h, 4 * mm, stroke=1, fill=0)
    c.restoreState()
    pad = 5 * mm
    draw_text(c, x + pad, y + h - pad - 12, f"心愿 {wish.id} 号", font, 12, bold=True, color=RED)
    draw_text(c, x + w - pad, y + h - pad - 12, wish.status_label, font, 12, align="right",
              color=GREY if wish.status == "claimed" else RED)
    size, lines = fit_text(wish.title, font, 20, w - 2 * pad, 3, 12)
    top = y + h - pad - 12 - 10 * mm
    for i, line in enumerate(lines[:4]):
        draw_text(c, x + pad, top - i * size * 1.3, line, font, size, bold=True)
    facts = [f"许愿人：{wish.wisher_name}"]
    facts.append(f"期限：{wish.due_date:%Y年%m月%d日}" if wish.due_date else "期限：不限")
    if wish.status == "claimed":
        facts.append(f"认领：{wish.claimant}")
    else:
        facts.append("愿意帮忙？请到积分超市认领")
    for i, fact in enumerate(reversed(facts)):
        draw_text(c, x + pad, y + pad + i * 15, fact, font, 11)


def wish_wall_pdf(wishes: Sequence, out_path, *, community: str = "",
                  printed_on: str = "") -> int:
    """Cards for WishRow-like rows (id, title, wisher_name, due_date, status, claimant).
    Writes to ``out_path`` (path or binary file); returns the page count."""
    font = pdf_font().name
    page_w, page_h = A4
    c = Canvas(target(out_path), pagesize=A4, pageCompression=1, initialFontName=font)
    c.setTitle("心愿征集墙")
    card_w = (page_w - 2 * MARGIN - (COLS - 1) * GAP) / COLS
    card_h = (page_h - 2 * MARGIN - HEAD - (ROWS - 1) * GAP) / ROWS
    pages = 0
    for start in range(0, max(len(wishes), 1), PER_PAGE):
        draw_text(c, page_w / 2, page_h - MARGIN - 10 * mm, f"{community}心愿征集墙",
                  font, 22, bold=True, align="center", color=RED)
        if printed_on:
            draw_text(c, page_w - MARGIN, page_h - MARGIN - 15 * mm, printed_on, font, 9,
                      align="right", color=GREY)
        if not wishes:
            draw_text(c, page_w / 2, page_h / 2, "目前没有待认领的心愿", font, 16, align="center")
        for i, wish in enumerate(wishes[start:start + PER_PAGE]):
            row, col = divmod(i, COLS)
            x = MARGIN + col * (card_w + GAP)
            y = page_h - MARGIN - HEAD - (row + 1) * card_h - row * GAP
            _card(c, wish, x, y, card_w, card_h, font)
        c.showPage()
        pages += 1
    c.save()
    return pages
