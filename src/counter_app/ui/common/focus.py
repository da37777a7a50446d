"""Keyboard focus after a dialog: back to the window and its page's scan box, always.

Without a window manager (kiosk-like counters) nobody re-activates the main window when a
dialog closes: X keeps the focus on the destroyed dialog or on the root window, and Esc,
F9, F11 and Ctrl+Shift+D do nothing until someone clicks. So every dialog opener goes
through ``exec_dialog`` / ``open_dialog``, and the session also installs
``DialogFocusReturn``, which does the same for any dialog (a QMessageBox of a page, a
dialog a page opens itself) when it hides.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QWidget


def _raise(window: QWidget) -> None:
    if QGuiApplication.platformName() != "offscreen":  # it has no stacking order (and warns)
        window.raise_()


def focus_target(window: QWidget) -> None:
    """Put the focus where the window's current page wants it (its scan/search box)."""
    page = window.current_page() if hasattr(window, "current_page") else None
    if page is not None and hasattr(page, "focus_input"):
        page.focus_input()
    elif page is not None:
        page.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
    # any other window (the log-in dialog) keeps the focus widget it chose itself


def restore_focus(window: QWidget | None) -> None:
    """Activate ``window`` (raise it, ask X for the input focus) and focus its page."""
    if window is None or not shiboken6.isValid(window) or not window.isVisible():
        return
    modal = QApplication.activeModalWidget()
    if modal is not None and modal.isVisible() and modal is not window:
        _raise(modal)  # another dialog is still open (a box closed over it): it keeps the keyboard
        modal.activateWindow()
        return
    if QApplication.activeWindow() is window and _focus_on_page(window):
        return  # nothing lost: leave the cursor and any typed text alone
    _raise(window)
    window.activateWindow()
    focus_target(window)


def _focus_on_page(window: QWidget) -> bool:
    page = window.current_page() if hasattr(window, "current_page") else None
    focused = QApplication.focusWidget()
    if page is None:
        return focused is not None and window.isAncestorOf(focused)
    return focused is not None and (focused is page or page.isAncestorOf(focused))


def exec_dialog(dialog: QDialog, return_to: QWidget | None = None) -> int:
    """``dialog.exec()``, then the keyboard goes back to ``return_to`` (default: the window
    the dialog belongs to)."""
    target = return_to or (dialog.parentWidget().window() if dialog.parentWidget() else None)
    try:
        return dialog.exec()
    finally:
        restore_focus(target)


def open_dialog(dialog: QDialog, return_to: QWidget | None = None) -> QDialog:
    """``dialog.open()`` (window-modal, returns at once); focus returns when it finishes."""
    target = return_to or (dialog.parentWidget().window() if dialog.parentWidget() else None)
    dialog.finished.connect(lambda _result: QTimer.singleShot(0, lambda: restore_focus(target)))
    dialog.open()
    return dialog


class DialogFocusReturn(QObject):
    """App-wide safety net: whenever a dialog window hides, give the keyboard back to the
    main window (``window()`` returns the current one, it changes on log-in and language
    switch). Runs after the hide settled, so a dialog that opens the next one wins."""

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self._window = window

    def eventFilter(self, obj, event):
        kind = event.type()  # every event of the app passes here: the cheap test first
        if kind in (QEvent.Type.Hide, QEvent.Type.Show) and isinstance(obj, QDialog) \
                and obj.isWindow():
            if kind == QEvent.Type.Hide:
                QTimer.singleShot(0, lambda: restore_focus(self._window()))
            else:  # Show: a new dialog gets the keyboard too
                QTimer.singleShot(0, lambda: _activate(obj))
        return False


def _activate(dialog: QDialog) -> None:
    if shiboken6.isValid(dialog) and dialog.isVisible() and not dialog.isActiveWindow():
        _raise(dialog)
        dialog.activateWindow()
