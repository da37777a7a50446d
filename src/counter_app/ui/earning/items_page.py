"""积分项目 — the point items with today's values, who may earn them and their range; a new
value from a chosen day (the history of changes beside it); a preset scheme when empty;
the expiry rule below (expiry_panel)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget,
)

from counter_app import bounds
from counter_app.earning import catalogue
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.ops import Op, db_work
from counter_app.ui.common.scale import css
from counter_app.ui.common.text import fill
from counter_app.ui.common.widgets import add_button, make_table, show_message
from counter_app.ui.earning.messages import refuse
from counter_app.ui.earning.award_models import ItemsModel, ValuesModel
from counter_app.ui.earning.expiry_panel import ExpiryPanel


def _load(db):
    with db.read() as s:
        return catalogue.items(s)


def _history(db, item_id: int):
    with db.read() as s:
        return catalogue.history(s, item_id)


def _set_and_load(db, actor, item_id: int, points: int, day: date, note: str):
    catalogue.set_value(db, actor, item_id, points, day, note or None)
    return _load(db), _history(db, item_id)


def _preset_and_load(db, actor, scheme: str):
    catalogue.install_preset(db, actor, scheme)
    return _load(db)


class ItemsPage(QWidget):
    loaded = Signal(int)
    value_set = Signal(int)  # item id

    def __init__(self, ctx: UiContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        title = QLabel(self.tr("Point items"))
        title.setStyleSheet(css("font-size: 22pt; font-weight: bold;"))
        self.model = ItemsModel(self)
        self.table = make_table(self.model, "items_table")
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._load_history())
        self.values = ValuesModel(self)
        self.history = make_table(self.values, "items_history")
        self.points = QSpinBox()
        self.points.setObjectName("items_points")
        self.points.setRange(1, bounds.MAX_AMOUNT)
        self.since = QDateEdit()
        self.since.setObjectName("items_since")
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        today = catalogue.today()
        self.since.setDate(QDate(today.year, today.month, today.day))
        self.note = QLineEdit()
        self.note.setObjectName("items_note")
        self.note.setPlaceholderText(self.tr("Why the value changes"))
        change = QHBoxLayout()
        change.addWidget(QLabel(self.tr("New value")))
        change.addWidget(self.points)
        change.addWidget(QLabel(self.tr("in force from")))
        change.addWidget(self.since)
        change.addWidget(self.note, 1)
        add_button(change, self.tr("Set value"), self.set_value, "items_set_value")
        presets = QHBoxLayout()
        self.preset_a = add_button(presets, self.tr("Install scheme A (8 categories, 21 items)"),
                                   lambda: self.install("A"), "items_preset_a")
        self.preset_b = add_button(presets, self.tr("Install scheme B (7 categories, 35 items)"),
                                   lambda: self.install("B"), "items_preset_b")
        self.message = QLabel()
        self.message.setObjectName("items_message")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(presets)
        layout.addWidget(self.table, 3)
        layout.addLayout(change)
        layout.addWidget(QLabel(self.tr("Values of the selected item, newest first")))
        layout.addWidget(self.history, 1)
        layout.addWidget(self.message)
        self.expiry = ExpiryPanel(ctx)
        layout.addWidget(self.expiry)

    def activate(self) -> None:
        Op(self, db_work(_load), self.ctx.db).success(self._show).run()
        self.expiry.activate()

    def focus_input(self) -> None:
        self.table.setFocus()

    def _show(self, rows) -> None:
        self.model.set_rows(rows)
        for b in (self.preset_a, self.preset_b):
            b.setVisible(not rows)
        if rows and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self.loaded.emit(len(rows))

    def _selected(self):
        idx = self.table.selectionModel().currentIndex()
        return self.model.row_at(idx.row()) if idx.isValid() else None

    def _load_history(self) -> None:
        item = self._selected()
        if item is None:
            return
        if item.points:
            self.points.setValue(item.points)
        Op(self, db_work(_history), self.ctx.db, item.id).success(self.values.set_rows).run()

    def set_value(self) -> None:
        item = self._selected()
        if item is None:
            show_message(self.message, self.tr("Select an item first"), error=True)
            return
        d = self.since.date()
        Op(self, db_work(_set_and_load), self.ctx.db, self.ctx.actor, item.id,
           self.points.value(), date(d.year(), d.month(), d.day()), self.note.text()) \
            .success(lambda r: self._value_set(item, r)).failure(self._refused).run()

    def _value_set(self, item, result) -> None:
        rows, history = result
        row = self.table.currentIndex().row()
        self.model.set_rows(rows)
        self.table.selectRow(row)
        self.values.set_rows(history)
        self.note.clear()
        show_message(self.message, fill(self.tr("%1: new value saved"), item.name))
        self.value_set.emit(item.id)

    def install(self, scheme: str) -> None:
        Op(self, db_work(_preset_and_load), self.ctx.db, self.ctx.actor, scheme) \
            .success(self._show).failure(self._refused).run()

    def _refused(self, exc: BaseException) -> None:
        refuse(self, self.message, exc)
