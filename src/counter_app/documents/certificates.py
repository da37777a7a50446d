"""Certificates (荣誉证书), one to a landscape A4 page, drawn after the honours list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from counter_app.documents.pdfdraw import draw_text, fit_text, wrap_to_width

RED = (0.72, 0.07, 0.07)
GOLD = (0.75, 0.58, 0.2)


@dataclass(frozen=True)
class Certificate:
    to: str  # 张三 / 阳光花园 / 幸福物业公司
    reason: str  # the sentence before the title: "在2026年度……获得积分 120 分，"
    title: str  # 积分之星


def _draw(c, cert: Certificate, community: str, issued: date, font: str) -> None:
    w, h = landscape(A4)
    c.setPageSize((w, h))
    c.saveState()
    c.setStrokeColorRGB(*RED)
    c.setLineWidth(3)
    c.rect(12 * mm, 12 * mm, w - 24 * mm, h - 24 * mm)
    c.setStrokeColorRGB(*GOLD)
    c.setLineWidth(1)
    c.rect(16 * mm, 16 * mm, w - 32 * mm, h - 32 * mm)
    c.restoreState()
    draw_text(c, w / 2, h - 52 * mm, "荣 誉 证 书", font, 40, bold=True, align="center", color=RED)
    size, lines = fit_text(f"{cert.to}：", font, 24, w - 70 * mm, 1, 14)
    draw_text(c, 35 * mm, h - 82 * mm, lines[0], font, size, bold=True)
    body = f"{cert.reason}被评为“{cert.title}”。特发此证，以资鼓励。"
    y = h - 100 * mm
    for line in wrap_to_width(body, font, 18, w - 80 * mm):
        draw_text(c, 45 * mm, y, line, font, 18)
        y -= 18 * 1.6
    draw_text(c, w - 40 * mm, 48 * mm, community, font, 18, align="right")
    draw_text(c, w - 40 * mm, 38 * mm, f"{issued.year}年{issued.month}月{issued.day}日", font, 16,
              align="right")
    c.showPage()


def certificate_pages(certs: Sequence[Certificate], community: str, issued: date):
    """An ``extra_pages`` callable for documents.paper.paper_pdf."""
    def draw(c, font: str) -> int:
        for cert in certs:
            _draw(c, cert, community, issued, font)
        return len(certs)

    return draw
