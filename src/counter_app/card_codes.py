"""Member card codes that are unique across the district without asking anyone.

A code is the issuing counter's id (which begins with its community code, e.g. ``XF01``),
a six-digit number the counter counts up by itself, and an ISO 7064 MOD 37-2 check
character over the whole code: ``XF01`` + ``000017`` + ``W``. Two counters can never
produce the same code, and the check character catches every single wrong character and
every swap of two neighbours — letters included, so ``XG01…`` typed for ``XF01…`` is not
another community's member. (The hybrid MOD 37,36 misses some swaps; the pure MOD 37-2
misses none, but its 37th check character is ``*``: numbers that would need it are skipped,
since a ``*`` is hard to type and to read aloud.) (The earlier mod-10 digit over the number alone let 51 of 1,343
neighbour swaps in the demo resolve to another real member.)

The earlier scheme (community code + 7 digits + mod-10 digit) is not accepted: only demo
data ever used it, and its neighbours would be valid codes of the new scheme's neighbours.
"""

from __future__ import annotations

import re

from stdnum.iso7064 import mod_37_2

NUMBER_DIGITS = 6
MAX_NUMBER = 10**NUMBER_DIGITS - 1
_CODE = re.compile(r"^[A-Z0-9]{2,16}[0-9]{6}[0-9A-Z]$")
# What looks like a card at the scanner: the counter id starts with its community code's
# letters, so an EAN-13 barcode or a phone number (all digits) is never taken for a card.
LOOKS_LIKE_CARD = re.compile(r"^[A-Z][A-Z0-9]{1,15}[0-9]{6}[0-9A-Z]$")


def make(counter_id: str, number: int) -> str | None:
    """The card code of card ``number`` of ``counter_id``; None for a skipped number."""
    if not 1 <= number <= MAX_NUMBER:
        raise ValueError(f"card number {number} out of range 1..{MAX_NUMBER}")
    body = f"{counter_id.upper()}{number:0{NUMBER_DIGITS}d}"
    check = mod_37_2.calc_check_digit(body)
    return None if check == "*" else body + check


def next_code(counter_id: str, last_number: int) -> tuple[str, int]:
    """The next card code a counter issues after ``last_number``, and its number."""
    number = last_number + 1
    while (code := make(counter_id, number)) is None:
        number += 1
    return code, number


def is_valid(code: str) -> bool:
    """A well-formed code whose check character matches."""
    code = code.strip().upper()
    return bool(_CODE.match(code)) and mod_37_2.is_valid(code)


def split(code: str) -> tuple[str, int]:
    """(issuing counter id, number) of a code of the current scheme."""
    if not (_CODE.match(code) and mod_37_2.is_valid(code)):
        raise ValueError(f"not a card code of the current scheme: {code!r}")
    body = code[:-1]
    return body[:-NUMBER_DIGITS], int(body[-NUMBER_DIGITS:])



def nth_code(counter_id: str, n: int) -> str:
    """The ``n``-th code a counter issues from its first (the demo's member ``n``)."""
    code, number = None, 0
    for _ in range(n):
        code, number = next_code(counter_id, number)
    if code is None:
        raise ValueError("n must be at least 1")
    return code
