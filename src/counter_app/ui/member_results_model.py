"""Table model of member search results (plain MemberRow objects in, text out)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from counter_app.members import MemberRow

COL_NAME, COL_CATEGORY, COL_CARD, COL_PHONE, COL_ADDRESS, COL_BALANCE = range(6)


class MemberResultsModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[MemberRow] = []
        self._headers = [self.tr("Name"), self.tr("Category"), self.tr("Card"),
                         self.tr("Phone"), self.tr("Address"), self.tr("Points")]

    def set_rows(self, rows: list[MemberRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> MemberRow | None:
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
