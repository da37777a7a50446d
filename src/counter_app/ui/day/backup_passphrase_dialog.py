"""Setting the backup passphrase from the settings page (administrators): typed twice,
a strength hint while typing, stored in the system keyring by backup_secret.set_passphrase
(on the worker: a keyring may be slow) where the timed and day-close backups find it."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from counter_app import backup_secret
from counter_app.ui.common.errors import explain_on
from counter_app.ui.common.ops import Op, db_work
from counter_app.ui.common.scale import px

_COLOURS = {backup_secret.TOO_SHORT: "#b00020", backup_secret.WEAK: "#b00020",
            backup_secret.FAIR: "#8a6d00", backup_secret.STRONG: "#1b5e20"}


class BackupPassphraseDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.stored: bool | None = None  # after saving: in the keyring, or nowhere
        self.setObjectName("backup_passphrase")
        self.setWindowTitle(self.tr("Backup passphrase"))
        self.setMinimumWidth(px(480))
        intro = QLabel(self.tr(
            "Backups are encrypted with this passphrase. Keep it at the community office: "
            "without it no backup can be restored. Backups made before a change still need "
            "the old passphrase."))
        intro.setWordWrap(True)
        self.first = QLineEdit()
        self.first.setObjectName("backup_passphrase_first")
        self.again = QLineEdit()
        self.again.setObjectName("backup_passphrase_again")
        for field in (self.first, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.textChanged.connect(self._hint)
        self.strength = QLabel()
        self.strength.setObjectName("backup_passphrase_strength")
        self.message = QLabel()
        self.message.setObjectName("backup_passphrase_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.tr("New passphrase"), self.first)
        form.addRow(self.tr("Once more"), self.again)
        form.addRow("", self.strength)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._hint()

    def _hint(self) -> None:
        level = backup_secret.strength(self.first.text())
        text = {backup_secret.TOO_SHORT: self.tr("Too short: at least 8 characters"),
                backup_secret.WEAK: self.tr("Weak: easy to guess"),
                backup_secret.FAIR: self.tr("Fair: longer, or mix digits, letters and "
                                            "Chinese characters"),
                backup_secret.STRONG: self.tr("Strong")}[level]
        if self.again.text() and self.again.text() != self.first.text():
            text += self.tr("; the two entries differ")
        self.strength.setText(text)
        self.strength.setStyleSheet(f"color: {_COLOURS[level]};")
        self.message.clear()

    def save(self) -> None:
        self.buttons.setEnabled(False)
        Op(self, db_work(backup_secret.set_passphrase), self.ctx.db, self.ctx.actor,
           self.first.text(), self.again.text()).success(self._saved).failure(self._failed).run()

    def _saved(self, stored: bool) -> None:
        self.stored = stored
        self.buttons.setEnabled(True)
        if stored:
            self.accept()
            return
        self.message.setText(self.tr(
            "This PC has no usable system keyring: the passphrase was NOT saved. Timed and "
            "day-close backups will not run; make backups with 'counter-app backup --run', "
            "which asks for the passphrase."))

    def _failed(self, exc) -> None:
        self.buttons.setEnabled(True)
        explain_on(self.message, self, exc)
