"""Receipt as a PDF the width of the roll (58 or 80 mm), as tall as its content.

It paints the same ``receipt_layout`` lines as the thermal printer, at the
printer's scale: one column is half a hanzi, a line holds ``columns`` of them
across the printable width, wide / tall lines are doubled like ESC/POS GS !.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from counter_app.documents.fonts import pdf_font
from counter_app.documents.layout import COLUMNS, DEFAULT_FOOTER, DOTS, Line, receipt_layout
from counter_app.documents.pdfdraw import draw_code128, draw_text, target
from counter_app.documents.thermal import PrinterError

MARGIN_Y = 5 * mm
LEADING = 1.45  # line height / font size
BARCODE_H = 11 * mm


def _line_height(line: Line, size: float) -> float:
    if line.kind == "barcode":
        return BARCODE_H + size * 2.2  # bars, human-readable number, breathing room
    if line.kind == "rule":
        return size * 0.9
    return size * LEADING * (2 if line.wide or line.tall else 1)


def _draw_line(c, line: Line, x0: float, width: float, top: float, size: float,
               font: str) -> None:
    height = _line_height(line, size)
    base = top - height + size * 0.45 * (2 if line.wide or line.tall else 1)
    if line.kind == "rule":
        c.saveState()
        c.setDash(2, 2)
        c.setLineWidth(0.5)
        c.line(x0, top - height / 2, x0 + width, top - height / 2)
        c.restoreState()
        return
    if line.kind == "barcode":
        if not line.left.isascii():  # Code128 carries ASCII only: print the number alone
            draw_text(c, x0 + width / 2, base, line.left, font, size, align="center")
            return
        draw_code128(c, line.left, x0 + width / 2, top - size * 0.4 - BARCODE_H,
                     max_width=width * 0.9, height=BARCODE_H, align="center")
        draw_text(c, x0 + width / 2, top - size * 0.4 - BARCODE_H - size * 1.2, line.left,
                  font, size, align="center")
        return
    fsize = size * (2 if line.wide or line.tall else 1)
    hscale = 50 if line.tall and not line.wide else 100  # double height, normal width
    color = (0, 0, 0)
    if line.invert:
        c.rect(x0, top - height, width, height, stroke=0, fill=1)
        color = (1, 1, 1)
    left = line.left.lstrip(" ")
    indent = (len(line.left) - len(left)) * size / 2  # a column is half a hanzi
    style = dict(bold=line.bold, hscale=hscale, color=color)
    if line.center and not line.right:
        draw_text(c, x0 + width / 2, base, left, font, fsize, align="center", **style)
        return
    draw_text(c, x0 + indent, base, left, font, fsize, **style)
    if line.right:
        draw_text(c, x0 + width, base, line.right, font, fsize, align="right", **style)


def receipt_pdf(receipt, out, width_mm: int = 58, footer: str | None = DEFAULT_FOOTER) -> None:
    """Write the receipt PDF to ``out`` (a path or a binary file object)."""
    if width_mm not in COLUMNS:
        raise PrinterError(detail=f"纸宽只能是 58 或 80 毫米（收到 {width_mm}）")
    columns = COLUMNS[width_mm]
    printable = DOTS[width_mm] / 203 * 25.4 * mm  # 48 / 72 mm, as on the thermal printer
    size = printable / (columns / 2)  # a hanzi is two columns wide
    font = pdf_font().name
    lines = receipt_layout(receipt, columns, footer)
    page_w = width_mm * mm
    page_h = 2 * MARGIN_Y + sum(_line_height(l, size) for l in lines)
    c = Canvas(target(out), pagesize=(page_w, page_h), pageCompression=1,
               initialFontName=font)
    c.setTitle(f"兑换小票 {receipt.receipt_no}")
    c.setAuthor(receipt.counter_name)
    x0 = (page_w - printable) / 2
    top = page_h - MARGIN_Y
    for line in lines:
        _draw_line(c, line, x0, printable, top, size, font)
        top -= _line_height(line, size)
    c.showPage()
    c.save()
