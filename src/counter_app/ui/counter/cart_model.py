"""The cart: items and quantities for the member at the counter, with the running total."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt, Signal

from counter_app.catalogue import ItemRow
from counter_app.redemption import CartLine
from counter_app.ui.common.row_table_model import RowTableModel

COL_ITEM, COL_QTY, COL_UNIT_POINTS, COL_POINTS = range(4)


@dataclass
class CartEntry:
    item: ItemRow
    qty: int

    @property
    def points(self) -> int:
        return self.item.points * self.qty


class CartModel(RowTableModel):
    """Rows are CartEntry objects, changed only through the cart operations below."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__([self.tr("Item"), self.tr("Qty"), self.tr("Points each"),
                          self.tr("Points")], parent)

    # --- cart operations -----------------------------------------------------------------

    def lines(self) -> list[CartLine]:
        return [CartLine(e.item.id, e.qty) for e in self._rows]

    def entries(self) -> list[CartEntry]:
        return list(self._rows)

    def total(self) -> int:
        return sum(e.points for e in self._rows)

    def qty_of(self, item_id: int) -> int:
        return sum(e.qty for e in self._rows if e.item.id == item_id)

    def lines_with(self, item: ItemRow, delta: int) -> list[CartLine]:
        """The cart as it would be after adding ``delta`` of ``item`` (for validation)."""
        lines = {e.item.id: e.qty for e in self._rows}
        lines[item.id] = lines.get(item.id, 0) + delta
        return [CartLine(i, q) for i, q in lines.items() if q > 0]

    def add(self, item: ItemRow, qty: int = 1) -> None:
        for row, e in enumerate(self._rows):
            if e.item.id == item.id:
                self.set_qty(row, e.qty + qty)
                return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(CartEntry(item, qty))
        self.endInsertRows()
        self.changed.emit()

    def set_qty(self, row: int, qty: int) -> None:
        if not 0 <= row < len(self._rows):
            return
        if qty <= 0:
            self.remove(row)
            return
        self._rows[row].qty = qty
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.changed.emit()

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
            self.changed.emit()

    def clear(self) -> None:
        if self._rows:
            self.beginResetModel()
            self._rows.clear()
            self.endResetModel()
            self.changed.emit()

    def entry(self, row: int) -> CartEntry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # --- Qt model ------------------------------------------------------------------------

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        e = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return {COL_ITEM: e.item.name, COL_QTY: f"{e.qty} {e.item.unit}",
                    COL_UNIT_POINTS: e.item.points, COL_POINTS: e.points}[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col != COL_ITEM:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
