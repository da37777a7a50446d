"""Table model of a member's points journal (plain ledger.JournalRow objects in)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QColor

from counter_app.ledger import JournalRow
from counter_app.localtime import to_local

COL_TIME, COL_KIND, COL_POINTS, COL_REF, COL_NOTE, COL_COUNTER, COL_OPERATOR = range(7)

def kind_text(kind: str) -> str:
    """A journal kind in words a volunteer uses (a reversal is an "undo", not banking's
    冲正); the Chinese comes from the translation, whatever ledger.KIND_LABELS says."""
    words = {
        "award": QCoreApplication.translate("JournalKind", "Points earned"),
        "redemption": QCoreApplication.translate("JournalKind", "Redeemed"),
        "reversal": QCoreApplication.translate("JournalKind", "Undone / corrected"),
        "adjustment": QCoreApplication.translate("JournalKind", "Adjusted"),
        "expiry": QCoreApplication.translate("JournalKind", "Expired"),
    }
    return words.get(str(kind), str(kind))


GAIN = QColor("#0b6e2e")
LOSS = QColor("#b00020")


class HistoryModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[JournalRow] = []
        self._operators: dict[int, str] = {}
        self._sources: dict[str, str] = {}
        self._headers = [self.tr("Time"), self.tr("Kind"), self.tr("Points"),
                         self.tr("Receipt / source"), self.tr("Note"), self.tr("Counter"),
                         self.tr("Operator")]

    def set_rows(self, rows: list[JournalRow], operator_names: dict[int, str] | None = None,
                 source_names: dict[str, str] | None = None) -> None:
        """``source_names`` (point_sources.source_names) shows an award's point item
        instead of its internal reference (PI8 -> 志愿服务 · 微心愿)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._operators = dict(operator_names or {})
        self._sources = dict(source_names or {})
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def rows(self) -> list[JournalRow]:
        return list(self._rows)

    def operator_names(self) -> dict[int, str]:
        return dict(self._operators)

    def row_at(self, row: int) -> JournalRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def operator_name(self, r: JournalRow) -> str:
        if r.operator_id is None:
            return ""
        return self._operators.get(r.operator_id, str(r.operator_id))

    # --- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self._headers)):
            return self._headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_TIME:
                return to_local(r.created_at).strftime("%Y-%m-%d %H:%M")
            if col == COL_POINTS:
                return f"+{r.delta}" if r.delta > 0 else str(r.delta)
            return {COL_KIND: kind_text(r.kind), COL_REF: self._sources.get(r.ref, r.ref or ""), COL_NOTE: r.note or "",
                    COL_COUNTER: r.counter_id,
                    COL_OPERATOR: self.operator_name(r)}.get(col)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_POINTS:
            return GAIN if r.delta > 0 else LOSS
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_POINTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_NOTE and r.note:
            return r.note
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        return None
