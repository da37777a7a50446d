"""Audit log: who did what, when, on which counter. Append-only (triggers)."""

from __future__ import annotations

import json

from sqlalchemy import insert
from sqlalchemy.orm import Session

from counter_app import clock
from counter_app.db.models import AuditEntry
from counter_app.ids import uuid7


def record(session: Session, actor, action: str, *, at=None, **detail) -> None:
    """Write one audit entry in the caller's transaction. ``actor`` may be None (system);
    ``at`` (naive UTC) lets a checkout stamp its audit row with its own time."""
    # The ORM entity, not its table: an ORM statement autoflushes, so what the caller changed
    # on ORM objects before this is written first (callers rely on it, e.g. expire_all after).
    session.execute(
        insert(AuditEntry).values(
            id=uuid7(),
            at=at or clock.now_utc(),
            counter_id=getattr(actor, "counter_id", None),
            operator_id=getattr(actor, "operator_id", None),
            action=action,
            detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
        )
    )
