"""The main window's small sync indicator (status bar): offline / waiting N / last sync."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from counter_app.ui.sync.runner import SyncRunner
from counter_app.ui.sync.sync_page import indicator_text


class SyncIndicator(QLabel):
    def __init__(self, runner: SyncRunner, parent=None):
        super().__init__(parent)
        self.setObjectName("status_sync")
        self.runner = runner
        runner.started.connect(self.update_text)
        runner.status_loaded.connect(self.update_text)
        self.update_text()

    def update_text(self, *_args) -> None:
        text, problem = indicator_text(self.runner.status, self.runner.running)
        self.setText(text)
        self.setStyleSheet("color: #b00020;" if problem else "")
