"""会员 — find a member, see and correct their details, card and status, read their history.

Keyboard first: type in the search box (card no. / phone or last 4 / name / pinyin
initials), Enter shows the highlighted result, Up/Down move through the results, Esc
clears the search (a second Esc clears the member). Every database call runs through
``Op``; the writes themselves happen in ``member_edit_dialog`` and in ``replace_card``.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QStandardPaths, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QFileDialog, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QMessageBox, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from counter_app import member_admin, members
from counter_app.db.models import CardStatus, EntryKind
from counter_app.errors import CounterError, UnknownCard
from counter_app.ledger import KIND_LABELS
from counter_app.operators import Permission
from counter_app.reports import export
from counter_app.ui.context import UiContext
from counter_app.ui.errors import report_exception
from counter_app.ui.history_model import COL_NOTE, HistoryModel
from counter_app.ui.latest_search import LatestSearch
from counter_app.ui.member_edit_dialog import BlockDialog, MemberEditDialog, MemberRegisterDialog
from counter_app.ui.member_results_model import COL_ADDRESS, COL_CATEGORY, MemberResultsModel
from counter_app.ui.members_details import ERROR_COLOR, OK_COLOR, MemberDetails
from counter_app.ui.ops import Op


class MembersPage(QWidget):
    results_shown = Signal(str)  # the search text whose results are painted
    member_loaded = Signal(int)  # member id, once the details are painted
    history_loaded = Signal(int)  # number of history rows painted
    card_replaced = Signal(str)  # the new card code
    member_saved = Signal(int)  # member id after an edit / block / registration
    exported = Signal(str)  # path of the written .xlsx
    message_shown = Signal(str)

    def __init__(self, ctx: UiContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.profile: member_admin.MemberProfile | None = None
        self.dialog = None  # the open edit/register/block dialog ("loading" meanwhile)
        self._actor = None  # who the page was last shown to
        self._wanted: int | None = None  # member id whose details were asked for last
        self._history_request = 0
        self._suppress_select = False
        self._open_when_shown = False  # Enter came before the results
        self._export_dir: str | None = None
        # Overridable (tests): where to save an export; None cancels.
        self.ask_save_path = self._ask_save_path

        self.input = QLineEdit()
        self.input.setObjectName("members_search")
        self.input.setPlaceholderText(self.tr(
            "Find a member: card no. / phone (or last 4) / name / pinyin initials"))
        self.input.setStyleSheet("font-size: 20pt; padding: 6px;")
        self.input.setClearButtonEnabled(True)
        self.input.textChanged.connect(self._text_changed)
        self.input.returnPressed.connect(self._enter)
        self.search = LatestSearch(self, partial(member_admin.search, ctx.db), self.input.text,
                                   self._show_results, self._fail)

        self.message = QLabel()
        self.message.setObjectName("members_message")
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(36)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # --- left: search results ---
        self.results_model = MemberResultsModel(self)
        self.results = self._table(self.results_model, "members_results")
        self.results.horizontalHeader().setSectionResizeMode(
            COL_ADDRESS, QHeaderView.ResizeMode.Stretch)
        # The category is in the details; the address tells two 王丽 apart, so it gets room.
        self.results.setColumnHidden(COL_CATEGORY, True)
        self.results.selectionModel().currentRowChanged.connect(self._result_moved)
        self.results.activated.connect(lambda idx: self._open_result(idx.row()))
        self.results.clicked.connect(lambda idx: self._open_result(idx.row()))
        self.results_hint = QLabel(self.tr("Type above to find a member."))
        self.results_hint.setObjectName("members_results_hint")
        self.results_hint.setWordWrap(True)
        self.results_hint.setStyleSheet("color: #555; font-size: 15pt;")
        left_buttons = QHBoxLayout()
        self.new_button = self._button(left_buttons, self.tr("New member (Ctrl+N)"),
                                       self.register_member, "new_member_button")
        self.export_results_button = self._button(left_buttons, self.tr("Export list…"),
                                                  self.export_results, "export_results_button")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.results_hint)
        left_layout.addWidget(self.results, 1)
        left_layout.addLayout(left_buttons)

        # --- right: details, actions, history ---
        self.details = MemberDetails()
        self.name, self.fields = self.details.name, self.details.fields  # (tests, shortcuts)

        actions = QHBoxLayout()
        self.edit_button = self._button(actions, self.tr("Edit name / phone (Ctrl+E)"),
                                        self.edit_contact, "edit_button")
        self.card_button = self._button(actions, self.tr("New card…"), self.replace_card,
                                        "card_button")
        self.block_button = self._button(actions, self.tr("Block…"), self.toggle_blocked,
                                         "block_button")

        self.rights_hint = QLabel(self.tr("Only reviewers and administrators can change "
                                          "members."))
        self.rights_hint.setObjectName("members_rights_hint")
        self.rights_hint.setStyleSheet("color: #555; font-size: 14pt;")
        self.rights_hint.hide()

        # history filters
        self.kind = QComboBox()
        self.kind.setObjectName("history_kind")
        self.kind.setMinimumHeight(44)
        self.kind.addItem(self.tr("All kinds"), None)
        for kind in EntryKind:
            self.kind.addItem(KIND_LABELS[kind], str(kind))
        self.kind.currentIndexChanged.connect(self.load_history)
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
        history_title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        filters.addWidget(history_title)
        filters.addSpacing(8)
        filters.addWidget(self.kind)
        filters.addSpacing(8)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("–"))
        filters.addWidget(self.date_to)
        filters.addStretch(1)
        self.export_history_button = self._button(filters, self.tr("Export (Ctrl+S)…"),
                                                  self.export_history, "export_history_button")

        self.history_model = HistoryModel(self)
        self.history = self._table(self.history_model, "members_history")
        self.history.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.history.horizontalHeader().setSectionResizeMode(
            COL_NOTE, QHeaderView.ResizeMode.Stretch)
        self.history_summary = QLabel()
        self.history_summary.setObjectName("history_summary")
        self.history_summary.setWordWrap(True)
        self.history_summary.setStyleSheet("font-size: 15pt;")

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.details)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.rights_hint)
        right_layout.addSpacing(6)
        right_layout.addLayout(filters)
        right_layout.addWidget(self.history, 1)
        right_layout.addWidget(self.history_summary)

        split = QSplitter()
        split.setObjectName("members_split")
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([560, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(self.input)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)

        # Ctrl+ keys, not F-keys: the main window gives F1… to its pages, and a second
        # shortcut on the same key makes both ambiguous (neither fires).
        for key, slot in ((Qt.Key.Key_Escape, self.escape),
                          ("Ctrl+E", self.edit_contact), ("Ctrl+N", self.register_member),
                          ("Ctrl+S", self.export_history)):
            QShortcut(QKeySequence(key), self, slot,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # Up/Down in the search box move through the results (not a page-wide shortcut:
        # the date boxes and the history table need their own arrow keys).
        self.input.installEventFilter(self)
        self.show_none()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.input and event.type() == QEvent.Type.KeyPress:
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10,
                    Qt.Key.Key_PageUp: -10}.get(event.key())
            if step is not None:
                self._move_result(step)
                return True
        return super().eventFilter(obj, event)

    # --- building blocks ------------------------------------------------------------------

    def _table(self, model, name: str) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setHighlightSections(False)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(36)
        return view

    def _button(self, layout, text, slot, name) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setMinimumHeight(52)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        layout.addWidget(button)
        return button

    def _date_edit(self, name: str, day: QDate) -> QDateEdit:
        edit = QDateEdit(day)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumHeight(44)
        edit.dateChanged.connect(lambda _day: self.use_dates.isChecked() and self.load_history())
        return edit

    # --- page life --------------------------------------------------------------------------

    def title(self) -> str:
        """The page's name on its main-window button."""
        return self.tr("Members")

    def activate(self) -> None:
        if self.ctx.actor != self._actor:  # someone else logged in: start clean
            self._actor = self.ctx.actor
            self.input.clear()
            self.show_none()
        self._update_actions()
        self.focus_input()

    def focus_input(self) -> None:
        self.input.setFocus()
        self.input.selectAll()

    def can_manage(self) -> bool:
        return self.ctx.actor is not None and self.ctx.actor.can(Permission.MEMBERS)

    def _update_actions(self) -> None:
        manage = self.can_manage()
        has_member = self.profile is not None
        for button in (self.edit_button, self.card_button, self.block_button):
            button.setEnabled(manage and has_member)
        self.new_button.setEnabled(manage)
        self.export_results_button.setEnabled(manage and self.results_model.rowCount() > 0)
        self.export_history_button.setEnabled(has_member and self.history_model.rowCount() > 0)
        if self.profile is not None and self.profile.member.blocked:
            self.block_button.setText(self.tr("Unblock…"))
        else:
            self.block_button.setText(self.tr("Block…"))
        self.rights_hint.setVisible(self.ctx.actor is not None and not manage)
        for button in (self.edit_button, self.card_button, self.block_button, self.new_button,
                       self.export_results_button):
            button.setToolTip("" if manage else self.rights_hint.text())

    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("font-size: 16pt; color: %s;"
                                   % (ERROR_COLOR if error else OK_COLOR))
        self.message.setText(text)
        self.ctx.show_status(text)
        self.message_shown.emit(text)

    def _fail(self, exc: BaseException) -> None:
        if isinstance(exc, CounterError):
            self.say(str(exc), error=True)
        else:
            report_exception(self, exc)

    def escape(self) -> None:
        if self.input.text():
            self.input.clear()
        elif self.profile is not None:
            self.show_none()
            self.say("")
        self.focus_input()

    # --- search -------------------------------------------------------------------------------

    def _text_changed(self, text: str) -> None:
        if not text.strip():
            self.search.cancel()
            self._open_when_shown = False
            self._set_results([])
            return
        self.search.request(text)

    def _show_results(self, text: str, rows) -> None:
        self._set_results(rows)
        if not rows:
            self.results_hint.setText(self.tr("No member found for “%1”.").replace("%1", text))
        if self._open_when_shown:
            self._open_when_shown = False
            self._open_result(max(self.results.currentIndex().row(), 0))
        self.results_shown.emit(text)

    def _set_results(self, rows) -> None:
        self._suppress_select = True
        self.results_model.set_rows(rows)
        if rows:  # keep the member on show highlighted when the results are refreshed
            shown = self.profile.member.id if self.profile is not None else None
            self.results.selectRow(next((n for n, r in enumerate(rows) if r.id == shown), 0))
        self._suppress_select = False
        self.results_hint.setVisible(not rows)
        self.results_hint.setText(self.tr("Type above to find a member."))
        self._update_actions()

    def refresh_results(self) -> None:
        """Search again for the current text (after a change to a member)."""
        if self.input.text().strip():
            self._text_changed(self.input.text())

    def _move_result(self, step: int) -> None:
        count = self.results_model.rowCount()
        if not count:
            return
        row = max(0, min(count - 1, self.results.currentIndex().row() + step))
        self.results.selectRow(row)

    def _result_moved(self, current, _previous) -> None:
        if not self._suppress_select and current.isValid():
            self._open_result(current.row())

    def _open_result(self, row: int) -> None:
        member = self.results_model.row_at(row)
        if member is not None and member.id != self._wanted:  # a click also moves the row
            self.select_member(member.id)

    def _enter(self) -> None:
        if self.search.waiting:
            self._open_when_shown = True  # results for this text are on their way
        else:
            self._open_result(max(self.results.currentIndex().row(), 0))
        self.input.selectAll()

    def handle_scan(self, code: str) -> None:
        """A scanned card: show its member, also for an old, blocked card."""
        self.input.blockSignals(True)
        self.input.setText(code)
        self.input.blockSignals(False)
        self.input.selectAll()
        Op(self, member_admin.load_card_owner, self.ctx.db, code) \
            .success(lambda found: self._card_scanned(code, found)).failure(self._fail).run()

    def _card_scanned(self, code: str, found) -> None:
        if found is None:
            self.say(str(UnknownCard(code=code.strip().upper())), error=True)
            return
        member, status = found
        self._set_results([member])
        self.select_member(member.id)
        if status != CardStatus.ACTIVE:
            self.say(self.tr("Card %1 is blocked; %2's card now is %3.").replace("%1", code)
                     .replace("%2", member.name).replace("%3", member.card_code), error=True)
        else:
            self.say("")

    # --- the selected member --------------------------------------------------------------

    def select_member(self, member_id: int) -> None:
        self._wanted = member_id
        Op(self, member_admin.load_profile, self.ctx.db, member_id) \
            .success(self._show_profile).failure(self._profile_failed).run()

    def _profile_failed(self, exc: BaseException) -> None:
        self._wanted = self.profile.member.id if self.profile is not None else None
        self._fail(exc)

    def reload_member(self) -> None:
        if self.profile is not None:
            self.select_member(self.profile.member.id)

    def _show_profile(self, profile: member_admin.MemberProfile) -> None:
        m = profile.member
        if m.id != self._wanted:
            return  # an older request; a newer one is on its way
        changed = self.profile is None or self.profile.member.id != m.id
        self.profile = profile
        self.details.show_profile(profile)
        self._update_actions()
        if changed:
            self.history_model.clear()
        self.load_history()
        self.member_loaded.emit(m.id)

    def show_none(self) -> None:
        self.profile = None
        self._wanted = None
        self._history_request += 1  # drop history on its way
        self.details.show_none()
        self.history_model.clear()
        self.history_summary.setText(self.tr("Find a member above to see their details "
                                             "and points history."))
        self._update_actions()

    # --- history ----------------------------------------------------------------------------

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.load_history()

    def history_filter(self) -> tuple[list[str] | None, date | None, date | None]:
        kind = self.kind.currentData()
        if not self.use_dates.isChecked():
            return ([kind] if kind else None), None, None
        return ([kind] if kind else None), self.date_from.date().toPython(), \
            self.date_to.date().toPython()

    def load_history(self, *_args) -> None:
        if self.profile is None:
            return
        kinds, first, last = self.history_filter()
        if first and last and first > last:
            self.history_model.clear()
            self.history_summary.setText(self.tr("The start date is after the end date."))
            self._update_actions()
            return
        self._history_request += 1
        request = self._history_request
        Op(self, member_admin.load_history, self.ctx.db, self.profile.member.id, kinds,
           first, last).success(lambda page: self._show_history(request, page)) \
            .failure(self._fail).run()

    def _show_history(self, request: int, page: member_admin.HistoryPage) -> None:
        if request != self._history_request:
            return  # the filter or the member changed meanwhile
        self.history_model.set_rows(page.rows, page.operator_names)
        gained = sum(r.delta for r in page.rows if r.delta > 0)
        spent = -sum(r.delta for r in page.rows if r.delta < 0)
        if not page.rows:
            summary = self.tr("No entries for this choice.")
        else:
            summary = self.tr("%1 entries: +%2 points in, −%3 points out.") \
                .replace("%1", str(len(page.rows))).replace("%2", f"{gained:,}") \
                .replace("%3", f"{spent:,}")
        if page.truncated:
            summary += " " + self.tr("Only the newest %1 are shown; choose dates to see "
                                     "older ones.").replace("%1", str(len(page.rows)))
        self.history_summary.setText(summary)
        self._update_actions()
        self.history_loaded.emit(len(page.rows))

    # --- changes ------------------------------------------------------------------------------

    def _open_dialog(self, dialog) -> None:
        self.dialog = dialog
        dialog.done.connect(lambda _result: self._dialog_done(dialog))
        dialog.finished.connect(lambda _code: self._dialog_closed(dialog))
        dialog.open()

    def _dialog_done(self, dialog) -> None:
        if isinstance(dialog, MemberRegisterDialog):
            return
        if isinstance(dialog, BlockDialog):
            name = self.profile.member.name if self.profile is not None else ""
            self.say((self.tr("%1 is blocked.") if dialog.block else self.tr("%1 is unblocked."))
                     .replace("%1", name))
        else:
            self.say(self.tr("Saved."))
        self.refresh_results()
        self.reload_member()
        if self.profile is not None:
            self.member_saved.emit(self.profile.member.id)

    def _dialog_closed(self, dialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
            dialog.deleteLater()
        self.focus_input()

    def edit_contact(self) -> None:
        if self.profile is None or not self.can_manage() or self.dialog is not None:
            return
        member_id = self.profile.member.id
        self.dialog = "loading"  # a second Ctrl+E while the contact loads does nothing

        def loaded(contact):
            self.dialog = None
            self._open_dialog(MemberEditDialog(self.ctx, member_id, contact[0], contact[1],
                                               self))

        def failed(exc):
            self.dialog = None
            self._fail(exc)

        Op(self, member_admin.load_contact, self.ctx.db, member_id) \
            .success(loaded).failure(failed).run()

    def register_member(self) -> None:
        if not self.can_manage() or self.dialog is not None:
            return
        dialog = MemberRegisterDialog(self.ctx, self)
        dialog.done.connect(self._registered)
        self._open_dialog(dialog)

    def _registered(self, member_id: int) -> None:
        def shown(mid):
            if mid != member_id:
                return
            self.member_loaded.disconnect(shown)
            m = self.profile.member
            self.say(self.tr("Registered %1. Card no. %2").replace("%1", m.name)
                     .replace("%2", m.card_code))
            self.member_saved.emit(member_id)

        self.member_loaded.connect(shown)
        self.select_member(member_id)

    def toggle_blocked(self) -> None:
        if self.profile is None or not self.can_manage() or self.dialog is not None:
            return
        m = self.profile.member
        self._open_dialog(BlockDialog(self.ctx, m.id, m.name, not m.blocked, self))

    def replace_card(self) -> None:
        if self.profile is None or not self.can_manage():
            return
        m = self.profile.member
        question = self.tr("Give %1 a new card?\n\nThe old card %2 will stop working at once.") \
            .replace("%1", m.name).replace("%2", m.card_code)
        if not self.confirm(question):
            self.focus_input()
            return
        old = m.card_code
        self.card_button.setEnabled(False)
        Op(self, members.replace_card, self.ctx.db, self.ctx.actor, m.id) \
            .success(lambda code: self._card_replaced(m.id, old, code)) \
            .failure(self._write_failed).run()

    def _card_replaced(self, member_id: int, old: str, code: str) -> None:
        self.say(self.tr("New card no. %1 — the old card %2 is blocked.")
                 .replace("%1", code).replace("%2", old))
        self.refresh_results()
        if self.profile is not None and self.profile.member.id == member_id:
            self.reload_member()
        self._update_actions()
        self.card_replaced.emit(code)

    def _write_failed(self, exc: BaseException) -> None:
        self._update_actions()
        self._fail(exc)

    def confirm(self, question: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Confirm"), question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    # --- export -------------------------------------------------------------------------------

    def _ask_save_path(self, title: str, suggested: str) -> str | None:
        folder = self._export_dir or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        path, _filter = QFileDialog.getSaveFileName(
            self, title, str(Path(folder) / suggested), self.tr("Excel workbook (*.xlsx)"))
        return path or None

    def _export(self, title: str, suggested: str, sheet_title: str, table) -> None:
        headers, rows = table
        if not rows:
            self.say(self.tr("Nothing to export."), error=True)
            return
        path = self.ask_save_path(title, suggested)
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        self._export_dir = str(Path(path).parent)
        Op(self, export.export_rows, path, headers, rows, sheet_title) \
            .progress(self.tr("Exporting…")) \
            .success(lambda written: self._exported(str(written), len(rows))) \
            .failure(self._export_failed).run()

    def _exported(self, path: str, count: int) -> None:
        self.say(self.tr("Exported %1 rows to %2").replace("%1", str(count)).replace("%2", path))
        self.exported.emit(path)

    def _export_failed(self, exc: BaseException) -> None:
        if isinstance(exc, OSError):  # locked by Excel, no space, no permission …
            self.say(self.tr("Could not save the file: %1").replace("%1", exc.strerror
                                                                     or str(exc)), error=True)
        else:
            self._fail(exc)

    def export_history(self) -> None:
        if self.profile is None:
            return
        m = self.profile.member
        today = date.today().isoformat()
        self._export(self.tr("Export history"), f"{m.name}_{m.card_code}_{today}.xlsx",
                     f"{m.name} {m.card_code}",
                     export.history_sheet(self.history_model.rows(),
                                          self.history_model.operator_names()))

    def export_results(self) -> None:
        if not self.can_manage():
            return
        rows = [self.results_model.row_at(r) for r in range(self.results_model.rowCount())]
        text = self.input.text().strip() or "members"
        self._export(self.tr("Export member list"), f"{text}_{date.today().isoformat()}.xlsx",
                     text, export.member_sheet(rows))

