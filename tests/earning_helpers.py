"""Points for a test's member, the way a counter earns them: an award recorded (by a grid
worker without a login of its own) and approved by ``reviewer`` (earning.review), so the
balance moves only through the review. Returns the approval's ledger entry (as
ledger.append returns it), for tests that reverse it."""

from __future__ import annotations

from sqlalchemy import select

from counter_app.db.models import PointsEntry, Role
from counter_app.earning import awards, review
from counter_app.operators import Actor


def credit(db, reviewer: Actor, member_id: int, item_id: int, day=None, **kw) -> dict:
    recorder = Actor(None, "网格员（测试）", Role.GRID_WORKER, reviewer.counter_id)
    award = awards.record(db, recorder, member_id, item_id, day, **kw)
    decision = review.approve(db, reviewer, [award.id])
    with db.read() as s:
        entry = s.scalar(select(PointsEntry).where(PointsEntry.id == decision.ledger_entry_ids[0]))
        return {"id": entry.id, "seq": entry.seq, "member_id": entry.member_id, "delta": entry.delta,
                "kind": entry.kind, "ref": entry.ref}
