"""Table model of goods running low (plain LowStockRow objects in, text out)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from counter_app.reports.dashboard import LowStockRow

COL_NAME, COL_CATEGORY, COL_QTY = range(3)

OUT_OF_STOCK = QColor("#b00020")


class LowStockModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[LowStockRow] = []
        self._headers = [self.tr("Item"), self.tr("Group"), self.tr("In stock")]
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> LowStockRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_QTY:
                if r.qty == 0:
                    return self.tr("None left")
                return self.tr("%1 %2").replace("%1", str(r.qty)).replace("%2", r.unit)
            return {COL_NAME: r.name, COL_CATEGORY: r.category}.get(col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_QTY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and r.qty == 0:
            return OUT_OF_STOCK
        if role == Qt.ItemDataRole.FontRole and r.qty == 0:
            return self._bold
        if role == Qt.ItemDataRole.UserRole:
            return r.item_id
        return None
