"""一周一审核 — the review queue: pending awards grouped by week and activity; approve the
selected, the whole week, or reject with a reason. Below: points earned per category per
month and the review backlog per week (pyqtgraph, as the dashboard draws)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from counter_app.earning import review, stats
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.ops import Op, db_work
from counter_app.ui.common.scale import css, px
from counter_app.ui.common.text import fill
from counter_app.ui.common.widgets import add_button, make_table, show_message
from counter_app.ui.earning.messages import refuse
from counter_app.ui.earning.award_models import QueueModel

PALETTE = ("#c62828", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#795548",
           "#546e7a")


def _load(db):
    with db.read() as s:
        return (review.queue(s), stats.points_by_category_month(s), stats.backlog(s))


def _decide_and_load(db, decide, *args):
    decision = decide(db, *args)
    return decision, _load(db)


class ReviewPage(QWidget):
    loaded = Signal(int)  # number of pending awards shown
    decided = Signal(object)  # review.Decision

    def __init__(self, ctx: UiContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._charts = None
        self.title = QLabel(self.tr("Weekly review"))
        self.title.setStyleSheet(css("font-size: 22pt; font-weight: bold;"))
        self.summary = QLabel()
        self.summary.setObjectName("review_summary")
        self.summary.setStyleSheet(css("font-size: 16pt;"))
        self.model = QueueModel(self)
        self.table = make_table(self.model, "review_queue")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.reason = QLineEdit()
        self.reason.setObjectName("review_reason")
        self.reason.setPlaceholderText(self.tr("Reason for rejecting"))
        buttons = QHBoxLayout()
        add_button(buttons, self.tr("Approve selected"), self.approve_selected,
                   "review_approve")
        add_button(buttons, self.tr("Approve the selected week"), self.approve_week,
                   "review_approve_week")
        buttons.addWidget(self.reason, 1)
        add_button(buttons, self.tr("Reject selected"), self.reject_selected, "review_reject")
        self.message = QLabel()
        self.message.setObjectName("review_message")
        self.message.setWordWrap(True)
        self.chart_area = QHBoxLayout()
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.summary)
        add_button(head, self.tr("Refresh"), self.refresh, "review_refresh")
        layout.addLayout(head)
        layout.addWidget(self.table, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addLayout(self.chart_area, 1)

    def activate(self) -> None:
        self.refresh()

    def focus_input(self) -> None:
        self.table.setFocus()

    def refresh(self) -> None:
        Op(self, db_work(_load), self.ctx.db).success(self._show).run()

    # --- painting ---------------------------------------------------------------------

    def _show(self, loaded) -> None:
        groups, months, backlog = loaded
        pairs = [(g, a) for g in groups for a in g.awards]
        self.model.set_rows(pairs)
        self.summary.setText(fill(self.tr("%1 awards pending, %2 points, in %3 groups"),
                                  len(pairs), sum(a.points for _, a in pairs), len(groups)))
        self._show_charts(months, backlog)
        self.loaded.emit(len(pairs))

    def charts(self):
        if self._charts is None:
            from counter_app.ui.dashboard.weekly_chart import BarChart

            self._charts = (BarChart(), BarChart())
            self._charts[0].setObjectName("review_category_chart")
            self._charts[1].setObjectName("review_backlog_chart")
            for chart, caption in zip(self._charts, (
                    self.tr("Points earned per category per month"),
                    self.tr("Review backlog per week"))):
                box = QVBoxLayout()
                label = QLabel(caption)
                label.setStyleSheet(css("font-size: 16pt; font-weight: bold;"))
                box.addWidget(label)
                # The list to review is the page's work; the charts are context: at
                # 768 px they had taken half the page and left four rows (trial).
                chart.setMinimumHeight(px(130))
                chart.setMaximumHeight(px(210))
                box.addWidget(chart, 1)
                self.chart_area.addLayout(box, 1)
        return self._charts

    def _show_charts(self, months, backlog) -> None:
        from counter_app.ui.dashboard.weekly_chart import Series

        by_category, pending = self.charts()
        labels = [f"{m:%Y-%m}" for m in months.months]
        series = [Series(name, QColor(PALETTE[i % len(PALETTE)]), values)
                  for i, (name, values) in enumerate(months.per_category.items())]
        by_category.set_empty_text(self.tr("No approved awards in these months"))
        by_category.set_data(labels, series)
        pending.set_empty_text(self.tr("Nothing waiting for review"))
        pending.set_data([f"{w.week:%m-%d}" for w in backlog],
                         [Series(self.tr("Pending awards"), QColor(PALETTE[0]),
                                 tuple(w.awards for w in backlog))],
                         [fill(self.tr("Week of %1: %2 awards, %3 points"), w.week, w.awards,
                               w.points) for w in backlog])

    # --- decisions --------------------------------------------------------------------

    def _selected_ids(self) -> list[int]:
        return [self.model.row_at(i.row())[1].id for i in self.table.selectionModel().selectedRows()]

    def approve_selected(self) -> None:
        self._decide(review.approve, self._selected_ids())

    def approve_week(self) -> None:
        """Every pending award of the selected row's week that someone else recorded."""
        picked = self.table.selectionModel().selectedRows()
        if not picked:
            show_message(self.message, self.tr("Select an award of the week first"), error=True)
            return
        week = self.model.row_at(picked[0].row())[0].week
        me = self.ctx.actor.operator_id
        ids = [a.id for g, a in self.model._rows if g.week == week and a.recorded_by != me]
        self._decide(review.approve, ids)

    def reject_selected(self) -> None:
        self._decide(review.reject, self._selected_ids(), self.reason.text())

    def _decide(self, decide, ids, *extra) -> None:
        if not ids:
            show_message(self.message, self.tr("Select the awards first"), error=True)
            return
        Op(self, db_work(_decide_and_load), self.ctx.db, decide, self.ctx.actor, ids, *extra) \
            .progress(fill(self.tr("Reviewing %1 awards…"), len(ids))) \
            .success(self._decided).failure(self._refused).run()

    def _decided(self, result) -> None:
        decision, loaded = result
        self.reason.clear()
        self._show(loaded)
        show_message(self.message, fill(self.tr("%1 awards decided (%2 points)"),
                                        len(decision.award_ids), decision.points))
        self.decided.emit(decision)

    def _refused(self, exc: BaseException) -> None:
        refuse(self, self.message, exc)
