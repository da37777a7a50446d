"""The range every points or quantity input must stay in.

10,000,000 is far above any real award, cart or delivery, and far below where SQLite's
64-bit integers overflow (into REAL, silently) when balances add up.
"""

from __future__ import annotations

from counter_app.errors import ValueOutOfRange

MAX_AMOUNT = 10_000_000


def amount(value, what: str, *, minimum: int | None = None) -> int:
    """``value`` if it is an int (not bool) with |value| <= MAX_AMOUNT (and >= ``minimum``)."""
    if type(value) is not int:
        raise ValueOutOfRange(what=what, value=value, limit=MAX_AMOUNT,
                              detail="必须是整数")
    if abs(value) > MAX_AMOUNT or (minimum is not None and value < minimum):
        low = -MAX_AMOUNT if minimum is None else minimum
        raise ValueOutOfRange(what=what, value=value, limit=MAX_AMOUNT,
                              detail=f"必须在 {low:,} 到 {MAX_AMOUNT:,} 之间")
    return value
