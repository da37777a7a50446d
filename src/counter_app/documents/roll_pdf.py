"""A slip as a PDF the width of the roll (58 or 80 mm), as tall as its content.

It paints a ``Slip`` at the thermal printer's scale: one column is half a hanzi, a
normal line holds ``columns`` of them across the printable width; title, big and
small lines are drawn at their real size (slip.SCALE), not stretched or faked bold.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from counter_app.documents.fonts import pdf_font
from counter_app.errors import PrinterError
from counter_app.documents.pdfdraw import draw_code128, draw_qr, draw_text, target
from counter_app.documents.slip import (
    BARCODE, BIG, CUT, DOTS, QR, RULE, SCALE, TITLE, Slip, SlipLine, columns_for,
)

MARGIN_Y = 5 * mm
LEADING = 1.45  # line height / font size
BARCODE_H = 11 * mm
QR_MAX = 30 * mm


def printable_width(width_mm: int) -> float:
    """Width of the text column in points: 48 / 72 mm, as on the thermal printer."""
    return DOTS[width_mm] / 203 * 25.4 * mm


def qr_side(width: float) -> float:
    return min(QR_MAX, width * 0.6)


def line_height(line: SlipLine, size: float, width: float, last: bool = False) -> float:
    """Height of ``line`` in points; ``size`` is the normal font size."""
    if line.kind == BARCODE:
        return BARCODE_H + size * 2.2  # bars, human-readable number, breathing room
    if line.kind == QR:
        return qr_side(width) + size * 1.2
    if line.kind == RULE:
        return size * 0.9
    if line.kind == CUT:
        return 0.0 if last else size * 2.5  # the page ends at the last cut
    return size * SCALE[line.style] * LEADING


def _draw_line(c, line: SlipLine, x0: float, width: float, top: float, size: float,
               font: str, last: bool) -> None:
    height = line_height(line, size, width, last)
    if line.kind in (RULE, CUT):
        if line.kind == CUT and last:
            return
        c.saveState()
        c.setDash(*((2, 2) if line.kind == RULE else (6, 3)))  # a cut: longer dashes
        c.setLineWidth(0.5)
        c.line(x0, top - height / 2, x0 + width, top - height / 2)
        c.restoreState()
        return
    if line.kind == BARCODE:
        base = top - height + size * 0.45
        if not line.left.isascii():  # Code128 carries ASCII only: print the number alone
            draw_text(c, x0 + width / 2, base, line.left, font, size, align="center")
            return
        draw_code128(c, line.left, x0 + width / 2, top - size * 0.4 - BARCODE_H,
                     max_width=width * 0.9, height=BARCODE_H, align="center")
        draw_text(c, x0 + width / 2, top - size * 0.4 - BARCODE_H - size * 1.2, line.left,
                  font, size, align="center")
        return
    if line.kind == QR:
        side = qr_side(width)
        draw_qr(c, line.left, x0 + (width - side) / 2, top - size * 0.6 - side, side)
        return
    fsize = size * SCALE[line.style]
    base = top - height + fsize * 0.45
    color = (0, 0, 0)
    if line.invert:
        c.rect(x0, top - height, width, height, stroke=0, fill=1)
        color = (1, 1, 1)
    left = line.left.lstrip(" ")
    indent = (len(line.left) - len(left)) * fsize / 2  # a column is half a hanzi
    style = dict(bold=line.style in (TITLE, BIG), color=color)
    if line.center and not line.right:
        draw_text(c, x0 + width / 2, base, left, font, fsize, align="center", **style)
        return
    draw_text(c, x0 + indent, base, left, font, fsize, **style)
    if line.right:
        draw_text(c, x0 + width, base, line.right, font, fsize, align="right", **style)


def slip_pdf(slip: Slip, out, width_mm: int = 58) -> None:
    """Write ``slip`` as a roll-width PDF to ``out`` (a path or a binary file object).
    A path appears complete or not at all: a viewer opened on it (or a reprint into the
    same folder) never reads half a file."""
    if isinstance(out, (str, os.PathLike)):
        buf = io.BytesIO()
        _render(slip, buf, width_mm)
        path = Path(out)
        part = path.with_name(path.name + ".part")
        try:
            part.write_bytes(buf.getvalue())
            os.replace(part, path)
        finally:
            part.unlink(missing_ok=True)
        return
    _render(slip, out, width_mm)


def _render(slip: Slip, out, width_mm: int) -> None:
    columns = columns_for(width_mm)
    if slip.columns != columns:
        raise PrinterError(detail=f"小票按 {slip.columns} 列排版，{width_mm} 毫米纸是 {columns} 列")
    printable = printable_width(width_mm)
    size = printable / (columns / 2)  # a hanzi is two columns wide
    font = pdf_font().name
    lines = slip.lines
    last = len(lines) - 1
    page_w = width_mm * mm
    page_h = 2 * MARGIN_Y + sum(line_height(l, size, printable, i == last)
                                for i, l in enumerate(lines))
    c = Canvas(target(out), pagesize=(page_w, page_h), pageCompression=1,
               initialFontName=font)
    c.setTitle(slip.title)
    c.setAuthor(slip.author)
    x0 = (page_w - printable) / 2
    top = page_h - MARGIN_Y
    for i, line in enumerate(lines):
        _draw_line(c, line, x0, printable, top, size, font, i == last)
        top -= line_height(line, size, printable, i == last)
    c.showPage()
    c.save()

