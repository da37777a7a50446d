"""The changes made from the members page: edit name/phone, register, block/unblock,
give a new card. The writes themselves happen in ``member_edit_dialog`` and in
``members.replace_card``; this opens the dialogs, asks, and tells the page what became of
it. The page owns the state (``profile``, ``dialog``) and the signals."""

from __future__ import annotations

from PySide6.QtCore import QObject

from counter_app import member_profiles, members
from counter_app.ui.members.member_edit_dialog import BlockDialog, MemberEditDialog, MemberRegisterDialog
from counter_app.ui.common.focus import open_dialog
from counter_app.ui.common.ops import Op
from counter_app.ui.common.text import fill


class MemberChanges(QObject):
    def __init__(self, page):  # the MembersPage that owns this helper (no import: no cycle)
        super().__init__(page)
        self.page = page

    def _open_dialog(self, dialog) -> None:
        self.page.dialog = dialog
        dialog.done.connect(lambda _result: self._dialog_done(dialog))
        dialog.finished.connect(lambda _code: self._dialog_closed(dialog))
        open_dialog(dialog)

    def _dialog_done(self, dialog) -> None:
        page = self.page
        if isinstance(dialog, MemberRegisterDialog):
            return
        if isinstance(dialog, BlockDialog):
            name = page.profile.member.name if page.profile is not None else ""
            template = self.tr("%1 is blocked.") if dialog.block else self.tr("%1 is unblocked.")
            page.say(fill(template, name))
        else:
            page.say(self.tr("Saved."))
        page.refresh_results()
        page.reload_member()
        if page.profile is not None:
            page.member_saved.emit(page.profile.member.id)

    def _dialog_closed(self, dialog) -> None:
        if self.page.dialog is dialog:
            self.page.dialog = None
            dialog.deleteLater()
        self.page.focus_input()

    def edit_contact(self) -> None:
        page = self.page
        if page.profile is None or not page.can_manage() or page.dialog is not None:
            return
        member_id = page.profile.member.id
        page.dialog = "loading"  # a second Ctrl+E while the contact loads does nothing

        def loaded(contact):
            page.dialog = None
            self._open_dialog(MemberEditDialog(page.ctx, member_id, contact[0], contact[1],
                                               page))

        def failed(exc):
            page.dialog = None
            page._fail(exc)

        Op(page, member_profiles.load_contact, page.ctx.db, member_id) \
            .success(loaded).failure(failed).run()

    def register_member(self) -> None:
        page = self.page
        if not page.can_manage() or page.dialog is not None:
            return
        dialog = MemberRegisterDialog(page.ctx, page)
        dialog.done.connect(self._registered)
        self._open_dialog(dialog)

    def _registered(self, member_id: int) -> None:
        page = self.page

        def shown(mid):
            if mid != member_id:
                return
            page.member_loaded.disconnect(shown)
            m = page.profile.member
            page.say(fill(self.tr("Registered %1. Card no. %2"), m.name, m.card_code))
            page.member_saved.emit(member_id)

        page.member_loaded.connect(shown)
        page.select_member(member_id)

    def toggle_blocked(self) -> None:
        page = self.page
        if page.profile is None or not page.can_manage() or page.dialog is not None:
            return
        m = page.profile.member
        self._open_dialog(BlockDialog(page.ctx, m.id, m.name, not m.blocked, page))

    def replace_card(self) -> None:
        page = self.page
        if page.profile is None or not page.can_manage():
            return
        m = page.profile.member
        question = fill(self.tr(
            "Give %1 a new card?\n\nThe old card %2 will stop working at once."),
            m.name, m.card_code)
        if not page.confirm(question):
            page.focus_input()
            return
        old = m.card_code
        page.card_button.setEnabled(False)
        Op(page, members.replace_card, page.ctx.db, page.ctx.actor, m.id) \
            .success(lambda code: self._card_replaced(m.id, old, code)) \
            .failure(self._write_failed).run()

    def _card_replaced(self, member_id: int, old: str, code: str) -> None:
        page = self.page
        page.say(fill(self.tr("New card no. %1 — the old card %2 is blocked."), code, old))
        page.refresh_results()
        if page.profile is not None and page.profile.member.id == member_id:
            page.reload_member()
        page._update_actions()
        page.card_replaced.emit(code)

    def _write_failed(self, exc: BaseException) -> None:
        self.page._update_actions()
        self.page._fail(exc)
