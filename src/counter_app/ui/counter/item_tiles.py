"""Large clickable tiles of exchange items, grouped by category, with price and stock."""

from __future__ import annotations

from itertools import groupby

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from counter_app.catalogue import ItemRow

COLUMNS = 3


class ItemTiles(QScrollArea):
    chosen = Signal(object)  # ItemRow

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setObjectName("item_tiles")
        self.buttons: dict[int, QPushButton] = {}
        self.set_items([])

    def set_items(self, items: list[ItemRow]) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        self.buttons = {}
        # Goods first, then services, then merchant offers: the order of the shelves.
        order = {"goods": 0, "service": 1, "merchant_offer": 2}
        items = sorted(items, key=lambda i: (order.get(i.kind, 3), i.category, i.points))
        for category, group in groupby(items, key=lambda i: i.category):
            header = QLabel(category)
            header.setStyleSheet("font-size: 16pt; font-weight: bold; margin-top: 6px;")
            layout.addWidget(header)
            grid = QGridLayout()
            for n, item in enumerate(group):
                button = QPushButton(self._label(item))
                button.setObjectName(f"tile_{item.id}")
                button.setMinimumSize(170, 76)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # scanning keeps the focus
                out = item.stock is not None and item.stock <= 0
                button.setEnabled(not out)
                button.clicked.connect(lambda _=False, i=item: self.chosen.emit(i))
                grid.addWidget(button, n // COLUMNS, n % COLUMNS)
                self.buttons[item.id] = button
            layout.addLayout(grid)
        layout.addStretch(1)
        self.setWidget(body)

    def _label(self, item: ItemRow) -> str:
        price = self.tr("%1 pts").replace("%1", str(item.points))
        if item.stock is None:
            return f"{item.name}\n{price}"
        stock = self.tr("stock %1").replace("%1", str(item.stock)) if item.stock > 0 \
            else self.tr("out of stock")
        return f"{item.name}\n{price} · {stock}"
