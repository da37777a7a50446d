"""A grouped bar chart painted with QPainter: a few series over a dozen categories.

Small on purpose (PySide6-Essentials has no QtCharts): large type, a horizontal grid
on round numbers, a legend, the current category shaded, a tooltip per category.
The data and the bar geometry are open to tests (``series()``, ``bar_rects()``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from PySide6.QtCore import QEvent, QLocale, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

EARNED_COLOR = QColor("#1565c0")  # blue and orange stay apart for colour-blind eyes
REDEEMED_COLOR = QColor("#e65100")
GRID_COLOR = QColor("#d0d0d0")
TEXT_COLOR = QColor("#202020")
HIGHLIGHT_COLOR = QColor("#fff3c4")


@dataclass(frozen=True)
class Series:
    name: str
    color: QColor
    values: tuple[int, ...]


def nice_ticks(max_value: float, target: int = 5) -> list[int]:
    """Round-number grid lines from 0 to at least ``max_value`` (steps 1, 2, 5 x 10^k)."""
    if max_value <= 0:
        return [0, 1]
    raw = max_value / target
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    top = math.ceil(max_value / step) * step
    return list(range(0, top + 1, step))


class BarChart(QWidget):
    MARGIN = 12
    BAR_GAP = 0.2  # of a category's width, left free between groups

    def __init__(self, parent=None):
        super().__init__(parent)
        self._labels: list[str] = []
        self._series: list[Series] = []
        self._details: list[str] = []
        self._empty_text = ""
        self._highlight: int | None = None
        self.setMinimumSize(QSize(420, 280))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    # --- data -------------------------------------------------------------------------

    def set_data(self, labels: Sequence[str], series: Sequence[Series],
                 details: Sequence[str] | None = None, highlight: int | None = None) -> None:
        """Categories along the bottom, one bar per series in each; ``details`` are the
        tooltips of the categories, ``highlight`` the category to shade (e.g. this week)."""
        for s in series:
            if len(s.values) != len(labels):
                raise ValueError(f"series {s.name!r} has {len(s.values)} values, "
                                 f"{len(labels)} labels")
        self._labels = list(labels)
        self._series = list(series)
        self._details = list(details) if details is not None else []
        self._highlight = highlight
        self.setAccessibleDescription("; ".join(
            f"{label}: " + ", ".join(f"{s.name} {s.values[i]}" for s in self._series)
            for i, label in enumerate(self._labels)))
        self.update()

    def set_empty_text(self, text: str) -> None:
        """Shown over the chart while every value is zero."""
        self._empty_text = text
        self.update()

    def labels(self) -> list[str]:
        return list(self._labels)

    def series(self) -> list[Series]:
        return list(self._series)

    def ticks(self) -> list[int]:
        return nice_ticks(max((v for s in self._series for v in s.values), default=0))

    def is_empty(self) -> bool:
        return not any(v for s in self._series for v in s.values)

    # --- geometry ---------------------------------------------------------------------

    def _fonts(self) -> tuple[QFont, QFont]:
        axis = QFont(self.font())
        legend = QFont(self.font())
        legend.setBold(True)
        return axis, legend

    def _fmt(self, value: int) -> str:
        return QLocale().toString(int(value))

    def _plot_rect(self) -> QRectF:
        axis, legend = self._fonts()
        fm, lfm = QFontMetrics(axis), QFontMetrics(legend)
        left = self.MARGIN + max((fm.horizontalAdvance(self._fmt(t)) for t in self.ticks()),
                                 default=0) + 10
        top = self.MARGIN + lfm.height() + 14
        bottom = self.height() - self.MARGIN - fm.height() - 8
        right = self.width() - self.MARGIN
        return QRectF(left, top, max(1.0, right - left), max(1.0, bottom - top))

    def _slot(self, plot: QRectF) -> float:
        return plot.width() / max(1, len(self._labels))

    def bar_rects(self) -> list[list[QRectF]]:
        """The bars in widget coordinates, ``[series][category]`` (zero values: height 0)."""
        plot = self._plot_rect()
        top = self.ticks()[-1]
        slot = self._slot(plot)
        n = max(1, len(self._series))
        width = slot * (1 - self.BAR_GAP) / n
        rects = []
        for k, s in enumerate(self._series):
            row = []
            for i, value in enumerate(s.values):
                height = plot.height() * max(0, value) / top
                x = plot.left() + i * slot + slot * self.BAR_GAP / 2 + k * width
                row.append(QRectF(x, plot.bottom() - height, width, height))
            rects.append(row)
        return rects

    def category_at(self, pos: QPointF) -> int | None:
        plot = self._plot_rect()
        if not self._labels or not plot.adjusted(0, 0, 0, self.height()).contains(pos):
            return None
        i = int((pos.x() - plot.left()) // self._slot(plot))
        return i if 0 <= i < len(self._labels) else None

    def tooltip_at(self, pos: QPointF) -> str:
        i = self.category_at(pos)
        if i is None:
            return ""
        if i < len(self._details):
            return self._details[i]
        return "\n".join([self._labels[i]] + [f"{s.name}: {self._fmt(s.values[i])}"
                                               for s in self._series])

    # --- painting -----------------------------------------------------------------------

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), Qt.GlobalColor.white)
        axis, legend = self._fonts()
        fm = QFontMetrics(axis)
        plot = self._plot_rect()
        ticks = self.ticks()
        slot = self._slot(plot)

        if self._highlight is not None and 0 <= self._highlight < len(self._labels):
            p.fillRect(QRectF(plot.left() + self._highlight * slot, plot.top(), slot,
                              plot.height()), HIGHLIGHT_COLOR)

        p.setFont(axis)
        for t in ticks:  # grid and values up the left side
            y = plot.bottom() - plot.height() * t / ticks[-1]
            p.setPen(QPen(GRID_COLOR, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(TEXT_COLOR)
            p.drawText(QRectF(self.MARGIN, y - fm.height() / 2, plot.left() - self.MARGIN - 8,
                              fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self._fmt(t))

        for s, rects in zip(self._series, self.bar_rects()):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(s.color)
            for r in rects:
                if r.height() > 0:
                    p.drawRect(r)

        p.setPen(QPen(TEXT_COLOR, 2))
        p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))

        # Category labels: every one if they fit, else every second, third …
        widest = max((fm.horizontalAdvance(label) for label in self._labels), default=0)
        every = max(1, math.ceil((widest + 8) / max(1.0, slot)))
        last = len(self._labels) - 1
        for i, label in enumerate(self._labels):
            if (last - i) % every:  # count back from the newest, which is always labelled
                continue
            p.drawText(QRectF(plot.left() + i * slot - slot, plot.bottom() + 4, slot * 3,
                              fm.height()), Qt.AlignmentFlag.AlignHCenter, label)

        self._paint_legend(p, legend)
        if self.is_empty() and self._empty_text:
            p.setFont(legend)
            p.setPen(TEXT_COLOR)
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                       self._empty_text)
        p.end()

    def _paint_legend(self, p: QPainter, font: QFont) -> None:
        p.setFont(font)
        fm = QFontMetrics(font)
        box = fm.height() * 0.7
        x = self.width() - self.MARGIN
        for s in reversed(self._series):  # right-aligned, first series leftmost
            x -= fm.horizontalAdvance(s.name)
            p.setPen(TEXT_COLOR)
            p.drawText(QPointF(x, self.MARGIN + fm.ascent()), s.name)
            x -= box + 8
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(s.color)
            p.drawRect(QRectF(x, self.MARGIN + (fm.height() - box) / 2, box, box))
            x -= 24
