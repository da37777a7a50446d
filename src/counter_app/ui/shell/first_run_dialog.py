"""First start on an empty database. Two ways in:

* **Join the district** (the usual one, and the way back after a PC died): the district
  office gives the address of its server, this counter's number and password; the counter
  database is built from the district (first_start.join_district → sync.join).
* **Stand-alone**: name the community and this counter, create the first administrator;
  joining the district later is ``counter-app join`` on a new file.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLabel,
    QLineEdit, QRadioButton, QVBoxLayout,
)

from counter_app import counters, first_start
from counter_app.ui.common.errors import explain_on
from counter_app.ui.common.ops import Op
from counter_app.ui.common.scale import px


class FirstRunDialog(QDialog):
    """Accepts with ``info`` (stand-alone: the CounterInfo) or ``joined`` (the district's
    join result); after a join ``self.db`` was disposed: the caller reopens the file.
    ``join``: the district join function (default first_start.district_join())."""

    def __init__(self, db, parent=None, join=None):
        super().__init__(parent)
        self.db = db
        self.info = None
        self.joined = None
        self._join = join
        self.setWindowTitle(self.tr("Set up this counter"))
        self.setMinimumWidth(px(680))  # the district address is long
        intro = QLabel(self.tr("This database is new. Join the district with what the "
                               "district office gave you, or set up a counter of its own."))
        intro.setWordWrap(True)
        self.join_mode = QRadioButton(self.tr("Join the district (recommended; also after "
                                              "a PC was replaced)"))
        self.join_mode.setObjectName("setup_mode_join")
        self.standalone = QRadioButton(self.tr("Stand-alone counter (no district yet)"))
        self.standalone.setObjectName("setup_mode_standalone")
        modes = QButtonGroup(self)
        modes.addButton(self.join_mode)
        modes.addButton(self.standalone)
        self.join_mode.setChecked(True)

        self.fields = {}
        self.join_box = QGroupBox(self.tr("District"))
        join_form = QFormLayout(self.join_box)
        for key, label, placeholder in (
                ("district_url", self.tr("District server address"),
                 "postgresql://district.example/hpq"),
                ("join_counter_id", self.tr("Counter no. (from the district)"), "XF01"),
                ("join_password", self.tr("Counter password (from the district)"), ""),
                # only for a community's first counter (the district has no operator yet)
                ("join_admin", self.tr("First administrator (a new community only)"), ""),
                ("join_pin", self.tr("Their PIN (4-8 digits)"), "")):
            join_form.addRow(label, self._edit(key, placeholder,
                                               secret=key.endswith(("password", "pin"))))
        self.own_box = QGroupBox(self.tr("Stand-alone counter"))
        form = QFormLayout(self.own_box)
        for key, label, placeholder in (
                ("street", self.tr("Street"), self.tr("e.g. Heping Street")),
                ("community", self.tr("Community"), self.tr("e.g. Xingfu Community")),
                ("code", self.tr("Community code (card prefix)"), "XF"),
                ("counter_id", self.tr("Counter no."), "XF01"),
                ("counter_name", self.tr("Counter name"), self.tr("e.g. Points supermarket")),
                ("admin_name", self.tr("Administrator"), ""),
                ("pin", self.tr("Administrator PIN (4-8 digits)"), ""),
                ("pin2", self.tr("PIN again"), "")):
            form.addRow(label, self._edit(key, placeholder, secret=key.startswith("pin")))
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
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.join_mode)
        layout.addWidget(self.join_box)
        layout.addWidget(self.standalone)
        layout.addWidget(self.own_box)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.join_mode.toggled.connect(self._mode_changed)
        self._mode_changed()

    def _edit(self, key: str, placeholder: str, secret: bool) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(f"setup_{key}")
        edit.setPlaceholderText(placeholder)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.fields[key] = edit
        return edit

    def _mode_changed(self) -> None:
        joining = self.join_mode.isChecked()
        self.join_box.setEnabled(joining)
        self.own_box.setEnabled(not joining)
        self.message.setText("")

    def value(self, key: str) -> str:
        return self.fields[key].text().strip()

    def submit(self) -> None:
        if not self.buttons.isEnabled():
            return  # a join is running
        if self.join_mode.isChecked():
            self._submit_join()
            return
        if self.value("pin") != self.value("pin2"):
            self.message.setText(self.tr("The two PINs differ."))
            return
        Op(self, counters.first_setup, self.db, street=self.value("street"),
           community=self.value("community"), code=self.value("code"),
           counter_id=self.value("counter_id").upper(),
           counter_name=self.value("counter_name"), admin_name=self.value("admin_name"),
           admin_pin=self.value("pin"), point_scheme=self.scheme.currentData()) \
            .success(self._done).failure(self._failed).run()

    def _submit_join(self) -> None:
        self.buttons.setEnabled(False)
        self.message.setText(self.tr("Joining the district: fetching the members and "
                                     "balances, this may take a few minutes…"))
        Op(self, first_start.join_district, self.db, self.value("district_url"),
           self.value("join_counter_id"), self.fields["join_password"].text(),
           join=self._join, first_admin=(self.value("join_admin"), self.value("join_pin"))) \
            .success(self._joined).failure(self._failed).run()

    def _joined(self, joined) -> None:
        self.joined = joined
        self.accept()

    def _done(self, info) -> None:
        self.info = info
        self.accept()

    def _failed(self, exc) -> None:
        self.buttons.setEnabled(True)
        explain_on(self.message, self, exc)
