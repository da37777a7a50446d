"""A4 papers of tables: the monthly public notice, red/black boards, the honours list,
work-unit reports, a member's points file.

A ``Paper`` is plain data (title, lines under it, blocks of tables and paragraphs);
``paper_pdf`` lays it out on A4 pages with the title repeated small on every later page,
table headers repeated after a page break, and "第 n 页 / 共 N 页" at the foot. Text that
is wider than its cell is set smaller, then narrower (horizontal scale), never cut off.
Drawn straight on the canvas (a 10,000-row notice is ~250 pages in about a second).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from counter_app.documents.fonts import pdf_font
from counter_app.documents.pdfdraw import text_font, wrap_to_width

MARGIN = 15 * mm
ROW_H = 6.2 * mm
CELL_SIZE = 9.5
HEAD_SIZE = 9.5
HEADING_SIZE = 13
TITLE_SIZE = 18
TEXT_SIZE = 10.5
MIN_SIZE = 7
RED = (0.72, 0.07, 0.07)
GREY = (0.35, 0.35, 0.35)
STRIPE = (0.94, 0.94, 0.94)


@dataclass(frozen=True)
class Column:
    title: str
    weight: float = 1.0  # share of the table's width
    align: str = "left"  # left, center, right


@dataclass(frozen=True)
class Table:
    heading: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[str]]
    empty: str = "（无）"
    note: str | None = None  # a line under the heading (the rule, the unit …)
    color: tuple[float, float, float] | None = None  # heading colour (red board …)


@dataclass(frozen=True)
class Paragraph:
    text: str
    size: float = TEXT_SIZE
    bold: bool = False
    color: tuple[float, float, float] = (0, 0, 0)


@dataclass(frozen=True)
class Paper:
    title: str
    lines: Sequence[str] = ()  # under the title: community, period, publication dates
    blocks: Sequence[Table | Paragraph] = ()
    footer: str = ""  # at the foot of every page, left of the page number
    author: str = ""
    meta: dict = field(default_factory=dict)


class _CellText(PDFTextObject):
    """A text object for table cells, set only by absolute positions (Tm) and ``textOut``:
    without reportlab's cursor bookkeeping (a second width measurement and float formatting
    per cell), which was a third of the time of a 10,000-row notice."""

    def place(self, x: float, y: float) -> None:
        self._code.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")

    def put(self, text: str) -> None:
        self._code.append(self._formatText(text))


class _Writer:
    def __init__(self, c: Canvas, paper: Paper, font: str):
        self.c, self.paper, self.font = c, paper, font
        self.bold = text_font(font, True)
        self.width, self.height = A4
        self.inner = self.width - 2 * MARGIN
        self.pages: list[list] = []  # each page: list of (callable, args)
        self._widths: dict[tuple, float] = {}
        self._set, self._scaled = None, False
        self.ops: list = []
        self.y = 0.0
        self.new_page(first=True)

    # --- layout (recorded, drawn once the page count is known) --------------------------

    def op(self, fn, *args) -> None:
        self.ops.append((fn, args))

    def new_page(self, first: bool = False) -> None:
        if not first:
            self.pages.append(self.ops)
        self.ops = []
        top = self.height - MARGIN
        if first:
            self.op(self._centered, self.paper.title, TITLE_SIZE, top - TITLE_SIZE, True)
            y = top - TITLE_SIZE - 4 * mm
            for line in self.paper.lines:
                for part in wrap_to_width(line, self.font, TEXT_SIZE, self.inner):
                    y -= TEXT_SIZE * 1.45
                    self.op(self._centered, part, TEXT_SIZE, y, False)
            self.y = y - 5 * mm
        else:
            self.op(self._text, self.paper.title, MARGIN, top - 9, 9, GREY, self.font)
            self.op(self._rule, top - 12, 0.4)
            self.y = top - 12 - 4 * mm

    def need(self, height: float) -> bool:
        """Start a new page unless ``height`` fits above the foot; True if it started one."""
        if self.y - height < MARGIN + 8 * mm:
            self.new_page()
            return True
        return False

    def paragraph(self, p: Paragraph) -> None:
        font = self.bold if p.bold else self.font
        for part in wrap_to_width(p.text, font, p.size, self.inner):
            self.need(p.size * 1.5)
            self.y -= p.size * 1.5
            self.op(self._text, part, MARGIN, self.y, p.size, p.color, font)
        self.y -= 2 * mm

    def table(self, t: Table) -> None:
        total = sum(col.weight for col in t.columns) or 1
        widths = [self.inner * col.weight / total for col in t.columns]
        self.need(HEADING_SIZE * 1.6 + 2 * ROW_H)
        self.heading(t)
        self.header(t, widths)
        if not t.rows:
            self.y -= ROW_H
            self.op(self._text, t.empty, MARGIN + 2 * mm, self.y + 1.8 * mm, CELL_SIZE, GREY,
                    self.font)
        for i, row in enumerate(t.rows):
            if self.need(ROW_H):
                self.header(t, widths, cont=True)
            self.y -= ROW_H
            self.op(self._row, row, t.columns, widths, self.y, i % 2 == 1)
        self.op(self._rule, self.y, 0.6)
        self.y -= 6 * mm

    def heading(self, t: Table) -> None:
        self.y -= HEADING_SIZE * 1.5
        self.op(self._text, t.heading, MARGIN, self.y, HEADING_SIZE, t.color or (0, 0, 0),
                self.bold)
        if t.note:
            for part in wrap_to_width(t.note, self.font, 9, self.inner):
                self.y -= 9 * 1.45
                self.op(self._text, part, MARGIN, self.y, 9, GREY, self.font)
        self.y -= 2 * mm

    def header(self, t: Table, widths, cont: bool = False) -> None:
        if cont:
            self.y -= 10 * 1.4
            self.op(self._text, f"{t.heading}（续）", MARGIN, self.y, 10, GREY, self.font)
            self.y -= 1.5 * mm
        self.y -= ROW_H
        self.op(self._header, [c.title for c in t.columns], widths, self.y)

    def finish(self) -> int:
        self.pages.append(self.ops)
        total = len(self.pages)
        for n, ops in enumerate(self.pages, start=1):
            for fn, args in ops:
                fn(*args)
            foot = f"第 {n} 页 / 共 {total} 页"
            self._text(foot, self.width - MARGIN - stringWidth(foot, self.font, 8),
                       MARGIN - 2, 8, GREY, self.font)
            if self.paper.footer:
                self._text(self.paper.footer, MARGIN, MARGIN - 2, 8, GREY, self.font)
            self.c.showPage()
        return total

    # --- drawing -------------------------------------------------------------------------

    def _text(self, text, x, y, size, color, font) -> None:
        c = self.c
        c.setFillColorRGB(*color)
        c.setFont(font, size)
        c.drawString(x, y, text)

    def _centered(self, text, size, y, bold) -> None:
        font = self.bold if bold else self.font
        self.c.setFillColorRGB(0, 0, 0)
        self.c.setFont(font, size)
        self.c.drawCentredString(self.width / 2, y, text)

    def _rule(self, y, width) -> None:
        self.c.setLineWidth(width)
        self.c.setStrokeColorRGB(0, 0, 0)
        self.c.line(MARGIN, y, self.width - MARGIN, y)

    def _width(self, text, font, size) -> float:
        key = (text, font, size)
        width = self._widths.get(key)
        if width is None:
            width = self._widths[key] = stringWidth(text, font, size)
        return width

    def _cell(self, t, text, x, w, y, align, font, size) -> None:
        """One cell's text into the text object ``t`` (one per row: BT/ET once a row)."""
        room = w - 2.4 * mm
        width = self._width(text, font, size)
        scale = 100
        if width > room and width > 0:
            size = max(MIN_SIZE, size * room / width)
            width = stringWidth(text, font, size)
            if width > room:
                scale = 100 * room / width
                width = room
        if align == "right":
            left = x + w - 1.2 * mm - width
        elif align == "center":
            left = x + (w - width) / 2
        else:
            left = x + 1.2 * mm
        t.place(left, y)
        if (font, size) != self._set:
            t.setFont(font, size)
            self._set = (font, size)
        if scale != 100 or self._scaled:
            t.setHorizScale(scale)
            self._scaled = scale != 100
        t.put(text)

    def _cells(self, values, aligns, widths, y, font, size) -> None:
        t = _CellText(self.c)
        self._set, self._scaled = None, False
        x = MARGIN
        for value, align, w in zip(values, aligns, widths):
            self._cell(t, str(value), x, w, y, align, font, size)
            x += w
        self.c.drawText(t)

    def _header(self, titles, widths, y) -> None:
        c = self.c
        c.setFillColorRGB(0.86, 0.86, 0.86)
        c.rect(MARGIN, y, self.inner, ROW_H, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        self._cells(titles, ["center"] * len(titles), widths, y + 1.8 * mm, self.bold, HEAD_SIZE)

    def _row(self, row, columns, widths, y, stripe) -> None:
        c = self.c
        if stripe:
            c.setFillColorRGB(*STRIPE)
            c.rect(MARGIN, y, self.inner, ROW_H, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        self._cells(row, [col.align for col in columns], widths, y + 1.8 * mm, self.font,
                    CELL_SIZE)


def paper_pdf(paper: Paper, extra_pages=None) -> tuple[bytes, int]:
    """The paper as PDF bytes, and its page count. ``extra_pages(canvas, font)`` may draw
    more pages after it (certificates) and returns how many."""
    font = pdf_font().name
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=font)
    c.setTitle(paper.title)
    if paper.author:
        c.setAuthor(paper.author)
    w = _Writer(c, paper, font)
    for block in paper.blocks:
        if isinstance(block, Table):
            w.table(block)
        else:
            w.paragraph(block)
    pages = w.finish()
    if extra_pages is not None:
        pages += extra_pages(c, font)
    c.save()
    return buf.getvalue(), pages
