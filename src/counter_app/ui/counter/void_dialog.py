"""Void a redemption: receipt number, a reason, and an administrator's PIN."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
)

from counter_app.errors import CounterError
from counter_app.ui.common.errors import report_exception
from counter_app.ui.common.ops import Op
from counter_app.ui.counter import counter_calls as calls


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
        Op(self, calls.void_choices, ctx.db, ctx.counter.id).success(self._choices).run()

    def _choices(self, choices) -> None:
        if not self.receipt_no.text():
            self.receipt_no.setText(choices.last_receipt_no or "")
        for op_id, name in choices.admins:
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
        requested_by = self.ctx.actor.name if self.ctx.actor else None
        self._set_busy(True)
        self.message.setText(self.tr("Checking…"))
        # The receipt is printed by the page afterwards, on the printer thread.
        Op(self, calls.void, self.ctx.db, self.admin.currentData(), self.pin.text(),
           self.ctx.counter.id, number, reason, requested_by) \
            .success(self._done).failure(self._failed).run()

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
