"""Earning points (issue 10): the point-item catalogue, awards, the weekly review,
micro-wishes and the expiry policy. Qt-free; the staff pages are in ui/earning/.

An award is recorded pending (``awards.record`` / an activity's scanned participants) and
reaches the ledger only when a reviewer approves it (``review.approve``), exactly once.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.db.models import PointCategory, PointItem


def point_items(session: Session, scheme: str | None = None) -> list[tuple[str, PointItem]]:
    q = (select(PointCategory.name, PointItem)
         .join(PointItem, PointItem.category_id == PointCategory.id)
         .order_by(PointCategory.id, PointItem.id))
    if scheme:
        q = q.where(PointCategory.scheme == scheme)
    return [(c, i) for c, i in session.execute(q)]
