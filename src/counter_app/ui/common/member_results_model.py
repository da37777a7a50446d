"""Table model of member search results (plain MemberRow objects in, text out).

``data`` runs for every visible cell and role on every repaint (~1,200 calls for one
page of results, once per keystroke at the counter): the cell texts are made once in
``set_rows`` and ``data`` only indexes them."""

from __future__ import annotations

from PySide6.QtCore import Qt

from counter_app.ui.common.row_table_model import RowTableModel

COL_NAME, COL_CATEGORY, COL_CARD, COL_PHONE, COL_ADDRESS, COL_BALANCE = range(6)

_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_USER = Qt.ItemDataRole.UserRole
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class MemberResultsModel(RowTableModel):
    """Rows are MemberRow objects."""

    def __init__(self, parent=None):
        super().__init__([self.tr("Name"), self.tr("Category"), self.tr("Card"),
                          self.tr("Phone"), self.tr("Address"), self.tr("Points")], parent)
        self._cells: list[tuple] = []

    def set_rows(self, rows) -> None:
        blocked = self.tr(" (blocked)")
        self._cells = [(r.name + (blocked if r.blocked else ""), r.category_label, r.card_code,
                        r.phone_masked, r.address, r.balance) for r in rows]
        super().set_rows(rows)

    def data(self, index, role=_DISPLAY):
        if role == _DISPLAY:
            return self._cells[index.row()][index.column()] if index.isValid() else None
        if role == _ALIGN:
            return _RIGHT if index.column() == COL_BALANCE else None
        if role == _USER and index.isValid():
            return self._rows[index.row()].id
        return None
