"""Void a redemption: receipt number, a reason, and an administrator's PIN."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
)

from counter_app import operators, redemption
from counter_app.db.models import Role
from counter_app.errors import CounterError
from counter_app.ui.common.errors import report_exception
from counter_app.ui.common.ops import Op


def _load_choices(db, counter_id):
    """Worker thread: the last receipt number and the administrators to choose from."""
    with db.read() as s:
        last = redemption.last_receipt_no(s, counter_id)
    admins = [(op_id, name) for op_id, name, role in operators.list_operators(db)
              if role == Role.ADMIN]
    return last, admins


class VoidDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.result_receipt = None
        self.setWindowTitle(self.tr("Void a redemption"))
        form = QFormLayout()
        self.receipt_no = QLineEdit()
        self.receipt_no.setObjectName("void_receipt")
        self.reason = QLineEdit()
        self.reason.setObjectName("void_reason")
        self.reason.setPlaceholderText(self.tr("e.g. wrong item taken"))
        self.admin = QComboBox()
        self.admin.setObjectName("void_admin")
        self.pin = QLineEdit()
        self.pin.setObjectName("void_pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Receipt no."), self.receipt_no)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Administrator"), self.admin)
        form.addRow(self.tr("Administrator PIN"), self.pin)
        self.message = QLabel()
        self.message.setObjectName("void_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.busy = False
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.reason.setFocus()
        Op(self, _load_choices, ctx.db, ctx.counter.id).success(self._choices).run()

    def _choices(self, loaded) -> None:
        last, admins = loaded
        if not self.receipt_no.text():
            self.receipt_no.setText(last or "")
        for op_id, name in admins:
            self.admin.addItem(name, op_id)

    def submit(self) -> None:
        number = self.receipt_no.text().strip()
        reason = self.reason.text().strip()
        if not number or not reason:
            self.message.setText(self.tr("Please fill in the receipt number and the reason."))
            return
        if self.admin.currentData() is None:
            self.message.setText(self.tr("No administrator is set up on this counter."))
            return
        if self.busy:
            return  # one PIN check and one void per press of OK
        admin_id, pin, db, counter_id = (self.admin.currentData(), self.pin.text(), self.ctx.db,
                                         self.ctx.counter.id)
        requested_by = self.ctx.actor.name if self.ctx.actor else None

        def work():  # the receipt is printed by the page afterwards, on the printer thread
            admin = operators.authenticate(db, admin_id, pin, counter_id)
            return redemption.void(db, admin, number, reason, requested_by=requested_by)

        self._set_busy(True)
        self.message.setText(self.tr("Checking…"))
        Op(self, work).success(self._done).failure(self._failed).run()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.ok_button.setEnabled(not busy)

    def reject(self) -> None:
        if not self.busy:  # Esc during the void would hide a void that still commits
            super().reject()

    def _done(self, receipt) -> None:
        self._set_busy(False)
        self.result_receipt = receipt
        self.accept()

    def _failed(self, exc) -> None:
        self._set_busy(False)
        self.pin.clear()
        if isinstance(exc, CounterError):
            self.message.setText(str(exc))
        else:
            self.message.setText("")
            report_exception(self, exc)
