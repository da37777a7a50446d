"""积分过期规则 — the administrator's panel for the expiry policy (none, or a year's points
expire at the end of the next year) and how many days before members are told (member
panel, every receipt slip). On the point-items page; only SETTINGS may change it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout

from counter_app.earning import expiry
from counter_app.operators import Permission
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.ops import Op, db_work
from counter_app.ui.common.text import fill
from counter_app.ui.common.widgets import add_button, show_message
from counter_app.ui.earning.messages import refuse


def _load(db):
    with db.read() as s:
        return expiry.policy(s)


class ExpiryPanel(QGroupBox):
    loaded = Signal(object)  # expiry.Policy
    saved = Signal(object)  # expiry.Policy

    def __init__(self, ctx: UiContext, parent=None):
        super().__init__(self.tr("Points expiry"), parent)
        self.ctx = ctx
        self.mode = QComboBox()
        self.mode.setObjectName("expiry_mode")
        self.mode.addItem(self.tr("Points never expire"), expiry.NONE)
        self.mode.addItem(self.tr("A year's points expire at the end of the next year"),
                          expiry.NEXT_YEAR_END)
        self.days = QSpinBox()
        self.days.setObjectName("expiry_notice_days")
        self.days.setRange(0, 366)
        self.days.setSuffix(self.tr(" days before"))
        self.message = QLabel()
        self.message.setObjectName("expiry_message")
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.mode, 2)
        row.addWidget(QLabel(self.tr("Tell members")))
        row.addWidget(self.days)
        self.save_button = add_button(row, self.tr("Save expiry rule"), self.save, "expiry_save")
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.message)
        allowed = ctx.actor is not None and ctx.actor.can(Permission.SETTINGS)
        for w in (self.mode, self.days, self.save_button):
            w.setEnabled(allowed)
        if not allowed:
            show_message(self.message, self.tr("Only an administrator may change the rule"))

    def activate(self) -> None:
        Op(self, db_work(_load), self.ctx.db).success(self._show).run()

    def _show(self, pol) -> None:
        self.mode.setCurrentIndex(max(0, self.mode.findData(pol.mode)))
        self.days.setValue(pol.notice_days)
        self.loaded.emit(pol)

    def save(self) -> None:
        Op(self, db_work(expiry.set_policy), self.ctx.db, self.ctx.actor,
           self.mode.currentData(), self.days.value()) \
            .success(self._saved).failure(lambda exc: refuse(self, self.message, exc)).run()

    def _saved(self, pol) -> None:
        self._show(pol)
        if pol.on:
            show_message(self.message, fill(self.tr(
                "Saved: members are told %1 days before 31 December"), pol.notice_days))
        else:
            show_message(self.message, self.tr("Saved: points never expire"))
        self.saved.emit(pol)
