"""The dashboard's series colours, shared by its figure tiles and its chart (without
loading pyqtgraph, which only the chart needs)."""

from PySide6.QtGui import QColor

EARNED_COLOR = QColor("#1565c0")  # blue and orange stay apart for colour-blind eyes
REDEEMED_COLOR = QColor("#e65100")
