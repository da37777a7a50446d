"""As-you-type search shared by the counter and members pages.

One query in flight at a time; of the texts typed meanwhile only the newest runs
next; an answer for a text no longer in the box is dropped. So fast typing costs at
most two queries, and results never flicker back to an older text.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject

from counter_app.ui.common.ops import Op


class LatestSearch:
    def __init__(self, parent: QObject, search: Callable[[str], tuple[str, list]],
                 current_text: Callable[[], str], on_rows: Callable[[str, list], None],
                 on_error: Callable[[BaseException], None]):
        self._parent, self._search = parent, search
        self._current_text, self._on_rows, self._on_error = current_text, on_rows, on_error
        self._busy = False
        self._pending: str | None = None

    @property
    def waiting(self) -> bool:
        """Results for the text in the box are still on their way."""
        return self._busy or self._pending is not None

    def request(self, text: str) -> None:
        if self._busy:
            self._pending = text
            return
        self._busy = True
        Op(self._parent, self._search, text).success(self._done).failure(self._failed).run()

    def cancel(self) -> None:
        self._pending = None

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self._on_error(exc)

    def _done(self, result) -> None:
        self._busy = False
        text, rows = result
        if self._pending is not None:
            pending, self._pending = self._pending, None
            if pending != text:
                self.request(pending)
                return
        if text == self._current_text():
            self._on_rows(text, rows)
