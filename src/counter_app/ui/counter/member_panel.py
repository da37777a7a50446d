"""The member at the counter: who, where, how many points, this period's limits (counting
the cart), recent points. Data comes from core member_details.load on the worker."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QVBoxLayout

from counter_app.localtime import to_local
from counter_app.member_details import CartRoom, MemberDetails
from counter_app.ui.common.history_model import kind_text
from counter_app.ui.common.text import fill
from counter_app.ui.common.scale import css


class MemberPanel(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("member_panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.name = QLabel()
        self.name.setObjectName("member_name")
        self.name.setStyleSheet(css("font-size: 24pt; font-weight: bold;"))
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setStyleSheet(css("font-size: 13pt;"))
        self.balance = QLabel()
        self.balance.setObjectName("member_balance")
        self.balance.setStyleSheet(css("font-size: 28pt; font-weight: bold; color: #0b6e2e;"))
        self.usage = QLabel()
        self.usage.setObjectName("member_usage")
        self.usage.setWordWrap(True)
        self.usage.setStyleSheet(css("font-size: 13pt;"))
        self.expiry = QLabel()  # points due to expire soon (earning.expiry), red
        self.expiry.setObjectName("member_expiry")
        self.expiry.setWordWrap(True)
        self.expiry.setStyleSheet(css("font-size: 14pt; color: #b00020;"))
        self.expiry.hide()
        self.recent = QListWidget()
        self.recent.setObjectName("member_recent")
        self.recent.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for w in (self.name, self.info, self.balance, self.expiry, self.usage):
            layout.addWidget(w)
        layout.addWidget(QLabel(self.tr("Recent points")))
        layout.addWidget(self.recent, 1)
        self.show_none()

    def show_none(self) -> None:
        self.name.setText(self.tr("No member yet"))
        self.info.setText(self.tr("Scan the member card, or type a phone number, a name or "
                                  "pinyin initials above."))
        self.balance.clear()
        self.expiry.hide()
        self.usage.clear()
        self.recent.clear()

    def show_details(self, d: MemberDetails) -> None:
        m = d.member
        self.name.setText(m.name + (self.tr(" (blocked)") if m.blocked else ""))
        lines = [f"{m.category_label} · {m.card_code}"]
        if m.address:
            lines.append(m.address)
        if m.work_unit:
            lines.append(fill(self.tr("Works at: %1"), m.work_unit))
        if m.phone_masked:
            lines.append(fill(self.tr("Phone: %1"), m.phone_masked))
        self.info.setText("\n".join(lines))
        self.balance.setText(fill(self.tr("%1 points"), m.balance))
        self.expiry.setText(d.expiry_notice or "")
        self.expiry.setVisible(bool(d.expiry_notice))
        self.show_room(d.room)
        self.recent.clear()
        for e in d.recent:
            when = to_local(e.created_at).strftime("%m-%d %H:%M")
            sign = f"+{e.delta}" if e.delta > 0 else str(e.delta)
            what = e.note or d.sources.get(e.ref or "", e.ref or "")
            self.recent.addItem(f"{when}  {kind_text(e.kind)}  {sign}  {what}")

    def show_room(self, room: CartRoom) -> None:
        """This period's limited items, counted with what is in the cart, in their units."""
        parts = []
        for u in room.limits:
            used, limit = f"{u.used} {u.unit}", f"{u.limit} {u.unit}"
            if u.in_cart:
                parts.append(fill(self.tr("%1: %2 so far %3, %4 in the cart, limit %5"),
                                  u.item, used, u.period, f"{u.in_cart} {u.unit}", limit))
            else:
                parts.append(fill(self.tr("%1: %2 so far %3, limit %4"),
                                  u.item, used, u.period, limit))
        self.usage.setText("\n".join(parts) if parts
                           else self.tr("No limited item used this period."))
