"""Search results at the counter: tall, full width (address visible), and never picked
for the volunteer when more than one member matches.

With one match, Enter takes it. With several, the count is shown and nothing is chosen
until ↑/↓ (then Enter) or a click says which one: three 刘宇 differ only by address and
masked phone, and taking the first one silently charges the wrong person.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QLabel, QVBoxLayout, QWidget

from counter_app.lookup import SEARCH_LIMIT
from counter_app.members import MemberRow
from counter_app.ui.common.member_results_model import (
    COL_ADDRESS, COL_BALANCE, COL_CARD, COL_CATEGORY, COL_NAME, COL_PHONE, MemberResultsModel,
)
from counter_app.ui.common.widgets import make_table
from counter_app.ui.common.text import fill
from counter_app.ui.common.scale import css


class MemberChoice(QWidget):
    picked = Signal(object)  # MemberRow, chosen by a click

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = MemberResultsModel(self)
        self.count = QLabel()
        self.count.setObjectName("results_count")
        self.count.setStyleSheet(css("font-size: 16pt; font-weight: bold;"))
        self.table = make_table(self.model, "search_results")
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan box keeps the keys
        self.table.setStyleSheet(css("font-size: 14pt;"))
        self.table.verticalHeader().setDefaultSectionSize(40)
        # Fixed widths from the longest value a column can hold, the address taking the
        # rest: sizing columns to their contents asks the model for every cell on every
        # keystroke, which cost more than the search itself.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL_ADDRESS, QHeaderView.ResizeMode.Stretch)
        metrics = QFontMetrics(self.table.font())
        for column, widest in ((COL_NAME, "欧阳小明明"), (COL_CATEGORY, "在职党员"),
                               (COL_CARD, "XF00000000"), (COL_PHONE, "188****8888"),
                               (COL_BALANCE, "99999")):
            header.resizeSection(column, metrics.horizontalAdvance(widest) + 28)
        self.table.clicked.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        self._chosen = False

    def show_rows(self, rows: list[MemberRow]) -> None:
        self.model.set_rows(rows)
        self._chosen = False
        self.table.clearSelection()
        self.table.setCurrentIndex(self.model.index(-1, -1))
        if len(rows) == 1:
            self.table.selectRow(0)
            self.count.setText(self.tr("1 member found: press Enter to take them."))
        elif len(rows) >= SEARCH_LIMIT:  # the list is cut: the one sought may be further on
            self.count.setText(fill(self.tr("At least %1 members match — only the first %1 "
                                            "are shown: type more (the given name, or the "
                                            "phone's last 4 digits)."), len(rows)))
        else:
            self.count.setText(fill(self.tr("%1 members found: choose one with ↑/↓, "
                                            "then press Enter."), len(rows)))

    def clear(self) -> None:
        self.model.set_rows([])
        self._chosen = False

    def rows(self) -> int:
        return self.model.rowCount()

    def choice(self) -> MemberRow | None:
        """The member Enter may take: the only match, or the one chosen with ↑/↓."""
        if self.rows() == 1:
            return self.model.row_at(0)
        return self.model.row_at(self.table.currentIndex().row()) if self._chosen else None

    def move(self, step: int) -> None:
        if not self.rows():
            return
        current = self.table.currentIndex().row() if self._chosen else (-1 if step > 0 else 0)
        row = max(0, min(self.rows() - 1, current + step))
        self.table.selectRow(row)
        self._chosen = True

    def _clicked(self, index) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self._chosen = True
            self.picked.emit(row)
