"""Operator log-in: pick your name, type the PIN (keyboard or the on-screen pad)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup, QDialog, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QVBoxLayout, QWidget,
)

from counter_app import sign_in
from counter_app.counter_info import CounterInfo
from counter_app.db.opening import resolve
from counter_app.errors import CounterError
from counter_app.roles import ROLE_LABELS, Role
from counter_app.ui.common.ops import Op, db_work
from counter_app.ui.shell.titles import counter_title
from counter_app.ui.common.text import fill
from counter_app.ui.common.scale import css, px


class PinPad(QWidget):
    """Large digit buttons for those who prefer touching to typing."""

    digit = Signal(str)
    backspace = Signal()
    clear = Signal()
    submit = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(8)
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "<"]
        for i, key in enumerate(keys):
            label = {"C": self.tr("Clear"), "<": self.tr("Back")}.get(key, key)
            button = QPushButton(label)
            button.setObjectName(f"pin_{key}")
            button.setMinimumSize(px(84), px(64))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep typing in the PIN box
            if key == "C":
                button.clicked.connect(self.clear)
            elif key == "<":
                button.clicked.connect(self.backspace)
            else:
                button.clicked.connect(lambda _=False, d=key: self.digit.emit(d))
            grid.addWidget(button, i // 3, i % 3)
        ok = QPushButton(self.tr("Log in"))
        ok.setObjectName("pin_ok")
        ok.setMinimumHeight(px(64))
        ok.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        ok.clicked.connect(self.submit)
        grid.addWidget(ok, 4, 0, 1, 3)


def _authenticate(db, operator_id: int, pin: str, counter_id: str):
    """On the worker, after the database opened (db.opening: the log-in may show first)."""
    from counter_app import operators

    return operators.authenticate(resolve(db), operator_id, pin, counter_id)


class LoginDialog(QDialog):
    """Accepts with ``self.actor`` set once a PIN is right. The names and the last sync
    are read on the database worker (or handed in as ``screen``, read at start-up before
    the database layer loaded); a name chosen or a PIN entered before they arrive is kept
    and used then. Imports nothing of the ORM: the window shows it while the rest loads."""

    def __init__(self, db, counter: CounterInfo, parent=None,
                 screen: sign_in.SignInScreen | None = None):
        super().__init__(parent)
        self.db = db
        self.counter = counter
        self.actor = None  # operators.Actor
        self.loaded = False
        self._wanted_operator: int | None = None
        self._submit_when_loaded = False
        self.setWindowTitle(self.tr("Log in — Points supermarket counter"))
        layout = QVBoxLayout(self)
        title = QLabel(counter_title(counter))
        title.setObjectName("login_title")
        title.setStyleSheet(css("font-size: 26pt; font-weight: bold;"))
        layout.addWidget(title, alignment=Qt.AlignmentFlag.AlignCenter)
        self.sync = QLabel(" ")
        self.sync.setObjectName("login_sync")
        layout.addWidget(self.sync, alignment=Qt.AlignmentFlag.AlignCenter)

        body = QHBoxLayout()
        layout.addLayout(body)
        names = QVBoxLayout()
        names.addWidget(QLabel(self.tr("1. Who are you?")))
        self.operator_buttons = QButtonGroup(self)
        self.operator_buttons.setExclusive(True)
        self.names = names
        names.addStretch(1)
        self.operator_buttons.idClicked.connect(lambda _id: self.pin.setFocus())
        body.addLayout(names, 1)

        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("2. Type your PIN, then press Enter")))
        self.pin = QLineEdit()
        self.pin.setObjectName("pin_input")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setStyleSheet(css("font-size: 24pt;"))
        self.pin.returnPressed.connect(self.try_login)
        right.addWidget(self.pin)
        pad = PinPad()
        pad.digit.connect(lambda d: self.pin.insert(d))
        pad.backspace.connect(self.pin.backspace)
        pad.clear.connect(self.pin.clear)
        pad.submit.connect(self.try_login)
        right.addWidget(pad)
        body.addLayout(right, 1)

        self.message = QLabel("")
        self.message.setObjectName("login_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(css("color: #b00020; font-size: 16pt;"))
        layout.addWidget(self.message)
        # Arrow keys move between names, so the keyboard alone is enough.
        QShortcut(QKeySequence(Qt.Key.Key_Down), self, lambda: self._step(1))
        QShortcut(QKeySequence(Qt.Key.Key_Up), self, lambda: self._step(-1))
        self._no_default_buttons()
        self.pin.setFocus()
        if screen is not None:
            self._show_screen(screen)
        else:
            Op(self, db_work(sign_in.sign_in_screen), db).success(self._show_screen).run()

    def _no_default_buttons(self) -> None:
        # In a QDialog, Enter also "clicks" an auto-default button; here Enter belongs to the
        # PIN box alone (otherwise it would toggle the operator choice behind its back).
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)

    def _show_screen(self, screen: sign_in.SignInScreen) -> None:
        self.sync.setText(fill(self.tr("Last sync with the district: %1"),
                               screen.last_sync or self.tr("never")))
        for op_id, name, role in screen.operators:
            button = QPushButton(f"{name}（{ROLE_LABELS[Role(role)]}）")
            button.setCheckable(True)
            button.setMinimumHeight(px(56))
            button.setObjectName(f"operator_{op_id}")
            self.operator_buttons.addButton(button, op_id)
            self.names.insertWidget(self.names.count() - 1, button)
        self._no_default_buttons()
        buttons = self.operator_buttons.buttons()
        wanted = self.operator_buttons.button(self._wanted_operator or -1)
        if wanted is not None:
            wanted.setChecked(True)
        elif buttons:
            buttons[0].setChecked(True)
        self.loaded = True
        if self._submit_when_loaded:
            self.pin.setEnabled(True)
            self.try_login()

    def _step(self, delta: int) -> None:
        buttons = self.operator_buttons.buttons()
        if not buttons:
            return
        current = self.operator_buttons.checkedButton()
        index = buttons.index(current) if current in buttons else -1
        buttons[(index + delta) % len(buttons)].setChecked(True)
        self.pin.setFocus()

    def select_operator(self, operator_id: int) -> None:
        if not self.loaded:
            self._wanted_operator = operator_id
            return
        self.operator_buttons.button(operator_id).setChecked(True)

    def try_login(self) -> None:
        if not self.pin.isEnabled():
            return  # a check is running: a double tap must not count as two wrong PINs
        if not self.loaded:
            self._submit_when_loaded = True  # the names are on their way: log in then
            self.pin.setEnabled(False)
            return
        op_id = self.operator_buttons.checkedId()
        if op_id < 0:
            self.message.setText(self.tr("Please choose your name first."))
            return
        pin = self.pin.text()
        if not pin:
            self.message.setText(self.tr("Please type your PIN."))
            return
        self.message.setText(self.tr("Checking…"))
        self.pin.setEnabled(False)
        (Op(self, db_work(_authenticate), self.db, op_id, pin, self.counter.id)
         .success(self._logged_in).failure(self._failed).run())

    def _logged_in(self, actor) -> None:
        self.actor = actor
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.pin.setEnabled(True)
        self.pin.clear()
        self.pin.setFocus()
        from counter_app.ui.common.errors import explain_on

        explain_on(self.message, self, exc)
