"""入库 — the restock page: scan (or type a name) → quantity → source → Enter.

The scan box keeps the focus: a scan picks the item and moves to the quantity; Enter there
records the receipt (one transaction) and returns to the scan box. An unknown barcode
offers to create the item. The session's receipts are listed and print as a goods-received
note: an A4 PDF, or a slip on the receipt printer (ESC/POS, roll PDF or system printer, as
the session's receipt settings say — the path of the day-close report). Items at or below their low-stock threshold are named in a banner.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget,
)

from counter_app.db.stock_models import ReceiveSource, WriteOffReason
from counter_app.errors import CounterError
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.ops import Op
from counter_app.ui.common.row_table_model import RowTableModel
from counter_app.ui.common.scale import css, px
from counter_app.ui.common.text import fill
from counter_app.ui.common.widgets import add_button, make_table, show_message
from counter_app.ui.stock import stock_calls
from counter_app.ui.stock.new_item_dialog import NewItemDialog

COL_ITEM, COL_QTY, COL_SOURCE, COL_LEVEL = range(4)


class ReceivedModel(RowTableModel):
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r = self.row_at(index.row())
        if r is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (r.item, f"{r.qty} {r.unit}", r.source, f"{r.level} {r.unit}")[index.column()]


def source_labels() -> dict[ReceiveSource, str]:
    from PySide6.QtCore import QCoreApplication

    return {
        ReceiveSource.PURCHASE: QCoreApplication.translate("RestockPage", "Community purchase"),
        ReceiveSource.DONATION: QCoreApplication.translate("RestockPage", "Merchant donation"),
        ReceiveSource.STREET: QCoreApplication.translate("RestockPage",
                                                         "Allocation from the street"),
        ReceiveSource.DISTRICT: QCoreApplication.translate("RestockPage",
                                                           "Allocation from the district"),
        ReceiveSource.OTHER: QCoreApplication.translate("RestockPage",
                                                        "Other (say what in the note)"),
    }


class RestockPage(QWidget):
    received = Signal(object)  # stock_calls.Received
    item_found = Signal(object)  # ItemRow or None
    note_written = Signal(object)  # Path of the goods-received note
    slip_printed = Signal(object)  # what slip_output.render_slip returned for the note
    item_dialog = Signal(object)  # the NewItemDialog opened for an unknown barcode
    loaded = Signal()

    def __init__(self, ctx: UiContext, parent=None, out_dir: Path | None = None,
                 receipts=None):
        super().__init__(parent)
        self.ctx = ctx
        self.receipts = receipts  # ReceiptOutput: where slips print (None: PDF only)
        self.item = None
        self.entries: list = []  # this session's receipts (the goods-received note)
        self.log: list = []  # everything of this session, for the list (write-offs too)
        self.categories: list[str] = []
        self.out_dir = out_dir
        title = QLabel(self.tr("Restock"))
        title.setStyleSheet(css("font-size: 22pt; font-weight: bold;"))
        self.banner = QLabel()
        self.banner.setObjectName("restock_low_stock")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(css("font-size: 15pt; color: #ffffff; background: #b00020; "
                                      "padding: 6px; border-radius: 4px;"))
        self.banner.hide()
        self.scan = QLineEdit()
        self.scan.setObjectName("restock_scan")
        self.scan.setPlaceholderText(self.tr("Scan a barcode or type a name, then Enter"))
        self.scan.setStyleSheet(css("font-size: 20pt;"))
        self.scan.setMinimumHeight(px(56))
        self.scan.returnPressed.connect(self.look_up)
        self.current = QLabel(self.tr("No item chosen"))
        self.current.setObjectName("restock_item")
        self.current.setStyleSheet(css("font-size: 18pt; font-weight: bold;"))
        self.qty = QSpinBox()
        self.qty.setObjectName("restock_qty")
        self.qty.setRange(1, 1_000_000)
        self.qty.setMinimumHeight(px(52))
        self.qty.setStyleSheet(css("font-size: 20pt;"))
        self.qty.lineEdit().returnPressed.connect(self.commit)
        self.mode = QComboBox()
        self.mode.setObjectName("restock_mode")
        self.mode.addItem(self.tr("Receive"), "receive")
        self.mode.addItem(self.tr("Write off"), "writeoff")
        self.mode.setStyleSheet(css("font-size: 16pt;"))
        self.mode.currentIndexChanged.connect(self._source_changed)
        self.reason = QComboBox()
        self.reason.setObjectName("restock_reason")
        for value, label in ((WriteOffReason.DAMAGED, self.tr("Damaged")),
                             (WriteOffReason.EXPIRED, self.tr("Expired")),
                             (WriteOffReason.LOST, self.tr("Lost"))):
            self.reason.addItem(label, str(value))
        self.reason.setStyleSheet(css("font-size: 16pt;"))
        self.source = QComboBox()
        self.source.setObjectName("restock_source")
        for value, label in source_labels().items():
            self.source.addItem(label, str(value))
        self.source.setStyleSheet(css("font-size: 16pt;"))
        self.source.currentIndexChanged.connect(self._source_changed)
        self.merchant = QComboBox()
        self.merchant.setObjectName("restock_merchant")
        self.merchant.setStyleSheet(css("font-size: 16pt;"))
        self.note = QLineEdit()
        self.note.setObjectName("restock_note")
        self.note.setPlaceholderText(self.tr("Note"))
        self.note.setStyleSheet(css("font-size: 16pt;"))
        self.note.returnPressed.connect(self.commit)
        row = QHBoxLayout()
        row.addWidget(self.mode)
        for label, widget in ((self.tr("Quantity"), self.qty), (None, self.reason),
                              (self.tr("Source"), self.source),
                              (self.tr("Merchant"), self.merchant), (None, self.note)):
            if label:
                lab = QLabel(label)
                lab.setStyleSheet(css("font-size: 16pt;"))
                row.addWidget(lab)
            row.addWidget(widget, 1)
        self.message = QLabel()
        self.message.setObjectName("restock_message")
        self.message.setWordWrap(True)
        self.model = ReceivedModel([self.tr("Item"), self.tr("Quantity"), self.tr("Source"),
                                    self.tr("Stock now")], self)
        self.table = make_table(self.model, "restock_list")
        self.table.setStyleSheet(css("font-size: 14pt;"))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.message.setMinimumHeight(px(44))
        buttons = QHBoxLayout()
        add_button(buttons, self.tr("Record (Enter)"), self.commit, "restock_commit")
        self.note_button = add_button(buttons, self.tr("Goods-received note (PDF)"),
                                      self.write_note, "restock_note_pdf")
        self.slip_button = add_button(buttons, self.tr("Print goods-received note (receipt printer)"),
                                      self.print_note, "restock_note_slip")
        self.slip_button.setVisible(receipts is not None)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.banner)
        layout.addWidget(self.scan)
        layout.addWidget(self.current)
        layout.addLayout(row)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self._source_changed()

    # --- loading --------------------------------------------------------------------

    def activate(self) -> None:
        Op(self, stock_calls.load_page, self.ctx.db, self.ctx.counter.id) \
            .success(self._loaded).failure(self._failed).run()
        self.scan.setFocus()

    def _loaded(self, result) -> None:
        low, merchants, self.categories = result
        self.merchant.clear()
        for m in merchants:
            self.merchant.addItem(m.name, m.id)
        if low:
            names = "、".join(f"{r.name}（{r.qty}）" for r in low[:8])
            more = fill(self.tr(" and %1 more"), len(low) - 8) if len(low) > 8 else ""
            self.banner.setText(fill(self.tr("Running low: %1"), names + more))
            self.banner.show()
        else:
            self.banner.hide()
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, CounterError):
            raise exc
        show_message(self.message, str(exc), error=True)

    def _source_changed(self) -> None:
        writing_off = self.mode.currentData() == "writeoff"
        self.reason.setVisible(writing_off)
        self.source.setEnabled(not writing_off)
        self.merchant.setEnabled(not writing_off
                                 and self.source.currentData() == str(ReceiveSource.DONATION))

    # --- scan → quantity → Enter ------------------------------------------------------

    def look_up(self) -> None:
        text = self.scan.text().strip()
        if not text:
            return
        Op(self, stock_calls.find_item, self.ctx.db, self.ctx.counter.id, text) \
            .success(self._found).failure(self._failed).run()

    def _found(self, found) -> None:
        self.scan.clear()
        if found.item is None:
            if found.code.isascii() and found.code.isalnum():
                self.offer_new_item(found.code)
            else:
                show_message(self.message, fill(self.tr("No item matches “%1”"), found.code),
                             error=True)
            self.item_found.emit(None)
            return
        self.choose(found.item)

    def choose(self, item) -> None:
        self.item = item
        stock = "" if item.stock is None else fill(self.tr(" — in stock: %1 %2"), item.stock,
                                                   item.unit)
        self.current.setText(item.name + stock)
        self.qty.setValue(1)
        self.qty.setFocus()
        self.qty.selectAll()
        self.item_found.emit(item)

    def offer_new_item(self, code: str) -> None:
        dialog = NewItemDialog(code, self.categories, self)
        dialog.finished.connect(lambda result: self._new_item_done(dialog, result))
        dialog.open()
        self.item_dialog.emit(dialog)

    def _new_item_done(self, dialog, result) -> None:
        if result != QDialog.DialogCode.Accepted:
            self.scan.setFocus()
            return
        values = dialog.values()

        def created(_item_id):
            show_message(self.message, fill(self.tr("Item “%1” created"), values["name"]))
            self.scan.setText(values["barcodes"][0] if values["barcodes"] else values["name"])
            self.look_up()

        def refused(exc):
            if not isinstance(exc, CounterError):
                raise exc
            dialog.error.setText(str(exc))
            dialog.finished.disconnect()
            dialog.finished.connect(lambda r: self._new_item_done(dialog, r))
            dialog.open()
            self.item_dialog.emit(dialog)

        Op(self, stock_calls.add_item, self.ctx.db, self.ctx.actor, values) \
            .success(created).failure(refused).run()

    def commit(self) -> None:
        if self.item is None:
            show_message(self.message, self.tr("Scan an item first"), error=True)
            self.scan.setFocus()
            return
        if self.mode.currentData() == "writeoff":
            Op(self, stock_calls.write_off, self.ctx.db, self.ctx.actor, self.item,
               self.qty.value(), self.reason.currentData(), self.note.text()) \
                .success(self._written_off).failure(self._failed).run()
            return
        merchant = self.merchant.currentData() if self.merchant.isEnabled() else None
        Op(self, stock_calls.receive, self.ctx.db, self.ctx.actor, self.item, self.qty.value(),
           self.source.currentData(), merchant, self.note.text()) \
            .success(self._received).failure(self._failed).run()

    def _written_off(self, r) -> None:
        show_message(self.message, fill(self.tr("Wrote off %1 %2 of %3; in stock now: %4 %2"),
                                        -r.qty, r.unit, r.item, r.level))
        self._done(r)

    def _received(self, r) -> None:
        self.entries.append(r)
        show_message(self.message, fill(self.tr("Received %1 %2 of %3; in stock now: %4 %2"),
                                        r.qty, r.unit, r.item, r.level))
        self._done(r)

    def _done(self, r) -> None:
        # the low-stock banner as the shelf is now (trial: it still named 香皂（4） at 24)
        Op(self, stock_calls.load_page, self.ctx.db, self.ctx.counter.id) \
            .success(self._loaded).failure(self._failed).run()
        self.log.append(r)
        self.model.set_rows(list(reversed(self.log)))
        self.item = None
        self.current.setText(self.tr("No item chosen"))
        self.note.clear()
        self.scan.setFocus()
        self.received.emit(r)

    def write_note(self) -> None:
        if not self.entries:
            show_message(self.message, self.tr("Nothing received in this session yet"), error=True)
            return
        from counter_app.clock import now_utc
        from counter_app.config import data_dir

        folder = self.out_dir or data_dir() / "documents"
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / f"入库单-{now_utc():%Y%m%d-%H%M%S}.pdf"
        Op(self, stock_calls.goods_received_pdf, self.ctx.db, [e.entry_id for e in self.entries],
           out, self.ctx.actor.name).success(self._note_done).failure(self._failed).run()

    def _note_done(self, path) -> None:
        show_message(self.message, fill(self.tr("Goods-received note written: %1"), str(path)))
        self.note_written.emit(path)

    def print_note(self) -> None:
        """The note on the receipt printer, like the day-close report."""
        if not self.entries:
            show_message(self.message, self.tr("Nothing received in this session yet"), error=True)
            return
        width = getattr(self.receipts, "width_mm", 58)
        Op(self, stock_calls.goods_received_slip, self.ctx.db,
           [e.entry_id for e in self.entries], self.ctx.actor.name, width if width in (58, 80)
           else 58).success(self._print_slip).failure(self._failed).run()

    def _print_slip(self, slip) -> None:
        from counter_app.ui.day.slip_output import render_slip

        show_message(self.message, self.tr("Printing…"))
        Op(self, render_slip, self.receipts, slip).on_device_thread() \
            .success(self._slip_done).failure(self._failed).run()

    def _slip_done(self, result) -> None:
        from counter_app.ui.day.slip_output import show_slip

        show_slip(self.receipts, result)
        show_message(self.message, self.tr("Goods-received note printed"))
        self.slip_printed.emit(result)
