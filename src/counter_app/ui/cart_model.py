"""The cart: items and quantities for the member at the counter, with the running total."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from counter_app.catalogue import ItemRow
from counter_app.redemption import CartLine

COL_ITEM, COL_QTY, COL_UNIT_POINTS, COL_POINTS = range(4)


@dataclass
class CartEntry:
    item: ItemRow
    qty: int

    @property
    def points(self) -> int:
        return self.item.points * self.qty


class CartModel(QAbstractTableModel):
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._lines: list[CartEntry] = []
        self._headers = [self.tr("Item"), self.tr("Qty"), self.tr("Points each"),
                         self.tr("Points")]

    # --- cart operations -----------------------------------------------------------------

    def lines(self) -> list[CartLine]:
        return [CartLine(e.item.id, e.qty) for e in self._lines]

    def entries(self) -> list[CartEntry]:
        return list(self._lines)

    def total(self) -> int:
        return sum(e.points for e in self._lines)

    def qty_of(self, item_id: int) -> int:
        return sum(e.qty for e in self._lines if e.item.id == item_id)

    def lines_with(self, item: ItemRow, delta: int) -> list[CartLine]:
        """The cart as it would be after adding ``delta`` of ``item`` (for validation)."""
        lines = {e.item.id: e.qty for e in self._lines}
        lines[item.id] = lines.get(item.id, 0) + delta
        return [CartLine(i, q) for i, q in lines.items() if q > 0]

    def add(self, item: ItemRow, qty: int = 1) -> None:
        for row, e in enumerate(self._lines):
            if e.item.id == item.id:
                self.set_qty(row, e.qty + qty)
                return
        self.beginInsertRows(QModelIndex(), len(self._lines), len(self._lines))
        self._lines.append(CartEntry(item, qty))
        self.endInsertRows()
        self.changed.emit()

    def set_qty(self, row: int, qty: int) -> None:
        if not 0 <= row < len(self._lines):
            return
        if qty <= 0:
            self.remove(row)
            return
        self._lines[row].qty = qty
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.changed.emit()

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._lines):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._lines[row]
            self.endRemoveRows()
            self.changed.emit()

    def clear(self) -> None:
        if self._lines:
            self.beginResetModel()
            self._lines.clear()
            self.endResetModel()
            self.changed.emit()

    def entry(self, row: int) -> CartEntry | None:
        return self._lines[row] if 0 <= row < len(self._lines) else None

    # --- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        e = self._lines[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return {COL_ITEM: e.item.name, COL_QTY: f"{e.qty} {e.item.unit}",
                    COL_UNIT_POINTS: e.item.points, COL_POINTS: e.points}[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col != COL_ITEM:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
