"""The selected member on the members page: name, balance and the register's fields.

Display only (no database work): ``show_profile`` paints a ``member_profiles.MemberProfile``.
Phone and ID number arrive masked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel

from counter_app.member_profiles import MemberProfile
from counter_app.ui.common.widgets import ERROR_COLOR, OK_COLOR
from counter_app.ui.common.text import fill
from counter_app.ui.common.scale import css

VALUE_STYLE = "font-size: 17pt;"


class MemberDetails(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("member_details")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        self.name = QLabel()
        self.name.setObjectName("detail_name")
        self.name.setStyleSheet(css("font-size: 24pt; font-weight: bold;"))
        self.balance = QLabel()
        self.balance.setObjectName("detail_balance")
        self.balance.setStyleSheet(css(f"font-size: 24pt; font-weight: bold; color: {OK_COLOR};"))
        self.balance.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.name, 0, 0, 1, 3)
        grid.addWidget(self.balance, 0, 3)
        self.fields: dict[str, QLabel] = {}
        short = [("category", self.tr("Category")), ("status", self.tr("Status")),
                 ("card", self.tr("Card no.")), ("phone", self.tr("Phone")),
                 ("id_number", self.tr("ID number")), ("work_unit", self.tr("Work unit"))]
        wide = [("address", self.tr("Address")), ("old_cards", self.tr("Old cards"))]
        for n, (key, caption) in enumerate(short):  # two pairs a row
            self._field(grid, key, caption, 1 + n // 2, (n % 2) * 2, 1)
        for n, (key, caption) in enumerate(wide):  # long values get a row of their own
            self._field(grid, key, caption, 1 + len(short) // 2 + n, 0, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.show_none()

    def _field(self, grid: QGridLayout, key: str, caption: str, row: int, col: int,
               span: int) -> None:
        cap = QLabel(caption)
        cap.setStyleSheet(css("color: #555; font-size: 15pt;"))
        value = QLabel()
        value.setObjectName(f"detail_{key}")
        value.setStyleSheet(css(VALUE_STYLE))
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(cap, row, col, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(value, row, col + 1, 1, span)
        self.fields[key] = value

    def show_profile(self, profile: MemberProfile) -> None:
        m = profile.member
        self.name.setText(m.name)
        self.balance.setText(fill(self.tr("%1 points"), f"{m.balance:,}"))
        f = self.fields
        f["category"].setText(m.category_label)
        f["status"].setText(self.tr("Blocked") if m.blocked else self.tr("Active"))
        f["status"].setStyleSheet(css(f"{VALUE_STYLE} font-weight: bold; color: %s;"
                                      % (ERROR_COLOR if m.blocked else OK_COLOR)))
        f["card"].setText(m.card_code)
        f["phone"].setText(m.phone_masked or "—")
        f["id_number"].setText(profile.id_masked or "—")
        f["work_unit"].setText(m.work_unit or "—")
        f["address"].setText(profile.address or "—")
        f["old_cards"].setText("  ".join(c.code for c in profile.old_cards) or "—")

    def show_none(self) -> None:
        self.name.setText(self.tr("No member selected"))
        self.balance.clear()
        for label in self.fields.values():
            label.clear()
        self.fields["status"].setStyleSheet(css(VALUE_STYLE))
