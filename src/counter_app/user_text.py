"""Text and numbers as people (and scanners) hand them in, checked before they reach SQLite.

A byte a terminal or a scanner could not decode arrives as a lone surrogate
(``'\\udcff'``); SQLite cannot store it and raises a raw UnicodeEncodeError. Control
characters in a name end up on receipts as printer commands. Both get InvalidText.
"""

from __future__ import annotations

import unicodedata

from counter_app.errors import InvalidInput, InvalidText


def clean_text(text: str, what: str) -> str:
    """``text`` stripped, or InvalidText naming the field (``what``)."""
    if not isinstance(text, str):
        raise InvalidInput(detail=f"{what}应为文字（收到 {text!r}）")
    text = text.strip()
    for ch in text:
        if "\ud800" <= ch <= "\udfff" or unicodedata.category(ch) == "Cc":
            raise InvalidText(what=what)
    return text


def clean_optional(text: str | None, what: str) -> str | None:
    return None if text is None else clean_text(text, what)


def whole_number(value, what: str) -> int:
    """An id or count given as int or digits ("12"); anything else is InvalidInput."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdecimal() and value.strip().isascii():
        return int(value.strip())
    shown = f"“{value}”" if isinstance(value, str) else repr(value)
    raise InvalidInput(detail=f"{what}须为整数（收到 {shown}）")
