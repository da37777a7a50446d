"""The mechanics shared by the points and stock journals.

Each counter keeps its own chain per journal: a gap-free sequence and a SHA-256
hash chain where each entry's hash covers the previous hash and its own content.
Appends happen inside the caller's BEGIN IMMEDIATE transaction, so reading the
head and writing the next entry cannot interleave with another writer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from counter_app.db.models import JournalHead
from counter_app.ids import uuid7

GENESIS = "0" * 64
POINTS = "points"
STOCK = "stock"

# The content a hash covers, in order. "subject" is member_id (points) or item_id (stock).
HASHED_FIELDS = (
    "id", "counter_id", "seq", "subject", "delta", "kind",
    "reverses_id", "ref", "operator_id", "created_at", "note",
)


def utcnow() -> datetime:
    """Naive UTC, the only kind of timestamp stored."""
    return datetime.now(UTC).replace(tzinfo=None)


def entry_hash(prev_hash: str, fields: dict) -> str:
    values = []
    for name in HASHED_FIELDS:
        value = fields[name]
        if isinstance(value, datetime):
            value = value.isoformat(timespec="microseconds")
        values.append(value)
    payload = json.dumps([prev_hash, *values], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class Head:
    seq: int
    hash: str


def read_head(session: Session, counter_id: str, journal: str) -> Head:
    row = session.execute(
        select(JournalHead.last_seq, JournalHead.last_hash).where(
            JournalHead.counter_id == counter_id, JournalHead.journal == journal
        )
    ).first()
    if row is None:
        session.execute(
            insert(JournalHead).values(
                counter_id=counter_id, journal=journal, last_seq=0, last_hash=GENESIS
            )
        )
        return Head(0, GENESIS)
    return Head(row.last_seq, row.last_hash)


def chain_entry(head: Head, *, counter_id: str, subject: int, delta: int, kind: str,
                reverses_id: str | None, ref: str | None, operator_id: int | None,
                created_at: datetime, note: str | None, entry_id: str | None = None) -> dict:
    """Build the next entry after ``head`` (and advance ``head``). Pure: no I/O."""
    fields = {
        "id": entry_id or uuid7(), "counter_id": counter_id, "seq": head.seq + 1,
        "subject": subject, "delta": delta, "kind": kind, "reverses_id": reverses_id,
        "ref": ref, "operator_id": operator_id, "created_at": created_at, "note": note,
    }
    fields["prev_hash"] = head.hash
    fields["hash"] = entry_hash(head.hash, fields)
    head.seq, head.hash = fields["seq"], fields["hash"]
    return fields


def save_head(session: Session, counter_id: str, journal: str, head: Head) -> None:
    session.execute(
        update(JournalHead)
        .where(JournalHead.counter_id == counter_id, JournalHead.journal == journal)
        .values(last_seq=head.seq, last_hash=head.hash)
    )
