"""Small reportlab helpers shared by receipts, cards and labels."""

from __future__ import annotations

import os

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.eanbc import Ean13BarcodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.graphics import renderPDF
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth


def target(out):
    """reportlab takes a str path or a binary file, not a pathlib.Path."""
    return os.fspath(out) if isinstance(out, os.PathLike) else out


def text_font(font: str, bold: bool) -> str:
    """The bold face when asked for and installed, else ``font`` itself: bold faked with
    fill+stroke smears on paper, so without a bold face size alone must do."""
    if bold:
        from counter_app.documents.fonts import pdf_bold_font

        face = pdf_bold_font()
        if face is not None:
            return face.name
    return font


def draw_text(c, x: float, y: float, text: str, font: str, size: float, *,
              bold: bool = False, align: str = "left", hscale: float = 100,
              color=(0, 0, 0)) -> None:
    """One line of text (``bold``: the real bold face if there is one, see text_font)."""
    font = text_font(font, bold)
    width = stringWidth(text, font, size) * hscale / 100
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    c.saveState()  # fill colour lives in the graphics state: keep it local
    t = c.beginText(x, y)
    t.setFont(font, size)
    t.setHorizScale(hscale)
    t.setFillColorRGB(*color)
    t.textOut(text)
    c.drawText(t)
    c.restoreState()


def wrap_to_width(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy wrap by measured width; keeps ASCII words whole where possible."""
    from counter_app.documents.slip import tokens

    lines, cur = [], ""
    for tok in tokens(text):
        if stringWidth(cur + tok, font, size) <= width or not cur:
            cur += tok
            continue
        lines.append(cur.rstrip())
        cur = tok.lstrip()
    lines.append(cur)
    out = []
    for line in lines:  # a single word wider than the box: split it by character
        while stringWidth(line, font, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and stringWidth(line[:cut], font, size) > width:
                cut -= 1
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return out


def fit_text(text: str, font: str, size: float, width: float, max_lines: int,
             min_size: float) -> tuple[float, list[str]]:
    """Largest size (down to ``min_size``) at which ``text`` fits in ``max_lines``.
    Never truncates: at ``min_size`` it returns however many lines it takes."""
    while True:
        lines = wrap_to_width(text, font, size, width)
        if len(lines) <= max_lines or size <= min_size:
            return size, lines
        size = max(min_size, size - 0.5)


def code128_width(value: str, bar_width: float) -> float:
    return Code128(value, barWidth=bar_width, quiet=False).width


def draw_code128(c, value: str, x: float, y: float, *, max_width: float, height: float,
                 max_bar: float = 0.33 * mm, align: str = "left") -> float:
    """Code128 without quiet zones (callers leave white space); bars as wide as fit,
    at most ``max_bar``. Returns the drawn width."""
    bar = min(max_bar, max_width / code128_width(value, 1))
    bc = Code128(value, barWidth=bar, barHeight=height, quiet=False)
    if align == "center":
        x -= bc.width / 2
    bc.drawOn(c, x, y)
    return bc.width


def ean13_valid(code: str) -> bool:
    if len(code) != 13 or not code.isdigit():
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(code[:12]))
    return (10 - total % 10) % 10 == int(code[12])


def draw_ean13(c, code: str, x: float, y: float, *, height: float,
               bar_width: float = 0.3 * mm, font_size: float = 8,
               font: str = "Helvetica") -> float:
    """EAN-13 with its digits; returns the drawn width. Only for valid codes: reportlab,
    like python-barcode, silently replaces a wrong check digit (a different code)."""
    if not ean13_valid(code):
        raise ValueError(f"not a valid EAN-13: {code}")
    w = Ean13BarcodeWidget(code[:12], barWidth=bar_width, barHeight=height,
                           fontSize=font_size, fontName=font, quiet=True)
    x0, y0, x1, y1 = w.getBounds()
    d = Drawing(x1 - x0, y1 - y0)
    d.initialFontName = font  # else renderPDF selects (unembedded) Helvetica first
    d.add(w)
    renderPDF.draw(d, c, x - x0, y - y0)
    return x1 - x0


def draw_qr(c, value: str, x: float, y: float, size: float) -> None:
    """QR code (level M) as one filled path, a rectangle per run of dark modules.
    Six times faster than reportlab's QrCodeWidget, which matters for 1,000 cards."""
    import qrcode  # comes with python-escpos

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(value)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    cell = size / len(matrix)
    path = c.beginPath()
    for r, row in enumerate(matrix):
        top = y + size - (r + 1) * cell
        col = 0
        while col < len(row):
            if row[col]:
                start = col
                while col < len(row) and row[col]:
                    col += 1
                path.rect(x + start * cell, top, (col - start) * cell, cell)
            col += 1
    c.drawPath(path, stroke=0, fill=1)


def crop_marks(c, x: float, y: float, w: float, h: float, *, length: float = 3 * mm,
               offset: float = 1 * mm, up: bool = True, down: bool = True) -> None:
    """Corner marks outside a w x h box at (x, y): horizontal ones always, vertical ones
    only where there is paper above / below (cards stacked edge to edge share a cut)."""
    c.saveState()
    c.setLineWidth(0.3)
    c.setStrokeColorRGB(0, 0, 0)
    for cx, sx in ((x, -1), (x + w, 1)):
        for cy, sy, room in ((y, -1, down), (y + h, 1, up)):
            c.line(cx + sx * offset, cy, cx + sx * (offset + length), cy)
            if room:
                c.line(cx, cy + sy * offset, cx, cy + sy * (offset + length))
    c.restoreState()
