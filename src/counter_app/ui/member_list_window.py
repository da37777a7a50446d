"""A first, minimal window: search members and see their balances."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QLabel, QLineEdit, QMainWindow, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from counter_app import members
from counter_app.counters import local_counter

HEADERS = ["卡号", "姓名", "类别", "电话", "住址", "积分余额"]


class MemberListWindow(QMainWindow):
    def __init__(self, db):
        super().__init__()
        self.db = db
        info = local_counter(db)
        self.setWindowTitle(f"{info.community} · {info.name}")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(QLabel("输入卡号、手机号（或后四位）、姓名或拼音首字母："))
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("例如：zs、张三、5678")
        self.search_box.textChanged.connect(self.refresh)
        layout.addWidget(self.search_box)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        self.setCentralWidget(body)
        self.resize(1100, 700)

    def refresh(self, text: str) -> None:
        with self.db.read() as s:
            rows = members.search(s, text)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = [row.card_code, row.name, row.category_label, row.phone_masked, row.address,
                      str(row.balance)]
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
