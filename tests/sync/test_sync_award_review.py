"""One award, one approval, across offline counters (issue 10; docs/sync.md "Where an
award is reviewed"): an award names at birth the counter that reviews it, or is left to any
counter and claimed at the district first. Two real counters and the real PostgreSQL.
Objections to the notice are a register: the office's counter sees them and their outcome."""

from __future__ import annotations

import threading

import psycopg
import pytest

from counter_app import ledger
from counter_app.db.models import Role
from counter_app.district.check import district_check
from counter_app.earning import awards, claims, review
from counter_app.earning.errors import ClaimNeeded, ClaimRefused, ReviewElsewhere
from counter_app.operators import Actor
from counter_app.point_sources import award_ref
from counter_app.reports import objections
from counter_app.sync.connection import open_client
from sync_helpers import (actors, assert_invariants, configure, district_balance,
                          isolate_secrets, joined, rowid_of, synced, uid_of)


@pytest.fixture(autouse=True)
def _secrets(monkeypatch, tmp_path):
    isolate_secrets(monkeypatch, tmp_path)


def _two(counter, world, tmp_path, *, anywhere: bool, points: int = 10):
    """XF01 records an award for a new member, both counters synced; -> (award id at XF01,
    its id at XF02, XF02's db, the member's uid)."""
    mid = counter.member("王五")
    configure(counter.db, world, "XF01")
    recorder = Actor(None, "网格员", Role.GRID_WORKER, "XF01")
    award = awards.record(counter.db, recorder, mid, counter.point_item, review_anywhere=anywhere)
    synced(counter.db, world)
    xf02 = joined(world, "XF02", tmp_path / "xf02.db")
    theirs = rowid_of(xf02, "awards", uid_of(counter.db, "awards", award.id))
    assert theirs is not None
    return award.id, theirs, xf02, uid_of(counter.db, "members", mid)


def test_an_award_reviewed_here_is_approved_offline_here_and_refused_at_the_other(
        counter, world, tmp_path):
    mine, theirs, xf02, member_uid = _two(counter, world, tmp_path, anywhere=False)
    with pytest.raises(ReviewElsewhere, match="由柜台 XF01 审核，本柜台（XF02）不能审核"):
        review.approve(xf02, actors(xf02, "XF02")[Role.REVIEWER], [theirs])
    with pytest.raises(ReviewElsewhere):
        review.reject(xf02, actors(xf02, "XF02")[Role.REVIEWER], [theirs], "不对")

    def no_network(_uids):
        raise AssertionError("an award reviewed here needs no claim")
    review.approve(counter.db, counter.reviewer, [mine], claim=no_network)
    synced(counter.db, world)
    synced(xf02, world)
    assert district_balance(world, member_uid) == 10
    assert_invariants(world, counter.db, xf02)


def test_an_award_left_to_any_counter_is_approved_by_the_first_claim_only(
        counter, world, tmp_path):
    mine, theirs, xf02, member_uid = _two(counter, world, tmp_path, anywhere=True)
    # offline (no district configured at XF02's claim): refused, nothing written
    with pytest.raises(ClaimNeeded, match="须先联网到街道服务器认领"):
        review.approve(xf02, actors(xf02, "XF02")[Role.REVIEWER], [theirs],
                       claim=lambda uids: (_ for _ in ()).throw(ClaimNeeded.__base__("断网")))
    with xf02.read() as s:
        assert awards.get_award(s, theirs).status == "pending"
    review.approve(xf02, actors(xf02, "XF02")[Role.REVIEWER], [theirs])  # claims at the district
    # XF01 has not pulled the approval: its copy is still pending, and its claim is refused
    with counter.db.read() as s:
        assert awards.get_award(s, mine).status == "pending"
    with pytest.raises(ClaimRefused, match="王五的积分记录已由柜台 XF02 认领审核"):
        review.approve(counter.db, counter.reviewer, [mine])
    synced(xf02, world)
    synced(counter.db, world)
    assert district_balance(world, member_uid) == 10
    with counter.db.read() as s:
        assert awards.get_award(s, mine).status == "approved"
    assert_invariants(world, counter.db, xf02)


def test_two_counters_claiming_one_award_at_once_one_wins(counter, world, tmp_path):
    mine, theirs, xf02, _member = _two(counter, world, tmp_path, anywhere=True)
    uid = uid_of(counter.db, "awards", mine)
    replies, barrier = {}, threading.Barrier(2)

    def claim(db, counter_id):
        with open_client(db, counter_id) as client:
            barrier.wait()
            replies[counter_id] = client.claim_award_reviews([uid])
    threads = [threading.Thread(target=claim, args=a) for a in ((counter.db, "XF01"),
                                                                (xf02, "XF02"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(r["ok"] for r in replies.values()) == [False, True], replies
    winner = next(c for c, r in replies.items() if r["ok"])
    loser = next(r for r in replies.values() if not r["ok"])
    assert loser["refused"] == [{"id": uid, "reason": "claimed", "counter": winner}]
    with open_client(xf02 if winner == "XF02" else counter.db, winner) as client:
        assert client.claim_award_reviews([uid])["ok"]  # repeating one's own claim is fine


def test_district_check_flags_two_approval_entries_for_one_award(counter, world, tmp_path):
    """A counter that broke the rule (simulated: an approval entry written by hand at XF02
    for XF01's award) is found by district check."""
    mine, theirs, xf02, _member = _two(counter, world, tmp_path, anywhere=False)
    review.approve(counter.db, counter.reviewer, [mine])
    award_uid = uid_of(counter.db, "awards", mine)
    reviewer = actors(xf02, "XF02")[Role.REVIEWER]
    with xf02.write() as s:
        row = awards.get_award(s, theirs)
        ledger.credit_many(s, reviewer, [(row.member_id, row.points,
                                          award_ref(row.item_id, award_uid), row.item)],
                           created_at=row.recorded_at)
    synced(counter.db, world)
    synced(xf02, world)
    names = {f.name: f.message for f in district_check(world.url)}
    assert "double_award_approval" in names, names
    assert award_uid in names["double_award_approval"] and "2 次" in names["double_award_approval"]


def test_objections_reach_the_office_and_are_decided_where_the_entry_is(counter, world, tmp_path):
    mine, theirs, xf02, member_uid = _two(counter, world, tmp_path, anywhere=False)
    review.approve(counter.db, counter.reviewer, [mine])
    oid = objections.raise_objection(counter.db, counter.volunteer, mine, "居民甲", "那天不在")
    synced(counter.db, world)
    synced(xf02, world)
    with xf02.read() as s:
        (seen,) = objections.objections(s)
    assert (seen.id, seen.award_id, seen.raised_by, seen.reason, seen.counter_id,
            seen.outcome) == (oid, theirs, "居民甲", "那天不在", "XF01", None)
    office = actors(xf02, "XF02")[Role.ADMIN]
    with pytest.raises(objections.DecideElsewhere, match="须在柜台 XF01 处理"):
        objections.decide(xf02, office, oid, True, "属实")
    decided = objections.decide(counter.db, counter.admin, oid, True, "经核实属实")
    assert (decided.outcome, decided.decided_counter) == ("upheld", "XF01")
    with pytest.raises(objections.ObjectionDecided):
        objections.decide(counter.db, counter.admin, oid, False, "再看看")
    synced(counter.db, world)
    synced(xf02, world)
    with xf02.read() as s:
        (seen,) = objections.objections(s)
        assert awards.get_award(s, theirs).status == "revoked"
    assert (seen.outcome, seen.note, seen.decided_counter) == ("upheld", "经核实属实", "XF01")
    assert district_balance(world, member_uid) == 0
    with psycopg.connect(world.url) as conn:
        assert conn.execute("SELECT outcome, counter_id FROM objections WHERE id = %s",
                            (oid,)).fetchone() == ("upheld", "XF01")
    assert_invariants(world, counter.db, xf02)
