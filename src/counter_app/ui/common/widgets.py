"""Shared building blocks: the pages' tables and big keyboard-free buttons look alike."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QPushButton, QTableView
from counter_app.ui.common.scale import css, px


ERROR_COLOR, OK_COLOR = "#b00020", "#0b6e2e"


def show_message(label, text: str, error: bool = False) -> None:
    """A page's message line: large, red for what went wrong, green for what went right."""
    label.setStyleSheet(css(f"font-size: 16pt; color: {ERROR_COLOR if error else OK_COLOR};"))
    label.setText(text)


def make_table(model, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setHighlightSections(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(px(36))
    return view


def add_button(layout, text, slot, name, height: int = 52) -> QPushButton:
    """A big button that never takes the focus: the scan box keeps it."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setMinimumHeight(px(height))
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.clicked.connect(slot)
    layout.addWidget(button)
    return button
