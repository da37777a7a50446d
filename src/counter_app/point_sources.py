"""What a points entry's reference means to a person: an award's ``PI8`` (or, since
migration 0009, ``PI8@<award uid>``) is the point item "志愿服务 · 微心愿" (earning.review
writes it); receipt numbers stay as they are."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.db.models import PointCategory, PointItem

PREFIX = "PI"


AWARD_MARK = "@"  # PI8@<award uid>: an approval entry names its award (district check)


def award_ref(item_id: int, award_uid: str) -> str:
    return f"{PREFIX}{item_id}{AWARD_MARK}{award_uid}"


def _item_id(ref: str | None) -> int | None:
    digits = (ref or "").partition(AWARD_MARK)[0][len(PREFIX):]
    if ref and ref.startswith(PREFIX) and digits.isdigit():
        return int(digits)
    return None


def source_names(session: Session, refs: Iterable[str | None]) -> dict[str, str]:
    """``{"PI8": "志愿服务 · 微心愿", …}`` for the point-item refs among ``refs`` (one query)."""
    by_ref = {r: i for r in refs if (i := _item_id(r)) is not None}
    if not by_ref:
        return {}
    rows = session.execute(select(PointItem.id, PointCategory.name, PointItem.name)
                           .join(PointCategory, PointCategory.id == PointItem.category_id)
                           .where(PointItem.id.in_(set(by_ref.values()))))
    names = {i: f"{category} · {name}" for i, category, name in rows}
    return {r: names[i] for r, i in by_ref.items() if i in names}
