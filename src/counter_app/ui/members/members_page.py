"""会员 — find a member, see and correct their details, card and status, read their history.

Keyboard first: type in the search box (card no. / phone or last 4 / name / pinyin
initials), Enter shows the highlighted result, Up/Down move through the results, Esc
clears the search (a second Esc clears the member). Every database call runs through
``Op``. The history is ``members_history_panel``; the changes (edit, register, block, new
card) are ``members_changes``; the writes themselves happen in ``member_edit_dialog`` and
in ``replace_card``.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QSplitter,
    QVBoxLayout, QWidget,
)

from counter_app import member_profiles
from counter_app.db.models import CardStatus
from counter_app.errors import CounterError, UnknownCard
from counter_app.operators import Permission
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.errors import report_exception
from counter_app.ui.common.focus import exec_dialog, open_dialog
from counter_app.ui.common.latest_search import LatestSearch
from counter_app.ui.common.member_results_model import COL_ADDRESS, COL_CATEGORY, MemberResultsModel
from counter_app.ui.members.members_changes import MemberChanges
from counter_app.ui.members.members_details import MemberDetails
from counter_app.ui.members.members_export import MemberExports
from counter_app.ui.members.members_history_panel import MemberHistoryPanel
from counter_app.ui.common.widgets import add_button, make_table, show_message
from counter_app.ui.common.ops import Op
from counter_app.ui.common.text import fill
from counter_app.ui.common.scale import css, px


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
        self.profile: member_profiles.MemberProfile | None = None
        self.dialog = None  # the open edit/register/block dialog ("loading" meanwhile)
        self._actor = None  # who the page was last shown to
        self._wanted: int | None = None  # member id whose details were asked for last
        self._suppress_select = False
        self._open_when_shown = False  # Enter came before the results
        self.changes = MemberChanges(self)
        self.exports = MemberExports(self)
        # Overridable (tests): where to save an export; None cancels.
        self.ask_save_path = self.exports.ask_save_path

        self.input = QLineEdit()
        self.input.setObjectName("members_search")
        self.input.setPlaceholderText(self.tr(
            "Find a member: card no. / phone (or last 4) / name / pinyin initials"))
        self.input.setStyleSheet(css("font-size: 20pt; padding: 6px;"))
        self.input.setClearButtonEnabled(True)
        self.input.textChanged.connect(self._text_changed)
        self.input.returnPressed.connect(self._enter)
        self.search = LatestSearch(self, partial(member_profiles.search, ctx.db), self.input.text,
                                   self._show_results, self._fail)

        self.message = QLabel()
        self.message.setObjectName("members_message")
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(px(36))
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # --- left: search results ---
        self.results_model = MemberResultsModel(self)
        self.results = make_table(self.results_model, "members_results")
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
        self.results_hint.setStyleSheet(css("color: #555; font-size: 15pt;"))
        left_buttons = QHBoxLayout()
        self.new_button = add_button(left_buttons, self.tr("New member (Ctrl+N)"),
                                       self.register_member, "new_member_button")
        self.export_results_button = add_button(left_buttons, self.tr("Export list…"),
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
        self.edit_button = add_button(actions, self.tr("Edit name / phone (Ctrl+E)"),
                                        self.edit_contact, "edit_button")
        self.card_button = add_button(actions, self.tr("New card…"), self.replace_card,
                                        "card_button")
        self.block_button = add_button(actions, self.tr("Block…"), self.toggle_blocked,
                                         "block_button")
        self.geography_button = add_button(actions, self.tr("Addresses…"), self.edit_geography,
                                           "geography_button")

        self.rights_hint = QLabel(self.tr("Only reviewers and administrators can change "
                                          "members."))
        self.rights_hint.setObjectName("members_rights_hint")
        self.rights_hint.setStyleSheet(css("color: #555; font-size: 14pt;"))
        self.rights_hint.hide()

        self.history_panel = MemberHistoryPanel(ctx, self.export_history, self)
        self.history_panel.changed.connect(self._update_actions)
        self.history_panel.failed.connect(self._fail)
        self.history_panel.loaded.connect(self.history_loaded)
        panel = self.history_panel  # its parts under their old names (tests, export)
        self.kind, self.use_dates, self.date_from, self.date_to = \
            panel.kind, panel.use_dates, panel.date_from, panel.date_to
        self.history_model, self.history, self.history_summary = \
            panel.model, panel.table, panel.summary
        self.export_history_button = panel.export_button

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.details)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.rights_hint)
        right_layout.addSpacing(6)
        right_layout.addWidget(self.history_panel, 1)

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
        self.geography_button.setEnabled(manage)
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
        show_message(self.message, text, error)
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
            self.results_hint.setText(fill(self.tr("No member found for “%1”."), text))
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
        Op(self, member_profiles.load_card_owner, self.ctx.db, code) \
            .success(lambda found: self._card_scanned(code, found)).failure(self._fail).run()

    def _card_scanned(self, code: str, found) -> None:
        if found is None:
            self.say(str(UnknownCard(code=code.strip().upper())), error=True)
            return
        member, status = found
        self._set_results([member])
        self.select_member(member.id)
        if status != CardStatus.ACTIVE:
            self.say(fill(self.tr("Card %1 is blocked; %2's card now is %3."), code, member.name,
                          member.card_code), error=True)
        else:
            self.say("")

    # --- the selected member --------------------------------------------------------------

    def select_member(self, member_id: int) -> None:
        self._wanted = member_id
        Op(self, member_profiles.load_profile, self.ctx.db, member_id) \
            .success(self._show_profile).failure(self._profile_failed).run()

    def _profile_failed(self, exc: BaseException) -> None:
        self._wanted = self.profile.member.id if self.profile is not None else None
        self._fail(exc)

    def reload_member(self) -> None:
        if self.profile is not None:
            self.select_member(self.profile.member.id)

    def _show_profile(self, profile: member_profiles.MemberProfile) -> None:
        m = profile.member
        if m.id != self._wanted:
            return  # an older request; a newer one is on its way
        self.profile = profile
        self.details.show_profile(profile)
        self._update_actions()
        self.history_panel.show_member(m.id)
        self.member_loaded.emit(m.id)

    def show_none(self) -> None:
        self.profile = None
        self._wanted = None
        self.details.show_none()
        self.history_panel.show_none()
        self._update_actions()

    # --- history ---------------------------------------------------------------------------

    def history_filter(self) -> tuple[list[str] | None, date | None, date | None]:
        return self.history_panel.history_filter()

    def load_history(self, *_args) -> None:
        self.history_panel.load()

    # --- changes (members_changes) ----------------------------------------------------------

    def edit_contact(self) -> None:
        self.changes.edit_contact()

    def register_member(self) -> None:
        self.changes.register_member()

    def edit_geography(self) -> None:
        """Compounds, buildings, units, households; the open member can be moved (住址)."""
        from counter_app.ui.members.geography_dialog import GeographyDialog

        if not self.can_manage() or self.dialog is not None:
            return
        member = self.profile.member if self.profile is not None else None
        dialog = GeographyDialog(self.ctx, member.id if member else None,
                                 member.name if member else "", self)
        dialog.changed.connect(lambda text: (self.say(text), self.refresh_results(),
                                             self.reload_member() if member else None))
        dialog.finished.connect(lambda _code: (setattr(self, "dialog", None), dialog.deleteLater(),
                                               self.focus_input()))
        self.dialog = dialog
        open_dialog(dialog)

    def toggle_blocked(self) -> None:
        self.changes.toggle_blocked()

    def replace_card(self) -> None:
        self.changes.replace_card()

    def confirm(self, question: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Confirm"), question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        return exec_dialog(box) == QMessageBox.StandardButton.Yes

    # --- export (members_export) --------------------------------------------------------------

    def export_history(self) -> None:
        self.exports.history()

    def export_results(self) -> None:
        self.exports.results()
