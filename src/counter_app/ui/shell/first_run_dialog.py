"""First start on an empty database: name the community and this counter, create the
first administrator. Everything else (members, goods, more operators) follows in the app."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
)

from counter_app import counters
from counter_app.errors import CounterError
from counter_app.ui.common.errors import report_exception
from counter_app.ui.common.ops import Op


class FirstRunDialog(QDialog):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        self.info = None
        self.setWindowTitle(self.tr("Set up this counter"))
        intro = QLabel(self.tr("This database is new. Name the community and this counter, "
                               "and create the first administrator."))
        intro.setWordWrap(True)
        form = QFormLayout()
        self.fields = {}
        for key, label, placeholder in (
                ("street", self.tr("Street"), self.tr("e.g. Heping Street")),
                ("community", self.tr("Community"), self.tr("e.g. Xingfu Community")),
                ("code", self.tr("Community code (card prefix)"), "XF"),
                ("counter_id", self.tr("Counter no."), "XF01"),
                ("counter_name", self.tr("Counter name"), self.tr("e.g. Points supermarket")),
                ("admin_name", self.tr("Administrator"), ""),
                ("pin", self.tr("Administrator PIN (4-8 digits)"), ""),
                ("pin2", self.tr("PIN again"), "")):
            edit = QLineEdit()
            edit.setObjectName(f"setup_{key}")
            edit.setPlaceholderText(placeholder)
            if key.startswith("pin"):
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(label, edit)
            self.fields[key] = edit
        self.scheme = QComboBox()
        self.scheme.setObjectName("setup_scheme")
        self.scheme.addItem(self.tr("Scheme A: 8 categories, 21 items (5/10/15 points)"), "A")
        self.scheme.addItem(self.tr("Scheme B: 7 categories, 35 items (5/10/20 points)"), "B")
        self.scheme.addItem(self.tr("None yet (add point items later)"), None)
        form.addRow(self.tr("Point items"), self.scheme)
        self.message = QLabel()
        self.message.setObjectName("setup_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def value(self, key: str) -> str:
        return self.fields[key].text().strip()

    def submit(self) -> None:
        if self.value("pin") != self.value("pin2"):
            self.message.setText(self.tr("The two PINs differ."))
            return
        Op(self, counters.first_setup, self.db, street=self.value("street"),
           community=self.value("community"), code=self.value("code"),
           counter_id=self.value("counter_id").upper(),
           counter_name=self.value("counter_name"), admin_name=self.value("admin_name"),
           admin_pin=self.value("pin"), point_scheme=self.scheme.currentData()) \
            .success(self._done).failure(self._failed).run()

    def _done(self, info) -> None:
        self.info = info
        self.accept()

    def _failed(self, exc) -> None:
        if isinstance(exc, CounterError):
            self.message.setText(str(exc))
        else:
            report_exception(self, exc)
