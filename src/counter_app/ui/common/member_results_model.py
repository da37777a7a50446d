"""Table model of member search results (plain MemberRow objects in, text out)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from counter_app.ui.common.row_table_model import RowTableModel

COL_NAME, COL_CATEGORY, COL_CARD, COL_PHONE, COL_ADDRESS, COL_BALANCE = range(6)


class MemberResultsModel(RowTableModel):
    """Rows are MemberRow objects."""

    def __init__(self, parent=None):
        super().__init__([self.tr("Name"), self.tr("Category"), self.tr("Card"),
                          self.tr("Phone"), self.tr("Address"), self.tr("Points")], parent)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_NAME:
                return r.name + (self.tr(" (blocked)") if r.blocked else "")
            return {COL_CATEGORY: r.category_label, COL_CARD: r.card_code,
                    COL_PHONE: r.phone_masked, COL_ADDRESS: r.address,
                    COL_BALANCE: r.balance}.get(col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_BALANCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        return None
