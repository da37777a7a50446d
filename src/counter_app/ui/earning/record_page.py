"""记录积分 — open an activity (item, date, place, organiser, team), then scan the
participants' cards one after another: a running list, duplicates refused, a participant
removed with a reason. Without an open activity a scan records one member's award. Every
award is pending until the weekly review."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QSpinBox,
    QVBoxLayout, QWidget,
)

from counter_app import bounds
from counter_app.earning import awards, catalogue
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.ops import Op, db_work
from counter_app.ui.common.scale import css
from counter_app.ui.common.text import fill
from counter_app.ui.common.widgets import add_button, make_table, show_message
from counter_app.ui.earning.messages import refuse
from counter_app.ui.earning.award_models import ParticipantsModel


def _items(db):
    with db.read() as s:
        return catalogue.items(s, include_inactive=False)


def _participants(db, activity_id: int):
    with db.read() as s:
        return awards.participants(s, activity_id)


def _add_and_list(db, actor, activity_id: int, code: str, points: int | None,
                  anywhere: bool = False):
    row = awards.add_participant(db, actor, activity_id, code, points, review_anywhere=anywhere)
    return row, _participants(db, activity_id)


def _remove_and_list(db, actor, award_id: int, activity_id: int, reason: str):
    awards.remove_participant(db, actor, award_id, reason)
    return _participants(db, activity_id)


def _single(db, actor, code: str, item_id: int, day: date, points: int | None,
            anywhere: bool = False):
    from counter_app import members

    with db.read() as s:
        member = members.lookup_card(s, code)
    return awards.record(db, actor, member.id, item_id, day, points=points,
                         review_anywhere=anywhere)


class RecordPage(QWidget):
    scanned = Signal(int)  # award id, once the list shows it
    refused = Signal(str)  # the message of a refused scan
    opened = Signal(int)  # activity id

    def __init__(self, ctx: UiContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.activity: awards.ActivityRow | None = None
        self._ranged: set[int] = set()  # items whose value the recorder chooses
        self.title = QLabel(self.tr("Record points"))
        self.title.setStyleSheet(css("font-size: 22pt; font-weight: bold;"))

        self.item = QComboBox()
        self.item.setObjectName("record_item")
        # No item until one is chosen (trial): a card scanned to look a member up must not
        # record an award for whichever item happened to be first in the list.
        self.item.setPlaceholderText(self.tr("Choose the point item"))
        self.day = QDateEdit()
        self.day.setObjectName("record_date")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.points = QSpinBox()  # only for items with a range (e.g. a donation)
        self.points.setObjectName("record_points")
        self.points.setRange(0, bounds.MAX_AMOUNT)
        self.points.setSpecialValueText(self.tr("value in force"))
        self.item.currentIndexChanged.connect(self._item_chosen)
        self.activity_title = QLineEdit()
        self.activity_title.setObjectName("record_title")
        self.place = QLineEdit()
        self.place.setObjectName("record_place")
        self.organiser = QLineEdit()
        self.organiser.setObjectName("record_organiser")
        self.team = QLineEdit()
        self.team.setObjectName("record_team")
        form = QFormLayout()
        form.addRow(self.tr("Point item"), self.item)
        form.addRow(self.tr("Activity date"), self.day)
        form.addRow(self.tr("Points"), self.points)
        form.addRow(self.tr("Activity"), self.activity_title)
        form.addRow(self.tr("Place"), self.place)
        form.addRow(self.tr("Organiser"), self.organiser)
        form.addRow(self.tr("Team"), self.team)
        # where it is reviewed is fixed when recorded (docs/sync.md, one award one approval)
        self.anywhere = QCheckBox(self.tr("Review at any counter (claimed online)"))
        self.anywhere.setObjectName("record_review_anywhere")
        form.addRow("", self.anywhere)
        buttons = QHBoxLayout()
        self.open_button = add_button(buttons, self.tr("Open activity"), self.open_activity,
                                      "record_open")
        self.close_button = add_button(buttons, self.tr("Close activity"), self.close_activity,
                                       "record_close")

        self.state = QLabel()
        self.state.setObjectName("record_state")
        self.state.setWordWrap(True)
        self.state.setStyleSheet(css("font-size: 16pt;"))
        self.scan = QLineEdit()
        self.scan.setObjectName("record_scan")
        self.scan.setPlaceholderText(self.tr("Scan or type a card number, then Enter"))
        self.scan.setStyleSheet(css("font-size: 20pt;"))
        self.scan.returnPressed.connect(self._scan_entered)
        self.model = ParticipantsModel(self)
        self.list = make_table(self.model, "record_participants")
        self.reason = QLineEdit()
        self.reason.setObjectName("record_reason")
        self.reason.setPlaceholderText(self.tr("Reason for removing the selected participant"))
        remove_row = QHBoxLayout()
        remove_row.addWidget(self.reason, 1)
        add_button(remove_row, self.tr("Remove participant"), self.remove_selected,
                   "record_remove")
        self.message = QLabel()
        self.message.setObjectName("record_message")
        self.message.setWordWrap(True)

        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addLayout(form)
        left.addLayout(buttons)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.state)
        right.addWidget(self.scan)
        # what a scan did, right under the scan box (trial: below the list it was off the
        # screen at 1366×768, and a scan looked as if nothing had happened)
        right.addWidget(self.message)
        right.addWidget(self.list, 1)
        right.addLayout(remove_row)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)
        self._show_state()

    # --- shell hooks ----------------------------------------------------------------

    def activate(self) -> None:
        today = catalogue.today()
        self.day.setMaximumDate(QDate(today.year, today.month, today.day))
        if not self.day.date().isValid() or self.day.date() > self.day.maximumDate() \
                or self.item.count() == 0:
            self.day.setDate(QDate(today.year, today.month, today.day))
        Op(self, db_work(_items), self.ctx.db).success(self._fill_items).run()

    def focus_input(self) -> None:
        self.scan.setFocus()

    def handle_scan(self, code: str) -> None:
        self.scan.setText(code)
        self._scan_entered()

    # --- work -------------------------------------------------------------------------

    def _fill_items(self, rows) -> None:
        keep = self.item.currentData()
        self._ranged = {r.id for r in rows if r.range_label}
        self.item.clear()
        for r in rows:
            label = f"{r.category} · {r.name}（{r.points}）"
            self.item.addItem(label + (f" {r.range_label}" if r.range_label else ""), r.id)
        self.item.setCurrentIndex(self.item.findData(keep) if keep is not None else -1)

    def _item_chosen(self) -> None:
        """The points box is for ranged items only; others take the value in force."""
        ranged = self.item.currentData() in self._ranged
        self.points.setEnabled(ranged)
        if not ranged:
            self.points.setValue(0)

    def _chosen_points(self) -> int | None:
        return self.points.value() or None

    def _chosen_day(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def open_activity(self) -> None:
        item_id = self.item.currentData()
        if item_id is None:
            show_message(self.message, self.tr("Choose a point item first"), error=True)
            return
        Op(self, db_work(awards.open_activity), self.ctx.db, self.ctx.actor, item_id,
           self._chosen_day(), title=self.activity_title.text(), place=self.place.text(),
           organiser=self.organiser.text(), team=self.team.text()) \
            .success(self._opened).failure(self._refused).run()

    def _opened(self, act) -> None:
        self.activity = act
        self.model.set_rows([])
        self._show_state()
        show_message(self.message, self.tr("Activity open: scan the participants' cards"))
        self.scan.setFocus()
        self.opened.emit(act.id)

    def close_activity(self) -> None:
        self.activity = None
        self.model.set_rows([])
        self._show_state()

    def _show_state(self) -> None:
        a = self.activity
        self.close_button.setEnabled(a is not None)
        self.open_button.setEnabled(a is None)
        if a is None:
            self.state.setText(self.tr("No activity open: a scan records one member's award "
                                       "for the item and date on the left"))
        else:
            self.state.setText(fill(self.tr("Activity: %1, %2 — %3 on the list"),
                                    a.title or a.item, a.activity_date, self.model.rowCount()))

    def _scan_entered(self) -> None:
        code = self.scan.text().strip()
        self.scan.clear()
        if not code:
            return
        if self.activity is not None:
            Op(self, db_work(_add_and_list), self.ctx.db, self.ctx.actor, self.activity.id,
               code, self._chosen_points(), self.anywhere.isChecked()) \
                .success(self._added).failure(self._refused).run()
            return
        item_id = self.item.currentData()
        if item_id is None:
            show_message(self.message, self.tr("Choose a point item first"), error=True)
            return
        Op(self, db_work(_single), self.ctx.db, self.ctx.actor, code, item_id,
           self._chosen_day(), self._chosen_points(), self.anywhere.isChecked()) \
            .success(self._recorded) \
            .failure(self._refused).run()

    def _added(self, result) -> None:
        row, listed = result
        self.model.set_rows(listed)
        self.list.scrollToBottom()
        self._show_state()
        show_message(self.message, fill(self.tr("%1 added (%2 points, pending review)"),
                                        row.member_name, row.points))
        self.scanned.emit(row.id)

    def _recorded(self, row) -> None:
        show_message(self.message, fill(self.tr("%1: %2 points for %3 recorded, pending review"),
                                        row.member_name, row.points, row.item))
        self.scanned.emit(row.id)

    def _refused(self, exc: BaseException) -> None:
        refuse(self, self.message, exc)
        self.refused.emit(str(exc))

    def remove_selected(self) -> None:
        picked = self.list.selectionModel().selectedRows()
        if self.activity is None or not picked:
            show_message(self.message, self.tr("Select a participant on the list first"),
                         error=True)
            return
        row = self.model.row_at(picked[0].row())
        Op(self, db_work(_remove_and_list), self.ctx.db, self.ctx.actor, row.id,
           self.activity.id, self.reason.text()).success(self._removed) \
            .failure(self._refused).run()

    def _removed(self, listed) -> None:
        self.model.set_rows(listed)
        self.reason.clear()
        self._show_state()
        show_message(self.message, self.tr("Participant removed"))
