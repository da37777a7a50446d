"""The kiosk window: a welcome screen, and after a card scan the member's points in very
large type; back to the welcome screen after ``timeout_s`` seconds.

No operator logs in, and nothing of the counter is reachable: the window ignores close
requests and Esc; leaving needs an administrator's PIN (the 工作人员 button or
Ctrl+Shift+Q). Runs full screen without a window manager, so it activates itself and
takes the keyboard back whenever it lost it (a keyboard-wedge scanner types into the
focused window). Scans come as keys (wedge) or from a serial scanner (``scan``).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication, QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QStackedWidget,
    QVBoxLayout, QWidget,
)

from counter_app import kiosk_view
from counter_app.errors import CounterError
from counter_app.ui.common.ops import Op, db_work
from counter_app.ui.common.scale import css, px
from counter_app.ui.common.text import fill

LEAVE_KEY = "Ctrl+Shift+Q"
ERROR_SHOWN_MS = 8000
FOCUS_CHECK_MS = 1000
WELCOME, MEMBER = 0, 1
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _label(name: str, size: int, *, bold: bool = False, color: str = "#1a1a1a",
           wrap: bool = True, align=Qt.AlignmentFlag.AlignLeft) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet(css(f"font-size: {size}pt; color: {color};"
                            + (" font-weight: bold;" if bold else "")))
    label.setWordWrap(wrap)
    label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    return label


class KioskWindow(QWidget):
    """``reader``: a kiosk_view.KioskReader (its ``scan`` runs on the database worker);
    ``counter``: counters.CounterInfo; ``speaker``: a SpeechOutput (ui/devices) or None."""

    shown = Signal(object)  # the KioskView now on screen
    returned = Signal()  # back on the welcome screen
    refused = Signal(str)  # a scan that opened nothing, and why
    left = Signal(object)  # an administrator ended the kiosk (their Actor)

    def __init__(self, reader, counter, timeout_s: float = 20, speaker=None, parent=None):
        super().__init__(parent)
        self.reader, self.counter, self.speaker = reader, counter, speaker
        self.timeout_ms = max(1, round(timeout_s * 1000))
        self.view: kiosk_view.KioskView | None = None
        self.unlocked = False
        self._keys: list[str] = []
        self._busy = False
        self._next_code: str | None = None
        self.leave_dialog = None
        self.setObjectName("kiosk_window")
        self.setWindowTitle(self.tr("Points self-service"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)  # scans are keys
        self.setStyleSheet("QWidget#kiosk_window { background: #fbf7ef; }")

        self.stack = QStackedWidget()
        self.stack.addWidget(self._welcome_page())
        self.stack.addWidget(self._member_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(px(40), px(16), px(40), px(8))
        layout.addWidget(self.stack, 1)
        footer = QHBoxLayout()
        self.countdown = _label("kiosk_countdown", 16, color="#666666", wrap=False)
        footer.addWidget(self.countdown, 1)
        staff = QPushButton(self.tr("Staff"))
        staff.setObjectName("kiosk_staff")
        staff.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        staff.setFlat(True)
        staff.setStyleSheet(css("font-size: 12pt; color: #999999;"))
        staff.clicked.connect(self.ask_leave)
        footer.addWidget(staff)
        layout.addLayout(footer)
        QShortcut(QKeySequence(LEAVE_KEY), self, self.ask_leave)

        self.back_timer = QTimer(self, singleShot=True, interval=self.timeout_ms)
        self.back_timer.timeout.connect(self.show_welcome)
        self.error_timer = QTimer(self, singleShot=True, interval=ERROR_SHOWN_MS)
        self.error_timer.timeout.connect(lambda: self.welcome_error.setText(""))
        self.tick = QTimer(self, interval=1000)
        self.tick.timeout.connect(self._show_countdown)
        self.focus_timer = QTimer(self, interval=FOCUS_CHECK_MS)
        self.focus_timer.timeout.connect(self.keep_focus)
        self.focus_timer.start()

    # --- pages ---------------------------------------------------------------------------

    def _welcome_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        centre = Qt.AlignmentFlag.AlignHCenter
        title = _label("kiosk_community", 28, color="#8a5a00", align=centre)
        title.setText(fill(self.tr("%1 · Points supermarket"), self.counter.community))
        prompt = _label("kiosk_prompt", 56, bold=True, align=centre)
        prompt.setText(self.tr("Please scan your member card"))
        hint = _label("kiosk_hint", 26, color="#444444", align=centre)
        hint.setText(self.tr("Hold the barcode of the card under the scanner: you will see "
                             "your points, what you earned and redeemed, and what you can "
                             "redeem now."))
        self.welcome_error = _label("kiosk_error", 30, bold=True, color="#b00020", align=centre)
        box.addWidget(title)
        box.addStretch(2)
        box.addWidget(prompt)
        box.addSpacing(px(24))
        box.addWidget(hint)
        box.addStretch(1)
        box.addWidget(self.welcome_error)
        box.addStretch(2)
        return page

    def _member_page(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setHorizontalSpacing(px(48))
        grid.setVerticalSpacing(px(6))
        grid.setContentsMargins(0, 0, 0, 0)
        self.name = _label("kiosk_name", 44, bold=True, wrap=False)
        self.card = _label("kiosk_card", 22, color="#666666", wrap=False)
        who = QVBoxLayout()
        who.addWidget(self.name)
        who.addWidget(self.card)
        who.addStretch(1)
        caption = _label("kiosk_balance_caption", 26, color="#444444", wrap=False,
                         align=Qt.AlignmentFlag.AlignRight)
        caption.setText(self.tr("Your points now"))
        self.balance = _label("kiosk_balance", 96, bold=True, color="#0b6e2e", wrap=False,
                              align=Qt.AlignmentFlag.AlignRight)
        points = QVBoxLayout()
        points.setSpacing(0)
        points.addWidget(caption)
        points.addWidget(self.balance)
        head = QHBoxLayout()
        head.addLayout(who, 1)
        head.addLayout(points)
        grid.addLayout(head, 0, 0, 1, 2)
        self.notice = _label("kiosk_notice", 26, bold=True, color="#b00020")
        self.notice.hide()
        grid.addWidget(self.notice, 1, 0, 1, 2)
        self.redeemable = self._list(grid, 2, 0, self.tr("You can redeem now"), "kiosk_redeemable")
        self.close_items = self._list(grid, 2, 1, self.tr("A few points more"), "kiosk_close")
        self.earnings = self._list(grid, 4, 0, self.tr("Recently earned"), "kiosk_earnings")
        self.redemptions = self._list(grid, 4, 1, self.tr("Recently redeemed"),
                                      "kiosk_redemptions")
        done = QPushButton(self.tr("Done"))
        done.setObjectName("kiosk_done")
        done.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        done.setMinimumHeight(px(72))
        done.setStyleSheet(css("font-size: 26pt;"))
        done.clicked.connect(self.show_welcome)
        grid.addWidget(done, 6, 0, 1, 2)
        grid.setRowStretch(3, 1)
        grid.setRowStretch(5, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        return page

    def _list(self, grid, row: int, col: int, title: str, name: str) -> QLabel:
        heading = _label(f"{name}_title", 24, bold=True, color="#8a5a00", wrap=False)
        heading.setText(title)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        box = QVBoxLayout()
        box.setSpacing(px(4))
        box.addWidget(heading)
        box.addWidget(line)
        grid.addLayout(box, row, col)
        body = _label(name, 22)
        body.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        body.setTextFormat(Qt.TextFormat.PlainText)
        grid.addWidget(body, row + 1, col)
        return body

    # --- scans ---------------------------------------------------------------------------

    def keyPressEvent(self, event) -> None:
        """A keyboard-wedge scanner types the code and Enter (CR, or CR LF)."""
        if event.key() in ENTER_KEYS:
            code, self._keys = "".join(self._keys), []
            if code.strip():
                self.scan(code)
            return
        text = event.text()
        if len(text) == 1 and text.isascii() and text.isprintable():
            self._keys.append(text)
            del self._keys[:-64]  # no code is longer; a stuck key must not grow a list
            return
        if event.key() == Qt.Key.Key_Escape:
            return  # no way out but the administrator's PIN
        super().keyPressEvent(event)

    def scan(self, code: str) -> None:
        """Show the member of ``code`` (looked up on the database worker). A scan while
        one is being looked up waits; of several waiting only the last counts."""
        if self._busy:
            self._next_code = code
            return
        self._busy = True
        Op(self, db_work(self.reader.scan), self.counter, code) \
            .success(self._show_view).failure(self._refused).run()

    def _scan_done(self) -> None:
        self._busy = False
        code, self._next_code = self._next_code, None
        if code is not None:
            self.scan(code)

    def _show_view(self, view: kiosk_view.KioskView) -> None:
        self.view = view
        self.name.setText(view.name)
        self.card.setText(fill(self.tr("Card ending %1"), view.card))
        self.balance.setText(fill(self.tr("%1 points"), f"{view.balance:,}"))
        self.notice.setText(view.notice or "")
        self.notice.setVisible(bool(view.notice))
        none = self.tr("(none)")
        self.redeemable.setText("\n".join(
            fill(self.tr("%1  %2 points"), i.name, i.points) for i in view.redeemable) or none)
        self.close_items.setText("\n".join(
            fill(self.tr("%1  %2 points, %3 more to go"), i.name, i.points, i.missing)
            for i in view.close) or none)
        self.earnings.setText("\n".join(
            f"{e.day}  {e.what}  +{e.points}" for e in view.earnings) or none)
        self.redemptions.setText("\n".join(
            f"{e.day}  {e.what}  {e.points}" for e in view.redemptions) or none)
        self.stack.setCurrentIndex(MEMBER)
        self._start_countdown()
        if self.speaker is not None:
            self.speaker.say(kiosk_view.spoken_balance(view))
        self._scan_done()
        self.shown.emit(view)

    def _refused(self, exc) -> None:
        if not isinstance(exc, CounterError):
            from counter_app.ui.common.errors import report_exception

            self._scan_done()
            report_exception(self, exc)
            return
        self.show_welcome()
        self.welcome_error.setText(str(exc))
        self.error_timer.start()
        self._scan_done()
        self.refused.emit(str(exc))

    # --- timing --------------------------------------------------------------------------

    def _start_countdown(self) -> None:
        self.back_timer.start(self.timeout_ms)
        self.tick.start()
        self._show_countdown()

    def _show_countdown(self) -> None:
        seconds = max(0, round(self.back_timer.remainingTime() / 1000))
        self.countdown.setText(fill(self.tr("Back to the welcome screen in %1 s"), seconds))

    def show_welcome(self) -> None:
        """The welcome screen; the member's data is cleared from the widgets."""
        self.back_timer.stop()
        self.tick.stop()
        self.countdown.setText("")
        self.view = None
        for label in (self.name, self.card, self.balance, self.notice, self.redeemable,
                      self.close_items, self.earnings, self.redemptions):
            label.clear()
        self.stack.setCurrentIndex(WELCOME)
        self.returned.emit()

    def on_welcome(self) -> bool:
        return self.stack.currentIndex() == WELCOME

    # --- full screen, focus, leaving -----------------------------------------------------

    def show_kiosk(self) -> None:
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        # Full screen is a request to the window manager (_NET_WM_STATE): with none, the
        # window keeps its own size. So take the screen's geometry ourselves as well.
        screen = self.screen() or QGuiApplication.primaryScreen()
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.setGeometry(screen.geometry())
        self.keep_focus()

    def keep_focus(self) -> None:
        """Without a window manager nobody gives the keyboard back: take it."""
        if not self.isVisible() or self.leave_dialog is not None:
            return
        if QApplication.activeModalWidget() is not None:
            return
        if not self.isActiveWindow():
            if QApplication.platformName() != "offscreen":
                self.raise_()
            self.activateWindow()
        if QApplication.focusWidget() is not self:
            self.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def ask_leave(self):
        """The administrator's PIN dialog; the kiosk ends only when it accepts."""
        from counter_app.ui.kiosk.leave_dialog import LeaveKioskDialog

        if self.leave_dialog is not None:
            return self.leave_dialog
        self.back_timer.stop()
        dialog = LeaveKioskDialog(self.reader.db, self.counter.id, self)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda result: self._leave_finished(dialog, result))
        self.leave_dialog = dialog
        dialog.open()
        dialog.activateWindow()
        return dialog

    def _leave_finished(self, dialog, result: int) -> None:
        self.leave_dialog = None
        if result and shiboken6.isValid(dialog) and dialog.actor is not None:
            self.unlocked = True
            self.left.emit(dialog.actor)
            self.close()
            return
        if not self.on_welcome():
            self._start_countdown()
        QTimer.singleShot(0, self.keep_focus)

    def closeEvent(self, event) -> None:
        if self.unlocked:
            self.focus_timer.stop()
            super().closeEvent(event)
        else:
            event.ignore()  # no window manager's close, no Alt+F4: the PIN only

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # Mapped only now: ask for the keyboard as soon as X has the window (no WM does).
        for delay in (0, 150, 500):
            QTimer.singleShot(delay, self.keep_focus)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow():
            QTimer.singleShot(0, self.keep_focus)
