"""What a points entry's reference means to a person: an award's ``PI8`` is the point
item "志愿服务 · 微心愿" (earning.award writes ``PI<id>``); receipt numbers stay as they are."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.db.models import PointCategory, PointItem

PREFIX = "PI"


def _item_id(ref: str | None) -> int | None:
    if ref and ref.startswith(PREFIX) and ref[len(PREFIX):].isdigit():
        return int(ref[len(PREFIX):])
    return None


def source_names(session: Session, refs: Iterable[str | None]) -> dict[str, str]:
    """``{"PI8": "志愿服务 · 微心愿", …}`` for the point-item refs among ``refs`` (one query)."""
    ids = {i for i in map(_item_id, refs) if i is not None}
    if not ids:
        return {}
    rows = session.execute(select(PointItem.id, PointCategory.name, PointItem.name)
                           .join(PointCategory, PointCategory.id == PointItem.category_id)
                           .where(PointItem.id.in_(ids)))
    return {f"{PREFIX}{i}": f"{category} · {name}" for i, category, name in rows}
