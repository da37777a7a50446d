"""A scroll area for the pages: the page fills the view, and scrolls only when its minimum
size does not fit.

QScrollArea with widgetResizable sizes a widget whose layout has height-for-width (any
word-wrapped label) to its *preferred* height for the width: at 特大 on a 1366×768 screen
the counter page became 712 px tall in a 600 px view as soon as a member was shown, and the
redeem button went below the edge (trial), although the page fits in 502 px.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import QScrollArea, QWidget


class FitScrollArea(QScrollArea):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(False)

    def setWidget(self, widget: QWidget) -> None:  # noqa: N802 (Qt's name)
        super().setWidget(widget)
        widget.installEventFilter(self)
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._fit()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        widget = self.widget()
        if widget is None:
            return
        view = self.maximumViewportSize()
        least = widget.minimumSizeHint().expandedTo(widget.minimumSize())
        size = QSize(max(view.width(), least.width()), max(view.height(), least.height()))
        if size.width() > view.width():  # a horizontal bar takes height from the view
            size.setHeight(max(view.height() - self.horizontalScrollBar().sizeHint().height(),
                               least.height()))
        if size.height() > view.height() and size.width() == view.width():
            size.setWidth(max(view.width() - self.verticalScrollBar().sizeHint().width(),
                              least.width()))
        if widget.size() != size:
            widget.resize(size)
