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


def slip_html(slip) -> str:
    """A slip (documents/slip.py) as rich text for a window: its figure lines as a two-column
    table, the figures right-aligned — not its padded monospace form, whose columns only line
    up where a Chinese character is exactly two spaces wide (trial: the handover summary's
    figures did not line up in the window)."""
    from html import escape

    from counter_app.documents.slip import RULE, TEXT

    rows = []
    for line in slip.lines:
        if line.kind == RULE:
            rows.append("<tr><td colspan='2'><hr/></td></tr>")
        elif line.kind != TEXT:
            continue
        elif line.right:
            rows.append(f"<tr><td>{escape(line.left)}</td>"
                        f"<td align='right'>{escape(line.right)}</td></tr>")
        else:
            align = " align='center'" if line.center else ""
            rows.append(f"<tr><td colspan='2'{align}>{escape(line.left)}</td></tr>")
    return "<table width='100%' cellspacing='0' cellpadding='2'>" + "".join(rows) + "</table>"
