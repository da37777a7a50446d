"""Create an item from a barcode nobody knows yet (scanned on the restock page)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout,
)

from counter_app.db.models import ItemKind
from counter_app.ui.common.scale import css
from counter_app.ui.common.text import fill


class NewItemDialog(QDialog):
    """Fields of a new goods item; ``values()`` gives catalogue.add_item's keywords."""

    def __init__(self, barcode: str, categories: list[str], parent=None, merchants=()):
        super().__init__(parent)
        self.setObjectName("new_item_dialog")
        self.setWindowTitle(self.tr("New item"))
        self.setStyleSheet(css("font-size: 15pt;"))
        intro = QLabel(fill(self.tr("No item has the barcode %1 yet. Create it:"), barcode)
                       if barcode else self.tr("A new item:"))
        intro.setWordWrap(True)
        self.kind = QComboBox()
        self.kind.setObjectName("new_item_kind")
        for value, label in ((ItemKind.GOODS, self.tr("Goods")),
                             (ItemKind.SERVICE, self.tr("Service")),
                             (ItemKind.MERCHANT_OFFER, self.tr("Merchant offer"))):
            self.kind.addItem(label, str(value))
        self.merchant = QComboBox()
        self.merchant.setObjectName("new_item_merchant")
        self.merchant.addItem("—", None)
        for m in merchants:
            self.merchant.addItem(m.name, m.id)
        self.barcode = QLineEdit(barcode)
        self.barcode.setObjectName("new_item_barcode")
        self.name = QLineEdit()
        self.name.setObjectName("new_item_name")
        self.category = QComboBox()
        self.category.setObjectName("new_item_category")
        self.category.setEditable(True)
        self.category.addItems(categories)
        self.unit = QLineEdit(self.tr("piece"))
        self.unit.setObjectName("new_item_unit")
        self.points = QSpinBox()
        self.points.setObjectName("new_item_points")
        self.points.setRange(1, 1_000_000)
        self.points.setValue(10)
        self.low_stock = QSpinBox()
        self.low_stock.setObjectName("new_item_low_stock")
        self.low_stock.setRange(0, 1_000_000)
        self.low_stock.setValue(5)
        form = QFormLayout()
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Merchant"), self.merchant)
        form.addRow(self.tr("Barcode"), self.barcode)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Category"), self.category)
        form.addRow(self.tr("Unit"), self.unit)
        form.addRow(self.tr("Points"), self.points)
        form.addRow(self.tr("Low-stock alert at"), self.low_stock)
        self.error = QLabel()
        self.error.setObjectName("new_item_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(css("font-size: 15pt; color: #b00020;"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.name.setFocus()

    def values(self) -> dict:
        code = self.barcode.text().strip()
        kind = ItemKind(self.kind.currentData())
        values = dict(name=self.name.text(), kind=kind, category=self.category.currentText(),
                      unit=self.unit.text(), points=self.points.value(),
                      barcodes=(code,) if code else ())
        if kind is ItemKind.GOODS:
            values["low_stock"] = self.low_stock.value()
        if self.merchant.currentData() is not None:
            values["merchant_id"] = self.merchant.currentData()
        return values
