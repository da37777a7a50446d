"""A device problem, impossible to miss: a coloured bar with an icon above the pages, apart
from the status bar's operator name ("扫码枪未连接：等待 /dev/ttyUSB0 …")."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle
from counter_app.ui.common.scale import css

BANNER_STYLE = ("QFrame#device_banner { background: #fde2c4; border: 2px solid #c0392b;"
                " border-radius: 6px; }"
                " QLabel#device_banner_text { color: #7a1c10; font-size: 16pt; font-weight: bold; }")


class DeviceBanner(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("device_banner")
        self.setStyleSheet(css(BANNER_STYLE))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        icon = QLabel()
        icon.setObjectName("device_banner_icon")
        size = self.fontMetrics().height() * 2
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        layout.addWidget(icon)
        self.text = QLabel()
        self.text.setObjectName("device_banner_text")
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        self.hide()

    def set_problem(self, text: str | None) -> None:
        self.text.setText(text or "")
        self.setVisible(bool(text))
