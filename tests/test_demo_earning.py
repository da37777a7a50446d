"""A fresh demo shows the earning pages something (issue 10): activities with their
participants, a review queue of recent awards (activities and single ones), wishes on the
wall in every state with a completed wish's award waiting; and it still checks."""

from __future__ import annotations

from collections import Counter
from datetime import date

from counter_app import check
from counter_app.db import open_database
from counter_app.demo import build_demo
from counter_app.earning import awards, review, wishes


def test_a_fresh_demo_has_activities_a_review_queue_and_wishes(tmp_path):
    summary = build_demo(tmp_path / "d.db", members=300, seed=7, as_of=date(2026, 11, 20))
    db = open_database(summary.path)
    try:
        with db.read() as s:
            acts = awards.recent_activities(s)
            assert len(acts) >= 6 and all(a.title and a.place and a.team for a in acts)
            assert all(len(awards.participants(s, a.id)) >= 5 for a in acts)
            groups = review.queue(s)
            assert any(g.activity is not None for g in groups), "no activity awaits review"
            assert any(g.activity is None for g in groups), "no single award awaits review"
            wall = wishes.wishes(s)
            states = Counter(w.status for w in wall)
            assert {"posted", "claimed", "completed"} <= set(states), states
            done = [w for w in wall if w.status == "completed"]
            pending_wish_awards = [a for g in groups for a in g.awards if a.wish_id]
            assert {a.wish_id for a in pending_wish_awards} == {w.id for w in done}
        report = check.verify(db)
        assert report.ok, [str(f) for f in report.faults]
    finally:
        db.dispose()
