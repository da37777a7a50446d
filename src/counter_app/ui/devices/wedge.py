"""Keyboard-wedge scanners: tell a scan burst from typing.

A USB scanner in keyboard mode "types" a code in a few milliseconds and ends it with
Enter; people type a key every 100 ms or more. The filter watches key presses (and
input-method commits, because with a Chinese input method active the characters may
arrive as QInputMethodEvent commits instead of key presses) and, when Enter ends a
fast burst of at least ``min_length`` ASCII characters, swallows that Enter and emits
``scanned(code)``. Installed on the QApplication it sees each key twice (window, then
widget), so only widget deliveries are counted.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, Signal

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class WedgeScanFilter(QObject):
    scanned = Signal(str)

    def __init__(self, parent=None, max_gap_ms: float = 50.0, min_length: int = 6,
                 clock=time.monotonic):
        super().__init__(parent)
        self.max_gap = max_gap_ms / 1000.0
        self.min_length = min_length
        self.clock = clock
        self._chars: list[str] = []
        self._first = self._last = 0.0
        self._widget = None  # where the characters of the burst went (identity only)

    def _feed(self, text: str) -> None:
        now = self.clock()
        if not self._chars or now - self._last > self.max_gap:
            self._chars = []
            self._first = now
        self._chars.extend(text)
        self._last = now

    def _burst(self) -> str | None:
        now = self.clock()
        n = len(self._chars)
        if n < self.min_length or now - self._last > self.max_gap:
            return None
        if (self._last - self._first) / max(1, n - 1) > self.max_gap:
            return None
        return "".join(self._chars)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if not obj.isWidgetType():
            return False
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            if event.key() in ENTER_KEYS:
                code = self._burst()
                self._chars = []
                if code:
                    self.scanned.emit(code)
                    return True
                return False
            text = event.text()
            if obj is not self._widget:
                if _propagated(obj, self._widget):
                    # The same key again, passed up by a widget that did not take it (a
                    # read-only text, a button): counted once, or the burst breaks and its
                    # Enter reaches the dialog's default button (a handover closed unread).
                    return False
                # A scanner types into one widget: keys typed elsewhere a moment ago (the
                # search box before a log-out, then a PIN) never make one burst with these.
                self._chars, self._widget = [], obj
            if len(text) == 1 and text.isascii() and text.isprintable() and text != " ":
                self._feed(text)
            elif text:
                self._chars = []  # a non-ASCII key breaks any burst
        elif kind == QEvent.Type.InputMethod:
            commit = event.commitString()
            if commit and commit.isascii() and commit.isprintable():
                self._feed(commit)
        return False


def _propagated(obj, last) -> bool:
    """``obj`` is a parent of the widget the last key went to (Qt hands an ignored key on
    to the parent, and the application's filter sees it there again)."""
    if last is None:
        return False
    try:
        return obj.isAncestorOf(last)
    except RuntimeError:  # the last widget is gone (a closed dialog)
        return False
