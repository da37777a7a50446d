"""Table models of the earning pages: awards (running list, review queue), point items,
wishes. Plain rows (earning.* dataclasses) in, cells out. Each model's headers are one
translated text, split at "|" (one message per table for the translators)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt

from counter_app.earning.presets import SINCE_ALWAYS
from counter_app.ui.common.row_table_model import RowTableModel


class _Model(RowTableModel):
    def __init__(self, headers: str, parent=None):
        super().__init__(headers.split("|"), parent)

    def cells(self, row) -> tuple:
        raise NotImplementedError

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.cells(row)[index.column()]
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None


class ParticipantsModel(_Model):
    """The activity's running list, in the order scanned."""

    def __init__(self, parent=None):
        super().__init__(QCoreApplication.translate(
            "EarningTables", "No.|Name|Card|Points|Status|Work unit"), parent)

    def cells(self, r) -> tuple:
        return (self._rows.index(r) + 1, r.member_name, r.card_code, r.points, r.status_label,
                r.work_unit)


class QueueModel(_Model):
    """Pending awards, one line each, with the group (week and activity) they belong to."""

    def __init__(self, parent=None):
        super().__init__(QCoreApplication.translate(
            "EarningTables", "Week|Activity|Name|Item|Date|Points|Recorded by|Reviewed at"),
            parent)

    def cells(self, pair) -> tuple:
        group, a = pair
        return (f"{group.week:%m-%d}", group.title, a.member_name, a.item, a.activity_date,
                a.points, a.recorder or QCoreApplication.translate("EarningTables", "(no login)"),
                a.review_counter or QCoreApplication.translate(
                    "EarningTables", "any counter (claimed online)"))


def _since(day):
    """A preset's first day (before any activity) reads as "always"."""
    if day == SINCE_ALWAYS:
        return QCoreApplication.translate("EarningTables", "always")
    return day


class ItemsModel(_Model):
    def __init__(self, parent=None):
        super().__init__(QCoreApplication.translate(
            "EarningTables", "Category|Item|Points today|Who may earn|Range|Since|In use"),
            parent)

    def cells(self, r) -> tuple:
        in_use = (QCoreApplication.translate("EarningTables", "yes") if r.active
                  else QCoreApplication.translate("EarningTables", "no"))
        return (r.category, r.name, r.points, r.eligible_label, r.range_label, _since(r.since),
                in_use)


class ValuesModel(_Model):
    def __init__(self, parent=None):
        super().__init__(QCoreApplication.translate(
            "EarningTables", "From|Points|Set by|Set at|Note"), parent)

    def cells(self, v) -> tuple:
        return (_since(v.effective_from), v.points, v.set_by, f"{v.set_at:%Y-%m-%d %H:%M}", v.note)


class WishesModel(_Model):
    def __init__(self, parent=None):
        super().__init__(QCoreApplication.translate(
            "EarningTables", "No.|Wish|Wished by|By|Status|Claimed by"), parent)

    def cells(self, w) -> tuple:
        return (w.id, w.title, w.wisher_name, w.due_date, w.status_label, w.claimant)
