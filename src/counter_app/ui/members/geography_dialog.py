"""住址 — compounds, buildings, units and households of the community, edited from the
members page: four lists side by side (choosing a compound shows its buildings, and so
on), a name box and Add / Rename under each, and (with a member open) "Register the member
here" for the chosen household. Every write goes through geography.py on the worker; a
refused one (an empty or duplicate name) is shown in red in the dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QVBoxLayout,
)

from counter_app import geography
from counter_app.errors import CounterError
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.errors import report_exception
from counter_app.ui.common.ops import Op, db_work
from counter_app.ui.common.scale import css, px
from counter_app.ui.common.text import fill
from counter_app.ui.common.widgets import add_button

LEVELS = ("compound", "building", "unit", "household")


class GeographyDialog(QDialog):
    changed = Signal(str)  # what was done (for the page's message line)

    def __init__(self, ctx: UiContext, member_id: int | None = None, member_name: str = "",
                 parent=None):
        super().__init__(parent)
        self.ctx, self.member_id = ctx, member_id
        self.setWindowTitle(self.tr("Addresses"))
        self.setMinimumWidth(px(1100))
        self.setStyleSheet(css("QLabel, QLineEdit, QListWidget, QPushButton { font-size: 15pt; }"))
        titles = (self.tr("Compounds"), self.tr("Buildings"), self.tr("Units"),
                  self.tr("Households (rooms)"))
        grid = QGridLayout()
        self.lists: dict[str, QListWidget] = {}
        self.names: dict[str, QLineEdit] = {}
        for col, (level, title) in enumerate(zip(LEVELS, titles)):
            grid.addWidget(QLabel(title), 0, col)
            lst = QListWidget()
            lst.setObjectName(f"geo_{level}_list")
            lst.currentItemChanged.connect(lambda cur, _prev, lv=level: self._chosen(lv, cur))
            grid.addWidget(lst, 1, col)
            name = QLineEdit()
            name.setObjectName(f"geo_{level}_name")
            name.setPlaceholderText(self.tr("Name"))
            grid.addWidget(name, 2, col)
            buttons = QHBoxLayout()
            add_button(buttons, self.tr("Add"), lambda _c=False, lv=level: self.add(lv),
                       f"geo_{level}_add", 44)
            add_button(buttons, self.tr("Rename"), lambda _c=False, lv=level: self.rename(lv),
                       f"geo_{level}_rename", 44)
            grid.addLayout(buttons, 3, col)
            self.lists[level], self.names[level] = lst, name
        self.error = QLabel()
        self.error.setObjectName("geo_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(css("color: #b00020; font-size: 15pt;"))
        bottom = QHBoxLayout()
        self.move_button = add_button(
            bottom, fill(self.tr("Register %1 at the chosen household"), member_name),
            self.move_member, "geo_move_member")
        self.move_button.setVisible(member_id is not None)
        add_button(bottom, self.tr("Close"), self.accept, "geo_close")
        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)
        layout.addWidget(self.error)
        layout.addLayout(bottom)
        self.load("compound")

    # --- reading ----------------------------------------------------------------------

    def parent_id(self, level: str) -> int | None:
        i = LEVELS.index(level)
        if i == 0:
            return self.ctx.counter.community_id
        item = self.lists[LEVELS[i - 1]].currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def load(self, level: str, select: int | None = None) -> None:
        for lower in LEVELS[LEVELS.index(level):]:
            self.lists[lower].clear()
        parent = self.parent_id(level)
        if parent is None:
            return
        Op(self, db_work(geography.children), self.ctx.db, level, parent) \
            .success(lambda places: self._show(level, places, select)).failure(self._refused).run()

    def _show(self, level: str, places, select) -> None:
        lst = self.lists[level]
        lst.clear()
        for p in places:
            text = p.name if level != "household" or not p.members else \
                fill(self.tr("%1 (%2 members)"), p.name, p.members)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, p.name)
            lst.addItem(item)
            if p.id == select:
                lst.setCurrentItem(item)

    def _chosen(self, level: str, item) -> None:
        if item is not None:
            self.names[level].setText(item.data(Qt.ItemDataRole.UserRole + 1))
        i = LEVELS.index(level)
        if i + 1 < len(LEVELS):
            self.load(LEVELS[i + 1])

    # --- writing ----------------------------------------------------------------------

    def add(self, level: str) -> None:
        parent = self.parent_id(level)
        if parent is None:
            self._say(self.tr("Choose where it belongs first (the list to the left)."))
            return
        Op(self, db_work(geography.add), self.ctx.db, self.ctx.actor, level, parent,
           self.names[level].text()) \
            .success(lambda new_id: self._written(level, new_id, self.tr("Added."))) \
            .failure(self._refused).run()

    def rename(self, level: str) -> None:
        item = self.lists[level].currentItem()
        if item is None:
            self._say(self.tr("Choose the one to rename first."))
            return
        place_id = item.data(Qt.ItemDataRole.UserRole)
        Op(self, db_work(geography.rename), self.ctx.db, self.ctx.actor, level, place_id,
           self.names[level].text()) \
            .success(lambda _r: self._written(level, place_id, self.tr("Renamed."))) \
            .failure(self._refused).run()

    def move_member(self) -> None:
        item = self.lists["household"].currentItem()
        if self.member_id is None or item is None:
            self._say(self.tr("Choose the household first."))
            return
        Op(self, db_work(geography.move_member), self.ctx.db, self.ctx.actor, self.member_id,
           item.data(Qt.ItemDataRole.UserRole)) \
            .success(lambda _r: self._written("household", item.data(Qt.ItemDataRole.UserRole),
                                              self.tr("The member's address is saved."))) \
            .failure(self._refused).run()

    def _written(self, level: str, select: int, text: str) -> None:
        self.error.clear()
        self.load(level, select)
        self.changed.emit(text)

    def _say(self, text: str) -> None:
        self.error.setText(text)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, CounterError):
            self._say(str(exc))
        else:
            report_exception(self, exc)
