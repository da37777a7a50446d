"""Filling translated templates with user text.

``tr("Give %1 a new card? The old card %2 …")`` filled by chained ``.replace("%1", name)
.replace("%2", card)`` goes wrong when the name itself contains "%2" (the second replace
rewrites the name). ``fill`` substitutes every placeholder in one pass over the template:
what it inserts is never looked at again.
"""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"%(\d+)")


def fill(template: str, *args: object) -> str:
    """``%1`` … ``%n`` of ``template`` replaced by ``args`` (as ``str``); a placeholder
    without an argument stays as it is."""
    values = [str(a) for a in args]

    def one(match: re.Match) -> str:
        n = int(match.group(1))
        return values[n - 1] if 1 <= n <= len(values) else match.group(0)

    return _PLACEHOLDER.sub(one, template)
