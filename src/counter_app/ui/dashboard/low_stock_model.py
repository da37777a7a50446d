"""Table model of goods running low (plain LowStockRow objects in, text out)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from counter_app.ui.common.row_table_model import RowTableModel
from counter_app.ui.common.text import fill

COL_NAME, COL_CATEGORY, COL_QTY = range(3)

OUT_OF_STOCK = QColor("#b00020")


class LowStockModel(RowTableModel):
    """Rows are reports.dashboard.LowStockRow objects."""

    def __init__(self, parent=None):
        super().__init__([self.tr("Item"), self.tr("Group"), self.tr("In stock")], parent)
        self._bold = QFont()
        self._bold.setBold(True)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_QTY:
                if r.qty == 0:
                    return self.tr("None left")
                return fill(self.tr("%1 %2"), str(r.qty), r.unit)
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
