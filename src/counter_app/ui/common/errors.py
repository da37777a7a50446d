"""How errors reach the person at the counter.

Domain errors (CounterError) carry a Chinese message meant for the volunteer and are
shown as they are. Anything else is a bug: it goes to the log file with its traceback
and the person sees a calm, friendly dialog.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from counter_app.errors import CounterError

log = logging.getLogger("counter_app.ui")


def _show(box: QMessageBox) -> None:
    """Shows a message box modally. Tests replace it: a modal box would wait forever."""
    from counter_app.ui.common.focus import exec_dialog

    exec_dialog(box)


def report_exception(parent: QWidget | None, exc: BaseException) -> None:
    if isinstance(exc, CounterError):
        title = QCoreApplication.translate("ErrorDialog", "Cannot do that") if parent else ""
        _show(QMessageBox(QMessageBox.Icon.Warning, title, str(exc),
                          QMessageBox.StandardButton.Ok, parent))
        return
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QCoreApplication.translate("ErrorDialog", "Something went wrong"))
    box.setText(QCoreApplication.translate(
        "ErrorDialog", "Sorry, something went wrong. Nothing was saved half-way.\n"
                       "Please try again; if it happens again, call the staff.\n"
                       "Details were written to the log file."))
    _show(box)


def explain_on(label, parent: QWidget | None, exc: BaseException) -> None:
    """A form's failure: a CounterError's message on the form's ``label``; anything else
    clears it and goes to ``report_exception``."""
    if isinstance(exc, CounterError):
        label.setText(str(exc))
    else:
        label.setText("")
        report_exception(parent, exc)


def install_excepthook() -> None:
    """Unexpected exceptions on the GUI thread: log them and show the friendly dialog."""
    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        report_exception(None, exc.with_traceback(tb))

    sys.excepthook = hook
