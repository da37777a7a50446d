"""A scanned merchant voucher at the counter: merchant, offer, member, validity and state,
and a button to mark it used. A used, cancelled or expired voucher shows why in plain
words and offers no button; the core refuses a second use anyway (vouchers.use)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from counter_app.localtime import to_local
from counter_app.ui.common.scale import css
from counter_app.ui.common.text import fill
from counter_app.ui.common.widgets import add_button


class VoucherBox(QFrame):
    use_requested = Signal(str)  # the voucher code

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("voucher_box")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.code: str | None = None
        self.title = QLabel()
        self.title.setObjectName("voucher_title")
        self.title.setStyleSheet(css("font-size: 18pt; font-weight: bold;"))
        self.facts = QLabel()
        self.facts.setObjectName("voucher_facts")
        self.facts.setWordWrap(True)
        self.facts.setStyleSheet(css("font-size: 15pt;"))
        self.state = QLabel()
        self.state.setObjectName("voucher_state")
        self.state.setWordWrap(True)
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(self.facts)
        text.addWidget(self.state)
        row = QHBoxLayout(self)
        row.addLayout(text, 1)
        self.use_button = add_button(row, self.tr("Mark used"), self._use, "voucher_use")
        self.use_button.setStyleSheet(css("font-size: 16pt; font-weight: bold;"))
        self.close_button = add_button(row, self.tr("Close"), self.clear, "voucher_close")
        self.close_button.setStyleSheet(css("font-size: 16pt;"))
        self.hide()

    def show_voucher(self, info, refusal: str | None) -> None:
        self.code = info.code
        self.title.setText(fill(self.tr("Voucher %1"), info.code))
        self.facts.setText(fill(self.tr("%1 · %2 · member %3 · %4 points · issued %5, "
                                        "valid until %6"),
                                info.merchant or self.tr("merchant"), info.item,
                                info.member or "—", info.points,
                                f"{to_local(info.issued_at):%Y-%m-%d}",
                                f"{info.last_day:%Y-%m-%d}"))
        self.set_state(refusal or self.tr("Valid: not used yet"), ok=refusal is None)
        self.use_button.setVisible(refusal is None)
        self.show()

    def set_state(self, text: str, ok: bool) -> None:
        colour = "#1b5e20" if ok else "#b00020"
        self.state.setStyleSheet(css(f"font-size: 16pt; font-weight: bold; color: {colour};"))
        self.state.setText(text)

    def used(self, info) -> None:
        """After the use committed: the same box, now saying it is used."""
        self.use_button.hide()
        self.set_state(fill(self.tr("Marked used at %1"),
                            f"{to_local(info.used_at):%Y-%m-%d %H:%M}"), ok=True)

    def clear(self) -> None:
        self.code = None
        self.hide()

    def _use(self) -> None:
        if self.code:
            self.use_requested.emit(self.code)
