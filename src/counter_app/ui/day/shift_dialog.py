"""The shift summary at a handover: shown to the volunteer who logs out and to the one who
logs in next (the same stored summary), printable; the outgoing one may also close the
day (日结) from here, which prints the day's report, syncs and backs up."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QPushButton, QTextEdit, QVBoxLayout,
)

from counter_app.documents.day_slips import day_close_slip, shift_slip
from counter_app.documents.slip import COLUMNS
from counter_app.errors import CounterError
from counter_app.localtime import to_local
from counter_app.ui.common.ops import Op, db_work
from counter_app.ui.common.scale import css, px
from counter_app.ui.common.text import fill, slip_html
from counter_app.ui.day.slip_output import render_slip, show_slip


def close_day_and_follow_up(db, actor) -> tuple:
    """Worker: close today (or get the stored close), then sync and back up once."""
    from counter_app import backup_schedule
    from counter_app.day import day_close

    closed = day_close.close_day(db, actor)
    notes = []
    if closed.new:
        notes.append(day_close.sync_after_close(db, closed))
        notes.append(backup_schedule.backup_after_close(db))
    supplement = None if closed.new else day_close.after_close(db, closed.report)
    return closed, notes, supplement


class ShiftSummaryDialog(QDialog):
    printed = Signal(object)  # what render_slip returned
    day_closed = Signal(object)  # day_close.Closed

    def __init__(self, summary, *, incoming: bool, receipts, db=None, actor=None,
                 parent=None):
        super().__init__(parent)
        self.summary, self.receipts, self.db, self.actor = summary, receipts, db, actor
        self._notes: list[str] = []  # what closing the day reported (sync, backup)
        self.setObjectName("shift_summary")
        self.setWindowTitle(self.tr("Shift summary"))
        layout = QVBoxLayout(self)
        head = (fill(self.tr("Handover from %1: please check the summary"), summary.operator)
                if incoming else
                fill(self.tr("Your shift, %1: the next volunteer sees this too"),
                     summary.operator))
        title = QLabel(head)
        title.setObjectName("shift_title")
        title.setWordWrap(True)
        title.setStyleSheet(css("font-size: 18pt; font-weight: bold;"))
        layout.addWidget(title)
        self.body = QTextEdit()
        self.body.setObjectName("shift_body")
        self.body.setReadOnly(True)
        self.body.setStyleSheet(css("font-size: 14pt;"))
        self.body.setHtml(slip_html(shift_slip(summary, 80)))
        self.body.setMinimumSize(px(560), px(420))
        layout.addWidget(self.body, 1)
        self.message = QLabel("")
        self.message.setObjectName("shift_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.print_button = QPushButton(self.tr("Print (F5)"))
        self.print_button.setObjectName("shift_print")
        self.print_button.clicked.connect(self.print_summary)
        buttons.addWidget(self.print_button)
        self.close_day_button = QPushButton(self.tr("Close the day and print the report"))
        self.close_day_button.setObjectName("shift_close_day")
        self.close_day_button.clicked.connect(self.close_day)
        self._confirming = False
        self.close_day_button.setVisible(not incoming and db is not None and actor is not None)
        buttons.addWidget(self.close_day_button)
        buttons.addStretch(1)
        ok = QPushButton(self.tr("OK (Enter)"))
        ok.setObjectName("shift_ok")
        ok.setDefault(True)
        ok.clicked.connect(self.accept)
        buttons.addWidget(ok)
        layout.addLayout(buttons)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.print_summary)

    def _width(self) -> int:
        width = getattr(self.receipts, "width_mm", 58)
        return width if width in COLUMNS else 58

    def _print(self, slip) -> None:
        self.message.setText(self.tr("Printing…"))
        (Op(self, render_slip, self.receipts, slip).on_device_thread()
         .success(self._printed).failure(self._failed).run())

    def print_summary(self) -> None:
        self._print(shift_slip(self.summary, self._width()))

    def _printed(self, result) -> None:
        try:
            show_slip(self.receipts, result)
        except CounterError as exc:
            self._failed(exc)
            return
        self.message.setText("\n".join([self.tr("Printed."), *self._notes]))
        self.printed.emit(result)

    def close_day(self) -> None:
        """The first press asks (the button says so, for 8 s); the second closes. Closing
        the day fixes its report for good (trial: a volunteer closed it by one press, by
        mistake, on the way out). No modal box: the dialog stays keyboard-driven."""
        if not self._confirming:
            self._confirming = True
            self.close_day_button.setText(self.tr("Press again to close today's counter day"))
            self.message.setText(self.tr("Closing the day fixes today's report (later "
                                         "redemptions come as a supplement). Press the "
                                         "button again to close it."))
            QTimer.singleShot(8000, self._unconfirm)
            return
        self._confirming = False
        self.close_day_button.setText(self.tr("Close the day and print the report"))
        self.close_day_button.setEnabled(False)
        self.message.setText(self.tr("Closing the day…"))
        (Op(self, db_work(close_day_and_follow_up), self.db, self.actor)
         .success(self._closed).failure(self._failed).run())

    def _unconfirm(self) -> None:
        if self._confirming:
            self._confirming = False
            self.close_day_button.setText(self.tr("Close the day and print the report"))
            self.message.setText("")

    def _closed(self, outcome) -> None:
        closed, self._notes, supplement = outcome
        if supplement is not None:  # the day was closed before; redemptions came after it
            self._notes.append(self.tr("The day was closed before: the report is printed "
                                       "again, with what came after it as a supplement."))
        elif not closed.new:
            self._notes.append(fill(self.tr("The day was already closed (%1, by %2): its "
                                            "report is printed again."),
                                    to_local(closed.report.closed_at).strftime("%H:%M"),
                                    closed.report.closed_by))
        self.day_closed.emit(closed)
        self._print(day_close_slip(closed.report, self._width(), reprint=not closed.new,
                                   supplement=supplement))

    def _failed(self, exc: BaseException) -> None:
        self.close_day_button.setEnabled(True)
        if isinstance(exc, CounterError):
            self.message.setText(str(exc))
        else:
            from counter_app.ui.common.errors import report_exception

            report_exception(self, exc)
