"""Filling translated texts: placeholders in one pass, so a name that itself contains
"%2" is shown as typed (chained ``.replace`` would fill it in again)."""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"%(\d)")


def fill(template: str, *values) -> str:
    """``fill(tr("Member: %1, %2 points"), name, balance)``."""
    return _PLACEHOLDER.sub(
        lambda m: str(values[int(m.group(1)) - 1]) if 0 < int(m.group(1)) <= len(values)
        else m.group(0), template)
