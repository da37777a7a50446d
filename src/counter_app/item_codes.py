"""Internal item codes for goods without a manufacturer barcode (services, merchant
offers, loose goods): ``IT-`` + the item number in six digits + a Luhn check digit,
e.g. item 12 -> ``IT-0000125``. Printed as Code128 on shelf labels; the check digit
catches a mistyped or misread code before it picks a wrong item. The hyphen keeps the
shape apart from card codes (letters and digits only, card_codes.py) and from EAN/UPC
(digits only), so a scanned code can never be two things.

The number is the counter's own item id: the code is for this counter's shelves.
"""

from __future__ import annotations

import re

PREFIX = "IT-"
_CODE = re.compile(r"IT-(\d{6,})(\d)")


def _luhn(digits: str) -> int:
    total = 0
    for i, d in enumerate(reversed(digits)):  # double every second digit from the right
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return (10 - total % 10) % 10


def internal_code(item_id: int) -> str:
    if not isinstance(item_id, int) or isinstance(item_id, bool) or item_id <= 0:
        raise ValueError(f"item id must be a positive integer, not {item_id!r}")
    digits = f"{item_id:06d}"
    return f"{PREFIX}{digits}{_luhn(digits)}"


def item_id_from_code(code: str) -> int | None:
    """The item id of a valid internal code, else None (also for a wrong check digit)."""
    m = _CODE.fullmatch(code.strip().upper()) if isinstance(code, str) else None
    if m is None or _luhn(m.group(1)) != int(m.group(2)):
        return None
    return int(m.group(1)) or None
