"""The member's points history on the members page: kind and date filters, the table,
and a summary line. The page says whose history to show; the export is the page's."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget,
)

from counter_app import member_profiles
from counter_app.db.models import EntryKind
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.history_model import COL_NOTE, HistoryModel, kind_text
from counter_app.ui.common.widgets import add_button, make_table
from counter_app.ui.common.ops import Op
from counter_app.ui.common.text import fill
from counter_app.ui.common.scale import css, px


class MemberHistoryPanel(QWidget):
    loaded = Signal(int)  # number of history rows painted
    changed = Signal()  # the rows changed (cleared or painted): the page updates its buttons
    failed = Signal(object)  # the exception of a failed load

    def __init__(self, ctx: UiContext, export_slot, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.member_id: int | None = None
        self._request = 0

        self.kind = QComboBox()
        self.kind.setObjectName("history_kind")
        self.kind.setMinimumHeight(px(44))
        self.kind.addItem(self.tr("All kinds"), None)
        for kind in EntryKind:
            self.kind.addItem(kind_text(kind), str(kind))
        self.kind.currentIndexChanged.connect(self.load)
        self.use_dates = QCheckBox(self.tr("Dates"))
        self.use_dates.setObjectName("history_use_dates")
        self.use_dates.toggled.connect(self._dates_toggled)
        today = QDate.currentDate()
        self.date_from = self._date_edit("history_from", QDate(today.year(), 1, 1))
        self.date_to = self._date_edit("history_to", today)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        filters = QHBoxLayout()
        history_title = QLabel(self.tr("History"))
        history_title.setStyleSheet(css("font-size: 18pt; font-weight: bold;"))
        filters.addWidget(history_title)
        filters.addSpacing(8)
        filters.addWidget(self.kind)
        filters.addSpacing(8)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("–"))
        filters.addWidget(self.date_to)
        filters.addStretch(1)
        self.export_button = add_button(filters, self.tr("Export (Ctrl+S)…"), export_slot,
                                        "export_history_button")

        self.model = HistoryModel(self)
        self.table = make_table(self.model, "members_history")
        self.table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.table.horizontalHeader().setSectionResizeMode(
            COL_NOTE, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.summary.setObjectName("history_summary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(css("font-size: 15pt;"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

    def _date_edit(self, name: str, day: QDate) -> QDateEdit:
        edit = QDateEdit(day)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumHeight(px(44))
        edit.dateChanged.connect(lambda _day: self.use_dates.isChecked() and self.load())
        return edit

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.load()

    def show_none(self) -> None:
        """No member: nothing to show, and a hint how to get something."""
        self.member_id = None
        self._request += 1  # drop history on its way
        self.model.clear()
        self.summary.setText(self.tr("Find a member above to see their details "
                                     "and points history."))

    def show_member(self, member_id: int) -> None:
        """The history of this member (again, e.g. after a change)."""
        if member_id != self.member_id:
            self.model.clear()
        self.member_id = member_id
        self.load()

    def history_filter(self) -> tuple[list[str] | None, date | None, date | None]:
        kind = self.kind.currentData()
        if not self.use_dates.isChecked():
            return ([kind] if kind else None), None, None
        return ([kind] if kind else None), self.date_from.date().toPython(), \
            self.date_to.date().toPython()

    def load(self, *_args) -> None:
        if self.member_id is None:
            return
        kinds, first, last = self.history_filter()
        if first and last and first > last:
            self.model.clear()
            self.summary.setText(self.tr("The start date is after the end date."))
            self.changed.emit()
            return
        self._request += 1
        request = self._request
        Op(self, member_profiles.load_history, self.ctx.db, self.member_id, kinds,
           first, last).success(lambda page: self._show(request, page)) \
            .failure(self.failed.emit).run()

    def _show(self, request: int, page: member_profiles.HistoryPage) -> None:
        if request != self._request:
            return  # the filter or the member changed meanwhile
        self.model.set_rows(page.rows, page.operator_names, page.source_names)
        gained = sum(r.delta for r in page.rows if r.delta > 0)
        spent = -sum(r.delta for r in page.rows if r.delta < 0)
        if not page.rows:
            summary = self.tr("No entries for this choice.")
        else:
            summary = fill(self.tr("%1 entries: +%2 points in, −%3 points out."),
                           len(page.rows), f"{gained:,}", f"{spent:,}")
        if page.truncated:
            summary += " " + fill(self.tr("Only the newest %1 are shown; choose dates to see "
                                     "older ones."), str(len(page.rows)))
        self.summary.setText(summary)
        self.changed.emit()
        self.loaded.emit(len(page.rows))
