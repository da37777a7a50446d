"""Migration 0009: objections kept in the audit log before it (the earlier storage) become
rows of the objections register, with their outcome; a file downgraded and upgraded again
keeps its awards' review counter."""

from __future__ import annotations

from sqlalchemy import text

from counter_app import audit
from counter_app.db import migrate
from counter_app.ids import uuid7
from earning_helpers import credit


def _downgrade(db, revision: str) -> None:
    from alembic import command

    cfg = migrate.alembic_config()
    with db.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
        conn.commit()


def test_audit_log_objections_become_rows_with_their_outcome(counter):
    mid = counter.member("张三")
    credit(counter.db, counter.reviewer, mid, counter.point_item)
    credit(counter.db, counter.reviewer, mid, counter.point_item)
    _downgrade(counter.db, "0008")
    with counter.db.write() as s:
        uids = s.execute(text("SELECT uid FROM awards ORDER BY id")).scalars().all()
        open_id, done_id = uuid7(), uuid7()
        for oid, uid in ((open_id, uids[0]), (done_id, uids[1])):
            audit.record(s, counter.volunteer, "award.objection", objection=oid, award=uid,
                         member_id=mid, raised_by="居民甲", reason="不属实")
        audit.record(s, counter.reviewer, "award.objection_dismissed", objection=done_id,
                     award=uids[1], note="经核实无误")
    migrate.upgrade(counter.db)
    with counter.db.read() as s:
        rows = s.execute(text(
            "SELECT o.uid, a.uid, o.raised_by, o.reason, o.counter_id, o.outcome, o.note, "
            "o.decided_counter, o.decided_at IS NOT NULL, o.version FROM objections o "
            "JOIN awards a ON a.id = o.award_id ORDER BY o.raised_at, o.id")).all()
        reviewers = s.execute(text("SELECT DISTINCT review_counter FROM awards")).scalars().all()
    assert [tuple(r) for r in rows] == [
        (open_id, uids[0], "居民甲", "不属实", "XF01", None, None, None, False, 1),
        (done_id, uids[1], "居民甲", "不属实", "XF01", "dismissed", "经核实无误", "XF01", True, 1)]
    assert reviewers == ["XF01"]  # existing awards are reviewed where they were recorded
