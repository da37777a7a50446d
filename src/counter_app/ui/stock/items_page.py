"""物品 — the item register: goods, services and merchant offers (point price with its
history, category, unit, barcodes, limits, minimum age, capacity, low-stock threshold,
picture, active), import/export of the list; and the merchant register with voucher
checks and the monthly settlement; the stock reports of a period (stock_reports_panel).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QSpinBox, QTabWidget, QVBoxLayout, QWidget,
)

from counter_app.catalogue import KIND_LABELS
from counter_app.db.models import ItemKind
from counter_app.errors import CounterError
from counter_app.localtime import to_local
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.ops import Op
from counter_app.ui.common.row_table_model import RowTableModel
from counter_app.ui.common.scale import css, px
from counter_app.ui.common.text import fill
from counter_app.ui.common.widgets import add_button, make_table, show_message
from counter_app.ui.stock import stock_calls
from counter_app.ui.stock.stock_reports_panel import StockReportsPanel


class ItemsModel(RowTableModel):
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r = self.row_at(index.row())
        if r is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        stock = "" if r.stock is None else f"{r.stock} {r.unit}" + (" ⚠" if r.is_low else "")
        return (r.name, KIND_LABELS[ItemKind(r.kind)], r.category, r.points, stock,
                "✓" if r.active else "")[index.column()]


class PricesModel(RowTableModel):
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r = self.row_at(index.row())
        if r is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (to_local(r.changed_at).strftime("%Y-%m-%d %H:%M"), r.points, r.operator or "",
                r.note or "")[index.column()]


class MerchantsModel(RowTableModel):
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r = self.row_at(index.row())
        if r is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (r.name, r.address or "", r.contact or "")[index.column()]


def _spin(name: str, low: int = 0, none_at_low: bool = True) -> QSpinBox:
    box = QSpinBox()
    box.setObjectName(name)
    box.setRange(low, 1_000_000)
    if none_at_low:
        box.setSpecialValueText("—")  # the lowest value means "none"
    return box


class StockItemsPage(QWidget):
    loaded = Signal()
    saved = Signal(int)
    shown = Signal(object)  # stock_calls.ItemDetails
    voucher_done = Signal(str)  # the message shown
    files_written = Signal(object)
    new_dialog = Signal(object)  # the NewItemDialog opened
    imported = Signal(str)  # the message shown (result or every problem)

    def __init__(self, ctx: UiContext, parent=None, out_dir: Path | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.out_dir = out_dir
        self.details = None
        self.setStyleSheet(css("font-size: 15pt;"))
        tabs = QTabWidget()
        tabs.addTab(self._items_tab(), self.tr("Items"))
        tabs.addTab(self._merchants_tab(), self.tr("Merchants and vouchers"))
        self.reports = StockReportsPanel(ctx, out_dir)
        tabs.addTab(self.reports, self.tr("Stock reports"))
        self.tabs = tabs
        self.message = QLabel()
        self.message.setObjectName("items_message")
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(px(40))
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.message)

    # --- items -------------------------------------------------------------------------

    def _items_tab(self) -> QWidget:
        tab = QWidget()
        self.model = ItemsModel([self.tr("Name"), self.tr("Kind"), self.tr("Category"),
                                 self.tr("Points"), self.tr("Stock"), self.tr("Active")], self)
        self.table = make_table(self.model, "items_table")
        self.table.clicked.connect(self._pick)
        self.name = QLineEdit()
        self.name.setObjectName("item_name")
        self.category = QLineEdit()
        self.category.setObjectName("item_category")
        self.unit = QLineEdit()
        self.unit.setObjectName("item_unit")
        self.points = _spin("item_points", 1, none_at_low=False)
        self.barcodes = QLineEdit()
        self.barcodes.setObjectName("item_barcodes")
        self.barcodes.setPlaceholderText(self.tr("Barcodes, separated by ;"))
        self.low_stock = _spin("item_low_stock", -1)
        self.capacity = _spin("item_capacity")
        self.capacity_period = QComboBox()
        self.capacity_period.setObjectName("item_capacity_period")
        for value, label in (("", "—"), ("week", self.tr("per week")),
                             ("month", self.tr("per month")), ("quarter", self.tr("per quarter")),
                             ("year", self.tr("per year"))):
            self.capacity_period.addItem(label, value)
        self.min_age = _spin("item_min_age")
        self.picture = QLineEdit()
        self.picture.setObjectName("item_picture")
        self.picture.setPlaceholderText(self.tr("Picture file (optional)"))
        self.picture_button = QPushButton(self.tr("Choose…"))
        self.picture_button.setObjectName("item_picture_choose")
        self.picture_button.clicked.connect(self.choose_picture)
        self.picture_dialog: QFileDialog | None = None
        picture_row = QHBoxLayout()
        picture_row.addWidget(self.picture, 1)
        picture_row.addWidget(self.picture_button)
        self.active = QCheckBox(self.tr("Active (shown at the counter)"))
        self.active.setObjectName("item_active")
        form = QFormLayout()
        for label, w in ((self.tr("Name"), self.name), (self.tr("Category"), self.category),
                         (self.tr("Unit"), self.unit), (self.tr("Points"), self.points),
                         (self.tr("Barcodes"), self.barcodes),
                         (self.tr("Low-stock alert at"), self.low_stock),
                         (self.tr("Capacity"), self.capacity),
                         (self.tr("Capacity period"), self.capacity_period),
                         (self.tr("Minimum age"), self.min_age),
                         (self.tr("Picture"), picture_row), ("", self.active)):
            form.addRow(label, w)
        self.prices = PricesModel([self.tr("Since"), self.tr("Points"), self.tr("Changed by"),
                                   self.tr("Note")], self)
        prices = make_table(self.prices, "item_prices")
        prices.setMaximumHeight(px(160))
        buttons = QHBoxLayout()
        add_button(buttons, self.tr("Save"), self.save, "item_save")
        add_button(buttons, self.tr("New item"), self.new_item, "item_new")
        add_button(buttons, self.tr("Export list (.xlsx)"), self.export_list, "items_export")
        self.import_path = QLineEdit()
        self.import_path.setObjectName("items_import_path")
        self.import_path.setPlaceholderText(self.tr("File to import (.xlsx or .csv)"))
        import_row = QHBoxLayout()
        import_row.addWidget(self.import_path, 1)
        add_button(import_row, self.tr("Import list"), self.import_list, "items_import")
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(QLabel(self.tr("Price history")))
        right.addWidget(prices)
        right.addLayout(buttons)
        right.addLayout(import_row)
        layout = QHBoxLayout(tab)
        layout.addWidget(self.table, 3)
        layout.addLayout(right, 2)
        return tab

    def activate(self) -> None:
        Op(self, stock_calls.list_all, self.ctx.db, self.ctx.counter.id) \
            .success(self._loaded).failure(self._failed).run()

    def _loaded(self, result) -> None:
        rows, merchants = result
        self.model.set_rows(rows)
        self.merchants_model.set_rows(merchants)
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, CounterError):
            raise exc
        show_message(self.message, str(exc), error=True)

    def _pick(self, index) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.show_item(row.id)

    def show_item(self, item_id: int) -> None:
        Op(self, stock_calls.item_details, self.ctx.db, self.ctx.counter.id, item_id) \
            .success(self._show).failure(self._failed).run()

    def _show(self, d) -> None:
        self.details = d
        i = d.item
        self.name.setText(i.name)
        self.category.setText(i.category)
        self.unit.setText(i.unit)
        self.points.setValue(i.points)
        self.barcodes.setText(";".join(d.barcodes))
        self.low_stock.setValue(-1 if i.low_stock is None else i.low_stock)
        self.capacity.setValue(i.capacity_qty or 0)
        self.capacity_period.setCurrentIndex(max(0, self.capacity_period.findData(
            i.capacity_period or "")))
        self.min_age.setValue(i.min_age or 0)
        self.picture.setText(i.picture or "")
        self.active.setChecked(i.active)
        self.prices.set_rows(d.prices)
        self.shown.emit(d)

    def choose_picture(self) -> None:
        """A file chooser for the item's picture (trial: the path had to be typed). Opened
        window-modal, not blocking: the page stays responsive, and tests can answer it."""
        start = str(Path(self.picture.text()).parent) if self.picture.text() else str(Path.home())
        from counter_app.ui.common.file_dialogs import file_dialog

        # never opens the files it lists (ui/common/file_dialogs.py: the database's locks)
        dialog = file_dialog(self, self.tr("Picture of the item"), start,
                             self.tr("Pictures (*.png *.jpg *.jpeg *.bmp *.gif)"))
        dialog.setObjectName("item_picture_dialog")
        dialog.fileSelected.connect(self.picture.setText)
        dialog.finished.connect(dialog.deleteLater)
        self.picture_dialog = dialog
        dialog.open()

    def save(self) -> None:
        if self.details is None:
            show_message(self.message, self.tr("Choose an item in the list first"), error=True)
            return
        fields = dict(name=self.name.text(), category=self.category.text(), unit=self.unit.text(),
                      low_stock=None if self.low_stock.value() < 0 else self.low_stock.value(),
                      capacity_qty=self.capacity.value() or None,
                      capacity_period=self.capacity_period.currentData() or None,
                      min_age=self.min_age.value() or None, picture=self.picture.text())
        codes = [c.strip() for c in self.barcodes.text().replace("；", ";").split(";") if c.strip()]
        item_id = self.details.item.id

        def done(_none):
            show_message(self.message, fill(self.tr("Saved “%1”"), fields["name"]))
            self.activate()
            self.show_item(item_id)
            self.saved.emit(item_id)

        Op(self, stock_calls.save_item, self.ctx.db, self.ctx.actor, item_id, fields,
           self.points.value(), codes, self.active.isChecked()) \
            .success(done).failure(self._failed).run()

    def new_item(self) -> None:
        from PySide6.QtWidgets import QDialog

        from counter_app.ui.stock.new_item_dialog import NewItemDialog

        categories = sorted({r.category for r in self.model._rows})
        dialog = NewItemDialog("", categories, self, merchants=self.merchants_model._rows)

        def finished(result):
            if result != QDialog.DialogCode.Accepted:
                return
            values = dialog.values()

            def created(item_id):
                show_message(self.message, fill(self.tr("Saved “%1”"), values["name"]))
                self.activate()
                self.show_item(item_id)
                self.saved.emit(item_id)

            def refused(exc):
                if not isinstance(exc, CounterError):
                    raise exc
                dialog.error.setText(str(exc))
                dialog.open()
                self.new_dialog.emit(dialog)

            Op(self, stock_calls.add_item, self.ctx.db, self.ctx.actor, values) \
                .success(created).failure(refused).run()

        dialog.finished.connect(finished)
        dialog.open()
        self.new_dialog.emit(dialog)

    def _folder(self) -> Path:
        from counter_app.config import data_dir

        return self.out_dir or data_dir() / "documents"

    def export_list(self) -> None:
        from counter_app.clock import now_utc

        folder = self._folder()
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / f"物品表-{now_utc():%Y%m%d-%H%M%S}.xlsx"
        Op(self, stock_calls.export_file, self.ctx.db, out).success(self._written) \
            .failure(self._failed).run()

    def import_list(self) -> None:
        path = Path(self.import_path.text().strip().strip('"'))

        def done(result):
            text = fill(self.tr("Imported: %1"), result)
            show_message(self.message, text)
            self.activate()
            self.imported.emit(text)

        def refused(exc):
            self._failed(exc)
            self.imported.emit(self.message.text())

        Op(self, stock_calls.import_file, self.ctx.db, self.ctx.actor, path) \
            .success(done).failure(refused).run()

    def _written(self, paths) -> None:
        paths = paths if isinstance(paths, tuple) else (paths,)
        show_message(self.message, fill(self.tr("Written: %1"), "、".join(map(str, paths))))
        self.files_written.emit(paths)

    # --- merchants and vouchers ----------------------------------------------------------

    def _merchants_tab(self) -> QWidget:
        tab = QWidget()
        self.merchants_model = MerchantsModel([self.tr("Merchant"), self.tr("Address"),
                                               self.tr("Contact")], self)
        table = make_table(self.merchants_model, "merchants_table")
        self.m_name, self.m_address, self.m_contact = QLineEdit(), QLineEdit(), QLineEdit()
        for w, n in ((self.m_name, "merchant_name"), (self.m_address, "merchant_address"),
                     (self.m_contact, "merchant_contact")):
            w.setObjectName(n)
        form = QFormLayout()
        form.addRow(self.tr("Merchant"), self.m_name)
        form.addRow(self.tr("Address"), self.m_address)
        form.addRow(self.tr("Contact"), self.m_contact)
        add_row = QHBoxLayout()
        add_button(add_row, self.tr("Register merchant"), self.add_merchant, "merchant_add")
        self.voucher = QLineEdit()
        self.voucher.setObjectName("voucher_code")
        self.voucher.setPlaceholderText(self.tr("Scan or type a voucher code, then Enter"))
        self.voucher.setMinimumHeight(px(52))
        self.voucher.returnPressed.connect(self.check_voucher)
        voucher_row = QHBoxLayout()
        voucher_row.addWidget(self.voucher, 1)
        add_button(voucher_row, self.tr("Mark used"), self.use_voucher, "voucher_use")
        self.month = QLineEdit()
        self.month.setObjectName("settlement_month")
        self.month.setPlaceholderText("YYYY-MM")
        month_row = QHBoxLayout()
        month_row.addWidget(QLabel(self.tr("Settlement month")))
        month_row.addWidget(self.month)
        add_button(month_row, self.tr("Monthly settlement (PDF and .xlsx)"), self.settle,
                   "settlement_write")
        layout = QVBoxLayout(tab)
        layout.addWidget(table, 1)
        layout.addLayout(form)
        layout.addLayout(add_row)
        layout.addLayout(voucher_row)
        layout.addLayout(month_row)
        return tab

    def add_merchant(self) -> None:
        name = self.m_name.text()

        def done(_mid):
            show_message(self.message, fill(self.tr("Merchant “%1” registered"), name.strip()))
            for w in (self.m_name, self.m_address, self.m_contact):
                w.clear()
            self.activate()

        Op(self, stock_calls.add_merchant, self.ctx.db, self.ctx.actor, name,
           self.m_address.text(), self.m_contact.text()).success(done).failure(self._failed).run()

    def _voucher_failed(self, exc: BaseException) -> None:
        self._failed(exc)
        self.voucher_done.emit(self.message.text())

    def check_voucher(self) -> None:
        def done(result):
            _info, words = result
            show_message(self.message, words, error=not words.startswith("有效"))
            self.voucher_done.emit(words)

        Op(self, stock_calls.check_voucher, self.ctx.db, self.voucher.text()) \
            .success(done).failure(self._voucher_failed).run()

    def use_voucher(self) -> None:
        def done(info):
            text = fill(self.tr("Voucher %1 used: %2 (%3)"), info.code, info.item,
                        info.merchant or "")
            show_message(self.message, text)
            self.voucher.clear()
            self.voucher_done.emit(text)

        Op(self, stock_calls.use_voucher, self.ctx.db, self.ctx.actor, self.voucher.text()) \
            .success(done).failure(self._voucher_failed).run()

    def settle(self) -> None:
        Op(self, stock_calls.settlement_files, self.ctx.db, self.month.text(), self._folder()) \
            .success(self._written).failure(self._failed).run()
