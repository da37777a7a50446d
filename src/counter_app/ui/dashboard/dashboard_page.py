"""看板 — the staff dashboard: today in big figures, goods running low, points per week."""

from __future__ import annotations

import logging
from datetime import UTC

from PySide6.QtCore import QDate, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QTableView, QVBoxLayout, QWidget,
)

from counter_app.errors import CounterError
from counter_app.reports import dashboard
from counter_app.reports.dashboard import LOW_STOCK_THRESHOLD, WEEKS, Dashboard
from counter_app.ui.common.context import UiContext
from counter_app.ui.dashboard.low_stock_model import COL_CATEGORY, COL_NAME, COL_QTY, LowStockModel
from counter_app.ui.common.ops import Op
from counter_app.ui.common.text import fill
from counter_app.ui.dashboard.chart_colors import EARNED_COLOR, REDEEMED_COLOR
from counter_app.ui.common.scale import css, px

log = logging.getLogger(__name__)

AUTO_REFRESH_MS = 120_000  # while the page is on screen
ALERT_COLOR = "#b00020"


def _qdate(d) -> QDate:
    return QDate(d.year, d.month, d.day)


class FigureTile(QFrame):
    """One big number with its caption underneath."""

    def __init__(self, name: str, caption: str, color: str, parent=None):
        super().__init__(parent)
        self.setObjectName(name)
        self._color = color
        self.setStyleSheet(css(f"#{name} {{ background: #ffffff; border: 1px solid #c8c8c8; "
                           f"border-radius: 8px; }}"))
        self.value = QLabel("–")
        self.value.setObjectName(f"{name}_value")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel(caption)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet(css("font-size: 16pt; color: #404040; border: none;"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.set_color(color)

    def set_color(self, color: str) -> None:
        self.value.setStyleSheet(css(f"font-size: 38pt; font-weight: bold; color: {color}; "
                                     f"border: none;"))

    def set_value(self, value: int) -> None:
        self.value.setText(QLocale().toString(int(value)))
        self.setAccessibleName(f"{self.caption.text()}: {value}")


class DashboardPage(QWidget):
    loaded = Signal(object)  # Dashboard, once painted
    load_failed = Signal(str)

    def __init__(self, ctx: UiContext, parent=None, *, threshold: int = LOW_STOCK_THRESHOLD,
                 weeks: int = WEEKS):
        super().__init__(parent)
        self.ctx = ctx
        self.threshold = threshold
        self.weeks = weeks
        self.board: Dashboard | None = None
        self._loading = False
        self._again = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # so F5 works when the page is shown

        self.title = QLabel(self.tr("Today"))
        self.title.setObjectName("dashboard_title")
        self.title.setStyleSheet(css("font-size: 22pt; font-weight: bold;"))
        self.updated = QLabel()
        self.updated.setObjectName("dashboard_updated")
        self.updated.setStyleSheet(css("font-size: 14pt; color: #606060;"))
        self.refresh_button = QPushButton(self.tr("Refresh (F5)"))
        self.refresh_button.setObjectName("dashboard_refresh")
        self.refresh_button.setMinimumHeight(px(52))
        self.refresh_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.refresh_button.clicked.connect(self.refresh)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.updated)
        head.addWidget(self.refresh_button)

        self.message = QLabel()
        self.message.setObjectName("dashboard_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(css(f"font-size: 16pt; color: {ALERT_COLOR};"))
        self.message.hide()

        self.redemptions_tile = FigureTile("tile_redemptions", self.tr("Redemptions today"),
                                           "#202020")
        self.redeemed_tile = FigureTile("tile_points_redeemed", self.tr("Points redeemed today"),
                                        REDEEMED_COLOR.name())
        self.awarded_tile = FigureTile("tile_points_awarded", self.tr("Points awarded today"),
                                       EARNED_COLOR.name())
        self.low_tile = FigureTile("tile_low_stock", self.tr("Goods running low"), "#202020")
        tiles = QGridLayout()
        tiles.setSpacing(12)
        for n, tile in enumerate((self.redemptions_tile, self.redeemed_tile, self.awarded_tile,
                                  self.low_tile)):
            tiles.addWidget(tile, 0, n)
            tiles.setColumnStretch(n, 1)

        self.chart_title = QLabel(self.tr("Points earned and redeemed per week"))
        self.chart_title.setStyleSheet(css("font-size: 18pt; font-weight: bold;"))
        self.week_summary = QLabel()
        self.week_summary.setObjectName("dashboard_week_summary")
        self.week_summary.setStyleSheet(css("font-size: 15pt;"))
        self.week_summary.setWordWrap(True)
        self._chart = None  # built with the first figures: pyqtgraph loads slowly
        self.chart_area = QVBoxLayout()
        self.chart_area.setContentsMargins(0, 0, 0, 0)
        chart_box = QVBoxLayout()
        chart_box.addWidget(self.chart_title)
        chart_box.addWidget(self.week_summary)
        chart_box.addLayout(self.chart_area, 1)

        self.low_title = QLabel()
        self.low_title.setStyleSheet(css("font-size: 18pt; font-weight: bold;"))
        self.low_title.setWordWrap(True)
        self.low_model = LowStockModel(self)
        self.low_view = QTableView()
        self.low_view.setObjectName("dashboard_low_stock")
        self.low_view.setModel(self.low_model)
        self.low_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.low_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.low_view.setAlternatingRowColors(True)
        self.low_view.setStyleSheet(css("QTableView { font-size: 15pt; } "
                                    "QHeaderView::section { font-size: 14pt; padding: 4px; }"))
        self.low_view.verticalHeader().hide()
        self.low_view.verticalHeader().setDefaultSectionSize(px(40))
        header = self.low_view.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_CATEGORY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_QTY, QHeaderView.ResizeMode.ResizeToContents)
        self.low_empty = QLabel(self.tr("Nothing is running low."))
        self.low_empty.setObjectName("dashboard_low_empty")
        self.low_empty.setStyleSheet(css("font-size: 16pt; color: #0b6e2e;"))
        self.low_empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.low_empty.hide()
        low_box = QVBoxLayout()
        low_box.addWidget(self.low_title)
        low_box.addWidget(self.low_empty)
        low_box.addWidget(self.low_view, 1)
        low_box.addStretch(0)  # takes the room while the table is hidden
        self._low_box = low_box

        body = QHBoxLayout()
        body.setSpacing(18)
        body.addLayout(chart_box, 2)
        body.addLayout(low_box, 1)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(head)
        layout.addWidget(self.message)
        layout.addLayout(tiles)
        layout.addLayout(body, 1)
        self._set_low_title(0)

        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.timer = QTimer(self)
        self.timer.setInterval(AUTO_REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    @property
    def chart(self):
        """The weekly bar chart (ui/dashboard/weekly_chart.py), made on first use."""
        if self._chart is None:
            from counter_app.ui.dashboard.weekly_chart import BarChart

            self._chart = BarChart()
            self._chart.setObjectName("dashboard_chart")
            self._chart.set_empty_text(self.tr("No points earned or redeemed in these weeks."))
            self.chart_area.addWidget(self._chart)
            self._chart.show()
        return self._chart

    # --- page life -------------------------------------------------------------------

    def activate(self) -> None:
        self.focus_input()
        self.refresh()

    def focus_input(self) -> None:
        """The page's focus target (no input box: the page itself, so F5 works)."""
        self.setFocus()

    def refresh(self) -> None:
        """Reload every figure in the background; a request while loading runs after it."""
        if self._loading:
            self._again = True
            return
        self._loading = True
        self.refresh_button.setEnabled(False)
        Op(self, dashboard.load, self.ctx.db, self.ctx.counter.id, threshold=self.threshold,
           weeks=self.weeks).progress(self.tr("Loading the figures…"), after_ms=800) \
            .success(self._loaded).failure(self._failed).run()

    def is_loading(self) -> bool:
        return self._loading

    def _tick(self) -> None:
        if self.isVisible() and not self._loading:
            self.refresh()

    def _finish(self) -> None:
        self._loading = False
        self.refresh_button.setEnabled(True)
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, CounterError):
            detail = str(exc)
        else:
            log.error("dashboard load failed", exc_info=(type(exc), exc, exc.__traceback__))
            detail = self.tr("see the log file")
        text = fill(self.tr("Could not load the figures (%1). Press F5 to try again."), detail)
        self.message.setText(text)
        self.message.show()
        self.ctx.show_status(text)
        self.load_failed.emit(text)
        self._finish()

    def _loaded(self, board: Dashboard) -> None:
        self.show_board(board)
        self.loaded.emit(board)
        self._finish()

    # --- painting ----------------------------------------------------------------------

    def show_board(self, board: Dashboard) -> None:
        self.board = board
        locale = QLocale()
        self.message.hide()
        self.title.setText(fill(self.tr("Today, %1"), locale.toString(
            _qdate(board.today.day), QLocale.FormatType.LongFormat)))
        local = board.as_of.replace(tzinfo=UTC).astimezone()
        self.updated.setText(fill(self.tr("Updated %1"), local.strftime("%H:%M")))

        self.redemptions_tile.set_value(board.today.redemptions)
        self.redeemed_tile.set_value(board.today.points_redeemed)
        self.awarded_tile.set_value(board.today.points_awarded)
        low = len(board.low_stock)
        self.low_tile.set_value(low)
        self.low_tile.set_color(ALERT_COLOR if low else "#0b6e2e")

        self.low_model.set_rows(board.low_stock)
        self._set_low_title(board.threshold)
        self.low_view.setVisible(bool(board.low_stock))
        self.low_empty.setVisible(not board.low_stock)
        self._low_box.setStretch(self._low_box.count() - 1, 0 if board.low_stock else 1)

        self._show_weeks(board)

    def _set_low_title(self, threshold: int) -> None:
        self.low_title.setText(fill(self.tr("Goods with %1 or fewer left"), str(threshold)))

    def _show_weeks(self, board: Dashboard) -> None:
        from counter_app.ui.dashboard.weekly_chart import Series

        locale = QLocale()
        short = self.tr("M/d")  # a date format: translators may write M月d日
        labels, details = [], []
        for w in board.weeks:
            labels.append(locale.toString(_qdate(w.start), short))
            details.append(
                fill(self.tr("Week %1 – %2\nEarned: %3 points\nRedeemed: %4 points"),
                     locale.toString(_qdate(w.start), short), locale.toString(_qdate(w.end), short),
                     locale.toString(w.earned), locale.toString(w.redeemed)))
        series = [
            Series(self.tr("Earned"), EARNED_COLOR, tuple(w.earned for w in board.weeks)),
            Series(self.tr("Redeemed"), REDEEMED_COLOR, tuple(w.redeemed for w in board.weeks)),
        ]
        self.chart.set_data(labels, series, details, highlight=len(labels) - 1)
        self.chart_title.setText(fill(
            self.tr("Points earned and redeemed per week (last %1 weeks)"), len(board.weeks)))
        current = board.weeks[-1]
        self.week_summary.setText(
            fill(self.tr("This week (from %1, shaded): earned %2 points, redeemed %3 points."),
                 locale.toString(_qdate(current.start), short), locale.toString(current.earned),
                 locale.toString(current.redeemed)))
