"""A4 table documents: goods-received notes, count sheets, variance reports, merchant
settlements, stock reports. A title, a few lines of facts, one or more tables (header
repeated on every page), page numbers, and signature lines at the end.

Rendered in memory and returned as bytes; callers write them with
cli.command.write_output (all at once, never half a PDF).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from counter_app.documents.fonts import pdf_font
from counter_app.documents.pdfdraw import draw_text, wrap_to_width

MARGIN = 15 * mm
ROW = 6.5 * mm
SIZE = 10


@dataclass
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence]
    widths: Sequence[float]  # relative
    title: str | None = None
    right: frozenset[int] = frozenset()  # right-aligned columns (numbers)
    total: Sequence | None = None


@dataclass
class Document:
    title: str
    facts: Sequence[str] = ()
    tables: Sequence[Table] = ()
    signatures: Sequence[str] = ()
    notes: Sequence[str] = field(default_factory=tuple)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def render(doc: Document) -> bytes:
    font = pdf_font().name
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=font)
    c.setTitle(doc.title)
    page_w, page_h = A4
    inner = page_w - 2 * MARGIN
    state = {"page": 1, "y": page_h - MARGIN}

    def footer():
        draw_text(c, page_w / 2, MARGIN / 2, f"{doc.title} · 第 {state['page']} 页", font, 8,
                  align="center")

    def new_page():
        footer()
        c.showPage()
        state["page"] += 1
        state["y"] = page_h - MARGIN

    def need(height: float) -> bool:
        if state["y"] - height < MARGIN:
            new_page()
            return True
        return False

    def line(text: str, size: float = SIZE, bold: bool = False, gap: float = 1.5):
        need(size * gap)
        state["y"] -= size * gap
        draw_text(c, MARGIN, state["y"], text, font, size, bold=bold)

    line(doc.title, 16, bold=True)
    state["y"] -= 2 * mm
    for fact in doc.facts:
        for part in wrap_to_width(fact, font, SIZE, inner):
            line(part)
    for table in doc.tables:
        state["y"] -= 3 * mm
        if table.title:
            line(table.title, 12, bold=True)
        total_w = sum(table.widths)
        xs, x = [], MARGIN
        for w in table.widths:
            xs.append(x)
            x += inner * w / total_w
        xs.append(MARGIN + inner)

        def fit(text: str, width: float) -> list[str]:
            if stringWidth(text, font, SIZE) <= width:  # most cells: no wrapping to do
                return [text]
            return wrap_to_width(text, font, SIZE, width) or [""]

        def row(values, bold=False):
            cells = [fit(_cell(v), xs[i + 1] - xs[i] - 2 * mm) for i, v in enumerate(values)]
            height = ROW + (max(len(cl) for cl in cells) - 1) * SIZE * 1.2
            if need(height):
                header()
            top = state["y"]
            for i, lines in enumerate(cells):
                for k, text in enumerate(lines):
                    y = top - SIZE * 1.25 - k * SIZE * 1.2
                    if i in table.right:
                        draw_text(c, xs[i + 1] - 1 * mm, y, text, font, SIZE, bold=bold,
                                  align="right")
                    else:
                        draw_text(c, xs[i] + 1 * mm, y, text, font, SIZE, bold=bold)
            state["y"] = top - height
            c.setLineWidth(0.3)
            c.line(MARGIN, state["y"], MARGIN + inner, state["y"])

        def header():
            row(table.headers, bold=True)

        header()
        for values in table.rows:
            row(values)
        if not table.rows:
            row(["（无）"] + [""] * (len(table.headers) - 1))
        if table.total is not None:
            row(table.total, bold=True)
    for note in doc.notes:
        state["y"] -= 1 * mm
        for part in wrap_to_width(note, font, 9, inner):
            line(part, 9)
    if doc.signatures:
        need(20 * mm)
        state["y"] -= 14 * mm
        step = inner / len(doc.signatures)
        for i, who in enumerate(doc.signatures):
            draw_text(c, MARGIN + i * step, state["y"], f"{who}：____________", font, SIZE)
    footer()
    c.save()
    return buf.getvalue()
