"""Audit log: who did what, when, on which counter. Append-only (triggers)."""

from __future__ import annotations

import json

from sqlalchemy import insert
from sqlalchemy.orm import Session

from counter_app.db.models import AuditEntry
from counter_app.ids import uuid7
from counter_app.journal import utcnow


def record(session: Session, actor, action: str, **detail) -> None:
    """Write one audit entry in the caller's transaction. ``actor`` may be None (system)."""
    session.execute(
        insert(AuditEntry).values(
            id=uuid7(),
            at=utcnow(),
            counter_id=getattr(actor, "counter_id", None),
            operator_id=getattr(actor, "operator_id", None),
            action=action,
            detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
        )
    )
