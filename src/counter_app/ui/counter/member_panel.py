"""The member at the counter: who, where, how many points, this period's limits, history."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QVBoxLayout

from counter_app.ledger import JournalRow
from counter_app.localtime import to_local
from counter_app.members import MemberRow
from counter_app.rules import Usage


@dataclass(frozen=True)
class MemberDetails:
    member: MemberRow
    usage: list[Usage]
    recent: list[JournalRow]


def load_details(db, member_id: int) -> MemberDetails:
    """Runs on the worker thread."""
    from counter_app import ledger, members, rules
    from counter_app.journal import utcnow

    with db.read() as s:
        return MemberDetails(members.get_member(s, member_id),
                             rules.usage(s, member_id, utcnow()),
                             ledger.history(s, member_id, limit=8))


class MemberPanel(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("member_panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.name = QLabel()
        self.name.setObjectName("member_name")
        self.name.setStyleSheet("font-size: 24pt; font-weight: bold;")
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.balance = QLabel()
        self.balance.setObjectName("member_balance")
        self.balance.setStyleSheet("font-size: 28pt; font-weight: bold; color: #0b6e2e;")
        self.usage = QLabel()
        self.usage.setObjectName("member_usage")
        self.usage.setWordWrap(True)
        self.recent = QListWidget()
        self.recent.setObjectName("member_recent")
        self.recent.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for w in (self.name, self.info, self.balance, self.usage):
            layout.addWidget(w)
        layout.addWidget(QLabel(self.tr("Recent points")))
        layout.addWidget(self.recent, 1)
        self.show_none()

    def show_none(self) -> None:
        self.name.setText(self.tr("No member yet"))
        self.info.setText(self.tr("Scan the member card, or type a phone number, a name or "
                                  "pinyin initials above."))
        self.balance.clear()
        self.usage.clear()
        self.recent.clear()

    def show_details(self, d: MemberDetails) -> None:
        m = d.member
        self.name.setText(m.name + (self.tr(" (blocked)") if m.blocked else ""))
        lines = [f"{m.category_label} · {m.card_code}"]
        if m.address:
            lines.append(m.address)
        if m.work_unit:
            lines.append(self.tr("Works at: %1").replace("%1", m.work_unit))
        if m.phone_masked:
            lines.append(self.tr("Phone: %1").replace("%1", m.phone_masked))
        self.info.setText("\n".join(lines))
        self.balance.setText(self.tr("%1 points").replace("%1", str(m.balance)))
        parts = [self.tr("%1: %2 of %3 used (%4)").replace("%1", u.item)
                 .replace("%2", str(u.used)).replace("%3", str(u.limit)).replace("%4", u.period)
                 for u in d.usage if u.used]
        self.usage.setText(self.tr("This period: ") + ("; ".join(parts) if parts
                                                         else self.tr("nothing limited used yet")))
        self.recent.clear()
        for e in d.recent:
            when = to_local(e.created_at).strftime("%m-%d %H:%M")
            sign = f"+{e.delta}" if e.delta > 0 else str(e.delta)
            self.recent.addItem(f"{when}  {e.kind_label}  {sign}  {e.note or e.ref or ''}")
