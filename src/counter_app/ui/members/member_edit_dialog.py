"""Dialogs of the members page: edit name/phone, register a member, block/unblock.

Each dialog does its own write through ``Op`` and shows a refused write (a domain
error, e.g. a wrong phone number or a missing permission) in red inside the dialog,
so the person can correct it without losing what they typed. ``done`` carries the
result of the write; the dialog then closes. Dialogs are opened with ``open()`` (not a
nested ``exec()`` loop), which keeps them easy to drive from tests.
"""

from __future__ import annotations

import re
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit,
    QVBoxLayout,
)

from counter_app import member_profiles, members
from counter_app.db.models import CATEGORY_LABELS, MemberCategory
from counter_app.errors import CounterError
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.errors import report_exception
from counter_app.ui.common.ops import Op
from counter_app.ui.common.text import fill
from counter_app.ui.common.scale import css, px

_SEPARATORS = re.compile(r"[\s\-]")


def clean_phone(text: str) -> str:
    """Typed phone numbers often carry spaces or dashes: 138 1234 5678."""
    return _SEPARATORS.sub("", text)


class ActionDialog(QDialog):
    """A form, a red message line, OK/Cancel; OK runs ``work()`` in the background."""

    done = Signal(object)  # the write's result, after it committed

    def __init__(self, ctx: UiContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.busy = False
        self.setModal(True)
        self.setMinimumWidth(px(560))
        self.setStyleSheet(css("QLabel, QLineEdit, QComboBox, QPlainTextEdit, QPushButton "
                               "{ font-size: 16pt; }"))
        self.form = QFormLayout()
        self.form.setVerticalSpacing(12)
        self.error = QLabel()
        self.error.setObjectName("dialog_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(css("color: #b00020; font-size: 16pt;"))
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("dialog_ok")
        self.ok_button.setText(self.tr("Save"))
        self.ok_button.setMinimumHeight(px(52))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        cancel.setMinimumHeight(px(52))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def line_edit(self, label: str, name: str, text: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setObjectName(name)
        edit.setMinimumHeight(px(44))
        edit.returnPressed.connect(self.submit)
        self.form.addRow(label, edit)
        return edit

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # --- running the write --------------------------------------------------------------

    def work(self):
        """The write as a no-argument callable for the worker thread (values read from the
        widgets here, on the GUI thread), or None when there is nothing to do. May raise
        CounterError for a check made before any database work."""
        raise NotImplementedError

    def submit(self) -> None:
        if self.busy:
            return
        try:
            job = self.work()
        except CounterError as exc:
            self.show_error(str(exc))
            return
        if job is None:  # nothing changed: nothing to write, nothing to report
            self.accept()
            return
        self.busy = True
        self.show_error("")
        self.ok_button.setEnabled(False)
        Op(self, job).success(self._succeeded).failure(self._failed).run()

    def _succeeded(self, result) -> None:
        self.busy = False
        self.done.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        if isinstance(exc, CounterError):
            self.show_error(str(exc))
        else:
            self.show_error(self.tr("Not saved: something went wrong (see the log)."))
            report_exception(self, exc)

    def reject(self) -> None:
        if not self.busy:  # a write under way finishes and reports first
            super().reject()


class MemberEditDialog(ActionDialog):
    """Name and phone. An empty phone removes the number."""

    def __init__(self, ctx: UiContext, member_id: int, name: str, phone: str, parent=None):
        super().__init__(ctx, parent)
        self.setWindowTitle(self.tr("Edit member"))
        self.member_id = member_id
        self._old = (name, phone)
        self.name = self.line_edit(self.tr("Name"), "edit_name", name)
        self.phone = self.line_edit(self.tr("Mobile phone"), "edit_phone", phone)
        self.phone.setPlaceholderText(self.tr("11 digits, or empty"))
        self.name.setFocus()
        self.name.selectAll()

    def work(self):
        name, phone = self.name.text().strip(), clean_phone(self.phone.text())
        new_name = name if name != self._old[0] else None
        new_phone = phone if phone != self._old[1] else None
        if new_name is None and new_phone is None:
            return None
        return partial(members.update_contact, self.ctx.db, self.ctx.actor, self.member_id,
                       name=new_name, phone=new_phone)


class MemberRegisterDialog(ActionDialog):
    """A new member; ``done`` carries the new member id. The card code is made by the core."""

    def __init__(self, ctx: UiContext, parent=None):
        super().__init__(ctx, parent)
        self.setWindowTitle(self.tr("New member"))
        self.ok_button.setText(self.tr("Register"))
        self.name = self.line_edit(self.tr("Name"), "new_name")
        self.category = QComboBox()
        self.category.setObjectName("new_category")
        self.category.setMinimumHeight(px(44))
        for category, label in CATEGORY_LABELS.items():
            self.category.addItem(label, str(category))
        self.form.addRow(self.tr("Category"), self.category)
        self.phone = self.line_edit(self.tr("Mobile phone"), "new_phone")
        self.id_number = self.line_edit(self.tr("ID number"), "new_id_number")
        self.compound = QComboBox()
        self.compound.setObjectName("new_compound")
        self.compound.setMinimumHeight(px(44))
        self.compound.addItem(self.tr("(not set)"), None)
        self.form.addRow(self.tr("Residential compound"), self.compound)
        self.work_unit = self.line_edit(self.tr("Work unit"), "new_work_unit")
        self.address = QPlainTextEdit()
        self.address.setObjectName("new_address")
        self.address.setFixedHeight(px(72))
        self.address.setTabChangesFocus(True)
        self.form.addRow(self.tr("Address"), self.address)
        self.category.currentIndexChanged.connect(self._category_changed)
        self._category_changed()
        self.name.setFocus()
        Op(self, member_profiles.load_compounds, ctx.db, ctx.counter.community_id) \
            .success(self._set_compounds).failure(lambda exc: None).run()

    def _set_compounds(self, compounds) -> None:
        for cid, name in compounds:
            self.compound.addItem(name, cid)

    def chosen_category(self) -> MemberCategory:
        return MemberCategory(self.category.currentData())

    def _category_changed(self) -> None:
        category = self.chosen_category()
        self.work_unit.setPlaceholderText(
            self.tr("Required for party members in service")
            if category is MemberCategory.PARTY_IN_SERVICE else self.tr("Optional"))
        self.address.setPlaceholderText(
            self.tr("For organisations and merchants")
            if category in (MemberCategory.ORGANISATION, MemberCategory.MERCHANT)
            else self.tr("Optional (residents: choose the compound)"))

    def work(self):
        values = dict(
            name=self.name.text().strip(), category=self.chosen_category(),
            community_id=self.ctx.counter.community_id,
            phone=clean_phone(self.phone.text()) or None,
            id_number=self.id_number.text().strip().upper() or None,
            compound_id=self.compound.currentData(),
            work_unit=self.work_unit.text().strip() or None,
            address=self.address.toPlainText().strip() or None,
        )
        return partial(members.register, self.ctx.db, self.ctx.actor, **values)


class BlockDialog(ActionDialog):
    """Block (or unblock) a member, with the reason kept in the audit trail."""

    def __init__(self, ctx: UiContext, member_id: int, name: str, block: bool, parent=None):
        super().__init__(ctx, parent)
        self.setWindowTitle(self.tr("Block member") if block else self.tr("Unblock member"))
        self.member_id, self.block = member_id, block
        self.ok_button.setText(self.tr("Block") if block else self.tr("Unblock"))
        intro = QLabel(fill(self.tr("Block %1? The member can no longer redeem or earn points.")
                        if block else self.tr("Unblock %1? The member can redeem again."), name))
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.reason = self.line_edit(self.tr("Reason"), "block_reason")
        self.reason.setFocus()

    def work(self):
        reason = self.reason.text().strip()
        if not reason:
            raise CounterError(self.tr("Please give a reason."))
        return partial(members.set_blocked, self.ctx.db, self.ctx.actor, self.member_id,
                       self.block, reason)
