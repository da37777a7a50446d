"""Ranks as a notice board shows them: equal points, equal rank, the next rank skips
(1, 2, 2, 4 — "standard competition ranking"). Within equal points rows are listed by
name, then by member number, so a paper printed twice is the same paper."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def ranked(rows: Iterable[T], points: Callable[[T], int],
           tiebreak: Callable[[T], tuple]) -> list[tuple[int, T]]:
    ordered = sorted(rows, key=lambda r: (-points(r), *tiebreak(r)))
    out, rank, last = [], 0, None
    for i, row in enumerate(ordered, start=1):
        if points(row) != last:
            rank, last = i, points(row)
        out.append((rank, row))
    return out


def top_with_ties(ranked_rows: list[tuple[int, T]], n: int) -> list[tuple[int, T]]:
    """The first ``n`` ranks, with everyone tied at the cut-off (rank <= n)."""
    return [(rank, row) for rank, row in ranked_rows if rank <= n]
