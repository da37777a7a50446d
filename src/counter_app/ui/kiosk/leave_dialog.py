"""Leaving the kiosk: an administrator picks their name and types the PIN (touch pad or
keyboard). Nothing else of the counter is reachable from the kiosk."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, \
    QVBoxLayout

from counter_app import kiosk_view
from counter_app.ui.common.errors import explain_on
from counter_app.ui.common.ops import Op, db_work
from counter_app.ui.common.scale import css, px
from counter_app.ui.shell.login_dialog import PinPad


class LeaveKioskDialog(QDialog):
    """Accepts once an administrator's PIN is right (``self.actor``)."""

    def __init__(self, db, counter_id: str, parent=None):
        super().__init__(parent)
        self.db, self.counter_id = db, counter_id
        self.actor = None
        self.setWindowTitle(self.tr("Leave the kiosk"))
        self.setStyleSheet(css("font-size: 18pt;"))
        intro = QLabel(self.tr("Staff only: an administrator's PIN ends the kiosk."))
        intro.setWordWrap(True)
        self.admin = QComboBox()
        self.admin.setObjectName("kiosk_leave_admin")
        self.pin = QLineEdit()
        self.pin.setObjectName("kiosk_leave_pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMinimumHeight(px(52))
        self.pin.returnPressed.connect(self.try_leave)
        pad = PinPad()
        pad.digit.connect(self.pin.insert)
        pad.backspace.connect(self.pin.backspace)
        pad.clear.connect(self.pin.clear)
        pad.submit.connect(self.try_leave)
        self.message = QLabel()
        self.message.setObjectName("kiosk_leave_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(css("color: #b00020; font-size: 16pt;"))
        cancel = QPushButton(self.tr("Back to the kiosk"))
        cancel.setObjectName("kiosk_leave_cancel")
        cancel.setMinimumHeight(px(56))
        cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Administrator")))
        row.addWidget(self.admin, 1)
        layout.addLayout(row)
        layout.addWidget(self.pin)
        layout.addWidget(pad)
        layout.addWidget(self.message)
        layout.addWidget(cancel)
        self.pin.setFocus()
        Op(self, db_work(kiosk_view.administrators), db).success(self._show_admins).run()

    def _show_admins(self, admins) -> None:
        for op_id, name in admins:
            self.admin.addItem(name, op_id)

    def try_leave(self) -> None:
        if not self.pin.isEnabled():
            return
        op_id = self.admin.currentData()
        if op_id is None:
            self.message.setText(self.tr("No administrator is set up on this counter."))
            return
        if not self.pin.text():
            self.message.setText(self.tr("Please type your PIN."))
            return
        self.pin.setEnabled(False)
        self.message.setText(self.tr("Checking…"))
        Op(self, db_work(kiosk_view.leave), self.db, op_id, self.pin.text(), self.counter_id) \
            .success(self._left).failure(self._failed).run()

    def _left(self, actor) -> None:
        self.actor = actor
        self.accept()

    def _failed(self, exc) -> None:
        self.pin.setEnabled(True)
        self.pin.clear()
        self.pin.setFocus()
        explain_on(self.message, self, exc)
