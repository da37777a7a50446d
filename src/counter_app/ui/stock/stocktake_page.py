"""盘点 — the stocktake page: open a count (all goods or one category), scan shelf by shelf
(each scan adds one), correct a shelf's count, see the differences in plain words; an
administrator approves (adjustment entries) or the count is cancelled. The count sheet and
the variance report print to PDF.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget,
)

from counter_app.errors import CounterError
from counter_app.operators import Permission
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.ops import Op
from counter_app.ui.common.row_table_model import RowTableModel
from counter_app.ui.common.scale import css, px
from counter_app.ui.common.text import fill
from counter_app.ui.common.widgets import add_button, make_table, show_message
from counter_app.ui.stock import stock_calls

COL_NAME, COL_BOOK, COL_COUNTED, COL_WORDS = range(4)


class VarianceModel(RowTableModel):
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r = self.row_at(index.row())
        if r is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            book = r.book_at_open if r.counted is None else r.book_at_count
            return (r.name, book, "" if r.counted is None else r.counted, r.words)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and r.variance:
            from PySide6.QtGui import QColor

            return QColor("#b00020")
        return None


class StocktakePage(QWidget):
    changed = Signal(object)  # the StocktakeView shown (None: no count open)

    def __init__(self, ctx: UiContext, parent=None, out_dir: Path | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.view = None
        self.out_dir = out_dir
        title = QLabel(self.tr("Stocktake"))
        title.setStyleSheet(css("font-size: 22pt; font-weight: bold;"))
        self.state = QLabel()
        self.state.setObjectName("stocktake_state")
        self.state.setWordWrap(True)
        self.state.setStyleSheet(css("font-size: 16pt;"))
        self.category = QComboBox()
        self.category.setObjectName("stocktake_category")
        self.category.setStyleSheet(css("font-size: 16pt;"))
        self.category.addItem(self.tr("All goods"), None)
        top = QHBoxLayout()
        top.addWidget(self.category, 1)
        self.open_button = add_button(top, self.tr("Start a count"), self.start, "stocktake_open")
        self.shelf = QLineEdit()
        self.shelf.setObjectName("stocktake_shelf")
        self.shelf.setPlaceholderText(self.tr("Shelf (e.g. A1)"))
        self.shelf.setStyleSheet(css("font-size: 18pt;"))
        self.scan = QLineEdit()
        self.scan.setObjectName("stocktake_scan")
        self.scan.setPlaceholderText(self.tr("Scan each item on the shelf"))
        self.scan.setStyleSheet(css("font-size: 20pt;"))
        self.scan.setMinimumHeight(px(56))
        self.scan.returnPressed.connect(self.count_scan)
        self.shelf.returnPressed.connect(self.scan.setFocus)  # shelf label, then its items
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.shelf, 1)
        scan_row.addWidget(self.scan, 3)
        self.fix_qty = QSpinBox()
        self.fix_qty.setObjectName("stocktake_fix_qty")
        self.fix_qty.setRange(0, 1_000_000)
        self.fix_qty.setStyleSheet(css("font-size: 16pt;"))
        fix_row = QHBoxLayout()
        fix_label = QLabel(self.tr("Correct the selected item on this shelf to"))
        fix_label.setStyleSheet(css("font-size: 15pt;"))
        fix_row.addWidget(fix_label)
        fix_row.addWidget(self.fix_qty)
        add_button(fix_row, self.tr("Correct"), self.correct, "stocktake_correct")
        self.message = QLabel()
        self.message.setObjectName("stocktake_message")
        self.message.setWordWrap(True)
        self.model = VarianceModel([self.tr("Item"), self.tr("Books"), self.tr("Counted"),
                                    self.tr("Difference")], self)
        self.table = make_table(self.model, "stocktake_rows")
        self.table.setStyleSheet(css("font-size: 14pt;"))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.message.setMinimumHeight(px(44))
        actions = QHBoxLayout()
        self.approve_button = add_button(actions, self.tr("Approve (administrator)"),
                                         self.approve, "stocktake_approve")
        self.cancel_button = add_button(actions, self.tr("Cancel the count"), self.cancel,
                                        "stocktake_cancel")
        add_button(actions, self.tr("Count sheet and variance report (PDF)"), self.write_pdfs,
                   "stocktake_pdfs")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(top)
        layout.addWidget(self.state)
        layout.addLayout(scan_row)
        layout.addLayout(fix_row)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.approve_button.setEnabled(ctx.actor.can(Permission.CORRECT))
        self._show(None)

    def activate(self) -> None:
        Op(self, stock_calls.load_page, self.ctx.db, self.ctx.counter.id) \
            .success(self._categories).failure(self._failed).run()
        self._run(stock_calls.open_or_current, self.ctx.db, self.ctx.actor, None, False)

    def _categories(self, result) -> None:
        _low, _merchants, categories = result
        keep = self.category.currentData()
        while self.category.count() > 1:
            self.category.removeItem(1)
        for c in categories:
            self.category.addItem(c, c)
        i = self.category.findData(keep)
        self.category.setCurrentIndex(max(i, 0))

    def _run(self, fn, *args, then=None) -> None:
        Op(self, fn, *args).success(then or self._show).failure(self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, CounterError):
            raise exc
        show_message(self.message, str(exc), error=True)
        self.scan.setFocus()

    def _show(self, view) -> None:
        self.view = view
        running = view is not None and view.status == "open"
        # nothing to cancel without an open count (trial: the button did nothing then)
        for w in (self.shelf, self.scan, self.fix_qty, self.approve_button, self.cancel_button):
            w.setEnabled(running and (w is not self.approve_button
                                      or self.ctx.actor.can(Permission.CORRECT)))
        self.open_button.setEnabled(not running)
        self.category.setEnabled(not running)
        if view is None:
            self.state.setText(self.tr("No count is open. Choose the goods and start a count."))
            self.model.set_rows([])
        else:
            diff, todo = len(view.differences), len(view.uncounted)
            self.state.setText(fill(self.tr("Count %1 (%2): %3 items, %4 differ, %5 not counted yet"),
                                    view.id[:8], view.status_label, len(view.rows), diff, todo))
            self.model.set_rows(view.rows)
        if running:
            self.scan.setFocus()
        self.changed.emit(view)

    def start(self) -> None:
        self._run(stock_calls.open_or_current, self.ctx.db, self.ctx.actor,
                  self.category.currentData(), True)

    def count_scan(self) -> None:
        code = self.scan.text().strip()
        self.scan.clear()
        if code and self.view is not None:
            self._run(stock_calls.count_scan, self.ctx.db, self.ctx.actor, self.view.id, code,
                      self.shelf.text())

    def correct(self) -> None:
        row = self.model.row_at(self.table.currentIndex().row())
        if row is None or self.view is None:
            show_message(self.message, self.tr("Select the item to correct first"), error=True)
            return
        self._run(stock_calls.correct, self.ctx.db, self.ctx.actor, self.view.id, row.item_id,
                  self.shelf.text(), self.fix_qty.value())

    def approve(self) -> None:
        if self.view is None:
            return

        def done(result):
            view, n = result
            show_message(self.message, fill(self.tr("Approved: %1 adjustment entries written"), n))
            self._show(view)

        self._run(stock_calls.approve, self.ctx.db, self.ctx.actor, self.view.id, then=done)

    def cancel(self) -> None:
        if self.view is None:
            return
        self._run(stock_calls.cancel, self.ctx.db, self.ctx.actor, self.view.id,
                  then=lambda _none: self._show(None))

    def write_pdfs(self) -> None:
        if self.view is None:
            show_message(self.message, self.tr("No count to print"), error=True)
            return
        from counter_app.config import data_dir

        folder = self.out_dir or data_dir() / "documents"
        self._run(stock_calls.stocktake_pdfs, self.ctx.db, self.view.id, folder,
                  then=lambda paths: show_message(self.message, fill(
                      self.tr("Written: %1 and %2"), paths[0], paths[1])))
