"""How the earning pages answer a refused action: the core's Chinese message on the page's
message line (red); anything else is a bug and goes to the error dialog."""

from __future__ import annotations

from counter_app.errors import CounterError
from counter_app.ui.common.errors import report_exception
from counter_app.ui.common.widgets import show_message


def refuse(page, label, exc: BaseException) -> bool:
    """Show ``exc`` on ``label``; True when it was an expected (CounterError) refusal."""
    if not isinstance(exc, CounterError):
        report_exception(page, exc)
        return False
    show_message(label, str(exc), error=True)
    return True
