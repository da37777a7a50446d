"""A grouped bar chart on pyqtgraph: a few series over a dozen categories.

pyqtgraph (works on PySide6-Essentials, which has no QtCharts) draws; this module only
says what: one ``BarGraphItem`` per series, round-number grid lines, a legend, the
current category shaded, a tooltip per category, large type. Importing pyqtgraph takes
a while: the dashboard imports this module only when its page is first shown.
The data is open to tests (``series()``, ``bar_items()``, ``bar_rects()``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QLocale, QPointF, QRectF, QSize
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QSizePolicy, QToolTip

from counter_app.ui.dashboard.chart_colors import EARNED_COLOR, REDEEMED_COLOR  # noqa: F401

GRID_COLOR = QColor("#d0d0d0")
TEXT_COLOR = QColor("#202020")
HIGHLIGHT_COLOR = QColor("#fff3c4")
BAR_GAP = 0.2  # of a category's width, left free between groups


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


def bar_positions(n_series: int, n_categories: int) -> tuple[float, list[list[float]]]:
    """Bar width and the centre of each bar, ``[series][category]``; category i spans
    i - 0.5 … i + 0.5 on the x axis."""
    n = max(1, n_series)
    width = (1 - BAR_GAP) / n
    return width, [[i - (1 - BAR_GAP) / 2 + (k + 0.5) * width for i in range(n_categories)]
                   for k in range(n_series)]


class BarChart(pg.PlotWidget):
    def __init__(self, parent=None):
        super().__init__(parent, background="w")
        self._labels: list[str] = []
        self._series: list[Series] = []
        self._details: list[str] = []
        self._empty_text = ""
        self._highlight: int | None = None
        self._bars: list[pg.BarGraphItem] = []
        item = self.getPlotItem()
        item.setMouseEnabled(x=False, y=False)  # a picture to read, not to pan
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(x=False, y=True, alpha=0.35)
        item.setContentsMargins(4, 8, 32, 4)  # room for the newest week's label at the right
        self._legend = item.addLegend(offset=(-10, 5), labelTextColor=TEXT_COLOR,
                                      labelTextSize=f"{self.font().pointSizeF():.0f}pt")
        self._shade = pg.BarGraphItem(x=[], height=[], width=1.0, brush=HIGHLIGHT_COLOR,
                                      pen=pg.mkPen(None))
        self._shade.setZValue(-10)
        item.addItem(self._shade)
        self._empty = pg.TextItem(color=TEXT_COLOR, anchor=(0.5, 0.5))
        item.addItem(self._empty, ignoreBounds=True)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setTextPen(pg.mkPen(TEXT_COLOR))
            axis.setPen(pg.mkPen(TEXT_COLOR))
            # the newest week's label sits at the right end: do not drop it as "overflowing"
            axis.setStyle(tickFont=QFont(self.font()), hideOverlappingLabels=False)
        self.setMinimumSize(QSize(420, 280))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

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
        self._redraw()

    def set_empty_text(self, text: str) -> None:
        """Shown over the chart while every value is zero."""
        self._empty_text = text
        self._redraw()

    def labels(self) -> list[str]:
        return list(self._labels)

    def series(self) -> list[Series]:
        return list(self._series)

    def ticks(self) -> list[int]:
        return nice_ticks(max((v for s in self._series for v in s.values), default=0))

    def is_empty(self) -> bool:
        return not any(v for s in self._series for v in s.values)

    def bar_items(self) -> list[pg.BarGraphItem]:
        """The pyqtgraph items, one per series, in series order."""
        return list(self._bars)

    # --- drawing (pyqtgraph items) -------------------------------------------------------

    def _redraw(self) -> None:
        item = self.getPlotItem()
        for bar in self._bars:
            item.removeItem(bar)
        self._bars = []
        self._legend.clear()
        width, centres = bar_positions(len(self._series), len(self._labels))
        for s, xs in zip(self._series, centres):
            bar = pg.BarGraphItem(x=xs, height=list(s.values), width=width, brush=s.color,
                                  pen=pg.mkPen(None), name=s.name)
            item.addItem(bar)  # named: the legend lists it by itself
            self._bars.append(bar)
        ticks = self.ticks()
        top = ticks[-1]
        left = item.getAxis("left")
        left.setTicks([[(t, self._fmt(t)) for t in ticks], []])
        left.setWidth(max(self.fontMetrics().horizontalAdvance(self._fmt(t)) for t in ticks) + 16)
        item.layout.invalidate()  # else the new width waits for the next resize
        item.layout.activate()
        item.getAxis("bottom").setTicks([self._category_ticks(), []])
        n = max(1, len(self._labels))
        item.setXRange(-0.5, n - 0.5, padding=0)
        self._legend.setColumnCount(max(1, len(self._series)))  # one row, above the bars
        self._top = top
        self._fit_y()
        self._empty.setText(self._empty_text if self.is_empty() else "")
        self._empty.setPos((n - 1) / 2, top / 2)

    def _fit_y(self) -> None:
        """The y range with room above the highest tick for the legend, however short the
        chart (trial: on the review page at 768 px the legend covered the bars)."""
        item = self.getPlotItem()
        top = self.__dict__.get("_top")
        if item is None or not top:
            return
        plot_h = item.getViewBox().height()
        legend_h = self._legend.boundingRect().height() + 6
        room = 1 / max(0.4, 1 - legend_h / plot_h) if plot_h > 0 else 1.12
        ceiling = top * max(1.12, room)
        item.setYRange(0, ceiling, padding=0)
        if self._highlight is not None and 0 <= self._highlight < len(self._labels):
            self._shade.setOpts(x=[self._highlight], height=[ceiling], width=1.0)
        else:
            self._shade.setOpts(x=[], height=[], width=1.0)

    def legend_rect(self) -> QRectF:
        """The legend as drawn, in widget coordinates (tests)."""
        return self.viewportTransform().mapRect(self._legend.sceneBoundingRect())

    def _category_ticks(self) -> list[tuple[float, str]]:
        """Every label if they fit, else every second, third … counted back from the
        newest, which is always labelled."""
        if not self._labels:
            return []
        fm = self.fontMetrics()
        widest = max(fm.horizontalAdvance(label) for label in self._labels)
        slot = max(1.0, (self.width() - 80) / len(self._labels))
        every = max(1, math.ceil((widest + 8) / slot))
        last = len(self._labels) - 1
        return [(i, label) for i, label in enumerate(self._labels) if not (last - i) % every]

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # also called while PlotWidget.__init__ runs and after close() dropped the plot
        if self.__dict__.get("_labels") and self.getPlotItem() is not None:
            self.getPlotItem().getAxis("bottom").setTicks([self._category_ticks(), []])
            self._fit_y()

    @staticmethod
    def _fmt(value: int) -> str:
        return QLocale().toString(int(value))

    # --- geometry in widget coordinates (tooltips, tests) ------------------------------

    def _view_to_widget(self, rect: QRectF) -> QRectF:
        vb = self.getPlotItem().getViewBox()
        return self.viewportTransform().mapRect(vb.mapViewToScene(rect).boundingRect())

    def bar_rects(self) -> list[list[QRectF]]:
        """The bars as drawn, ``[series][category]``, in widget coordinates."""
        width, centres = bar_positions(len(self._series), len(self._labels))
        return [[self._view_to_widget(QRectF(x - width / 2, 0, width, v)).normalized()
                 for x, v in zip(xs, s.values)] for s, xs in zip(self._series, centres)]

    def category_at(self, pos: QPointF) -> int | None:
        if not self.__dict__.get("_labels") or self.getPlotItem() is None:
            return None
        vb = self.getPlotItem().getViewBox()
        plot = self.viewportTransform().mapRect(vb.sceneBoundingRect())
        if not plot.adjusted(0, 0, 0, self.height()).contains(pos):
            return None  # the bars' area and the labels below it
        x = vb.mapSceneToView(self.mapToScene(pos.toPoint())).x()
        i = math.floor(x + 0.5)
        return i if 0 <= i < len(self._labels) else None

    def tooltip_at(self, pos: QPointF) -> str:
        i = self.category_at(pos)
        if i is None:
            return ""
        if i < len(self._details):
            return self._details[i]
        return "\n".join([self._labels[i]] + [f"{s.name}: {self._fmt(s.values[i])}"
                                               for s in self._series])

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)
