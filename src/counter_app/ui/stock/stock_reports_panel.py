"""库存报表 — the stock reports for staff, as on the CLI (``counter-app stock report``):
stock on hand with its value in points, movements of the period by kind and source,
donations per merchant; saved as PDF or .xlsx into the documents folder.

The period is chosen by two dates or a quick choice (this month, last month); the report is
computed on the database worker while a busy bar shows, and the file written whole.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget,
)

from counter_app.errors import CounterError
from counter_app.ui.common.ops import Op
from counter_app.ui.common.scale import css, px
from counter_app.ui.common.text import fill
from counter_app.ui.common.widgets import add_button, show_message
from counter_app.ui.stock import stock_calls


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class StockReportsPanel(QWidget):
    written = Signal(object)  # Path of the report written
    failed = Signal(str)  # the message shown

    def __init__(self, ctx, out_dir: Path | None = None, today=None, parent=None):
        super().__init__(parent)
        self.setObjectName("stock_reports")
        self.ctx = ctx
        self.out_dir = out_dir
        self._today = today  # tests pin the day; else the local date now
        title = QLabel(self.tr("Stock reports"))
        title.setStyleSheet(css("font-size: 18pt; font-weight: bold;"))
        explain = QLabel(self.tr("Stock on hand with its value in points, movements of the "
                                 "period by kind and source, donations per merchant."))
        explain.setWordWrap(True)
        self.period = QComboBox()
        self.period.setObjectName("stock_reports_period")
        self.period.addItem(self.tr("This month"), "this")
        self.period.addItem(self.tr("Last month"), "last")
        self.period.addItem(self.tr("Chosen dates"), "dates")
        self.period.currentIndexChanged.connect(self._period_changed)
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for widget, name in ((self.date_from, "stock_reports_from"),
                             (self.date_to, "stock_reports_to")):
            widget.setObjectName(name)
            widget.setCalendarPopup(True)
            widget.setDisplayFormat("yyyy-MM-dd")
            widget.setMinimumHeight(px(44))
        dates = QHBoxLayout()
        dates.addWidget(self.period)
        for label, widget in ((self.tr("From"), self.date_from), (self.tr("To"), self.date_to)):
            dates.addWidget(QLabel(label))
            dates.addWidget(widget)
        dates.addStretch(1)
        buttons = QHBoxLayout()
        self.pdf_button = add_button(buttons, self.tr("Save as PDF"),
                                     lambda: self.save(".pdf"), "stock_reports_pdf")
        self.xlsx_button = add_button(buttons, self.tr("Save as Excel (.xlsx)"),
                                      lambda: self.save(".xlsx"), "stock_reports_xlsx")
        buttons.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setObjectName("stock_reports_progress")
        self.progress.setRange(0, 0)  # busy: the worker does not report steps
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(px(16))
        self.progress.hide()
        self.message = QLabel()
        self.message.setObjectName("stock_reports_message")
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(px(40))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(explain)
        layout.addLayout(dates)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self._period_changed()

    def today(self) -> date:
        if self._today is not None:
            return self._today
        from counter_app.clock import now_utc
        from counter_app.localtime import local_date

        return local_date(now_utc())

    def _period_changed(self) -> None:
        choice = self.period.currentData()
        today = self.today()
        if choice == "this":
            first, last = today.replace(day=1), today
        elif choice == "last":
            last = today.replace(day=1) - timedelta(days=1)
            first = last.replace(day=1)
        else:
            first, last = self.chosen()
        self.date_from.setDate(_qdate(first))
        self.date_to.setDate(_qdate(last))
        for widget in (self.date_from, self.date_to):
            widget.setEnabled(choice == "dates")

    def chosen(self) -> tuple[date, date]:
        return self.date_from.date().toPython(), self.date_to.date().toPython()

    def save(self, suffix: str) -> None:
        d_from, d_to = self.chosen()
        if d_from > d_to:
            self._refused(fill(self.tr("The start date %1 is after the end date %2"),
                               d_from.isoformat(), d_to.isoformat()))
            return
        from counter_app.config import data_dir

        folder = self.out_dir or data_dir() / "documents"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._refused(fill(self.tr("Cannot create the folder %1 (%2)"), str(folder),
                               exc.strerror or str(exc)))
            return
        out = folder / f"库存报表-{d_from:%Y%m%d}-{d_to:%Y%m%d}{suffix}"
        self._busy(True)
        show_message(self.message, self.tr("Computing the stock report…"))
        Op(self, stock_calls.stock_report_file, self.ctx.db, self.ctx.counter.id, d_from, d_to,
           out).success(self._done).failure(self._failed).run()

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.pdf_button.setEnabled(not busy)
        self.xlsx_button.setEnabled(not busy)

    def _done(self, path) -> None:
        self._busy(False)
        show_message(self.message, fill(self.tr("Stock report written: %1"), str(path)))
        self.written.emit(path)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        if not isinstance(exc, CounterError):
            raise exc
        self._refused(str(exc))

    def _refused(self, text: str) -> None:
        show_message(self.message, text, error=True)
        self.failed.emit(text)
