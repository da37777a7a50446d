"""Earning (issue 10): awards are pending until reviewed; approval reaches the ledger once;
dated values apply by activity date; bad input is refused with nothing half-written."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest
from sqlalchemy import select

from counter_app import check, clock, ledger, members
from counter_app.db.earning_models import Award
from counter_app.db.models import MemberCategory, Role
from counter_app.earning import awards, catalogue, review
from counter_app.earning.errors import (
    AlreadyReviewed, BadActivityDate, BlockedEarner, CannotEarn, DuplicateParticipant,
    NotEditable, PointsOutOfRange, SelfApproval,
)
from counter_app.errors import InvalidInput, PermissionDenied
from counter_app.operators import Actor

NOON = datetime(2026, 3, 20, 4)  # 12:00 in Shanghai; the counter's zone follows TZ


def balance(counter, mid) -> int:
    with counter.db.read() as s:
        return ledger.balance_of(s, mid)


def rows(counter, sql: str):
    con = sqlite3.connect(counter.db.path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def grid(counter):
    """A grid worker (网格员) without a PIN of its own: records, never reviews."""
    return Actor(None, "网格员", Role.GRID_WORKER, counter.info.id)


def test_pending_awards_do_not_change_balances_approval_does_once(counter, grid):
    mid = counter.member("张三")
    award = awards.record(counter.db, grid, mid, counter.point_item)
    assert award.status == "pending" and award.points == 10
    assert balance(counter, mid) == 0
    assert rows(counter, "SELECT count(*) FROM points_journal") == [(0,)]
    decision = review.approve(counter.db, counter.reviewer, [award.id])
    assert balance(counter, mid) == 10 and len(decision.ledger_entry_ids) == 1
    with pytest.raises(AlreadyReviewed, match="张三的积分记录.*已经通过，不能再审核"):
        review.approve(counter.db, counter.reviewer, [award.id])
    with pytest.raises(AlreadyReviewed):
        review.reject(counter.db, counter.reviewer, [award.id], "重复")
    assert balance(counter, mid) == 10
    assert rows(counter, "SELECT count(*) FROM points_journal WHERE kind = 'award'") == [(1,)]
    assert check.verify(counter.db.path).ok


def test_a_batch_is_all_or_nothing(counter, grid):
    a, b = counter.member("甲"), counter.member("乙")
    first = awards.record(counter.db, grid, a, counter.point_item)
    second = awards.record(counter.db, grid, b, counter.big_point_item)
    review.approve(counter.db, counter.reviewer, [second.id])
    with pytest.raises(AlreadyReviewed, match="乙"):
        review.approve(counter.db, counter.reviewer, [first.id, second.id])
    assert balance(counter, a) == 0  # the first was not approved either
    with counter.db.read() as s:
        assert awards.get_award(s, first.id).status == "pending"


def test_a_reviewer_cannot_approve_their_own_award(counter):
    mid = counter.member()
    own = awards.record(counter.db, counter.reviewer, mid, counter.point_item)
    with pytest.raises(SelfApproval, match="您本人录入的"):
        review.approve(counter.db, counter.reviewer, [own.id])
    assert balance(counter, mid) == 0
    review.approve(counter.db, counter.admin, [own.id])  # another reviewer may
    assert balance(counter, mid) == 10


def test_grid_workers_record_but_do_not_review(counter, grid):
    mid = counter.member()
    award = awards.record(counter.db, grid, mid, counter.point_item)
    with pytest.raises(PermissionDenied, match="网格员不能审核积分"):
        review.approve(counter.db, grid, [award.id])
    with pytest.raises(PermissionDenied, match="志愿者不能记录积分"):
        awards.record(counter.db, counter.volunteer, mid, counter.point_item)


def test_rejected_award_is_corrected_resubmitted_and_audited(counter, grid):
    mid = counter.member("李四")
    award = awards.record(counter.db, grid, mid, counter.point_item)
    review.reject(counter.db, counter.reviewer, [award.id], "项目记错了")
    with counter.db.read() as s:
        assert awards.get_award(s, award.id).reason == "项目记错了"
    fixed = awards.correct(counter.db, counter.admin, award.id, item_id=counter.big_point_item)
    assert (fixed.status, fixed.points, fixed.reason) == ("pending", 15, None)
    review.approve(counter.db, counter.reviewer, [award.id])
    assert balance(counter, mid) == 15
    with pytest.raises(NotEditable, match="已通过，不能修改"):
        awards.correct(counter.db, counter.admin, award.id, points=15)
    with counter.db.read() as s:
        steps = [(t.action, t.operator) for t in review.trail(s, award.id)]
    assert steps == [("award.record", None), ("award.reject", "陈书记"),
                     ("award.resubmit", "管理员"), ("award.approve", "陈书记")]


def test_value_change_mid_month_applies_by_activity_date(counter, grid):
    with clock.frozen(NOON):
        cat = catalogue.add_category(counter.db, counter.admin, "平安创建")
        item = catalogue.add_item(counter.db, counter.admin, cat, "治安巡逻", 10,
                                  effective_from=date(2026, 3, 1))
        catalogue.set_value(counter.db, counter.admin, item, 20, date(2026, 3, 15), "加大巡逻")
        mid = counter.member()
        before = awards.record(counter.db, grid, mid, item, date(2026, 3, 14))
        after = awards.record(counter.db, grid, mid, item, date(2026, 3, 15))
        assert (before.points, after.points) == (10, 20)
        with pytest.raises(BadActivityDate, match="从 2026-03-01 起才有"):
            awards.record(counter.db, grid, mid, item, date(2026, 2, 28))
        with pytest.raises(BadActivityDate, match="活动还没有发生"):
            awards.record(counter.db, grid, mid, item, date(2026, 3, 21))
        with counter.db.read() as s:
            hist = catalogue.history(s, item)
            assert [(h.points, h.effective_from, h.set_by) for h in hist] == [
                (20, date(2026, 3, 15), "管理员"), (10, date(2026, 3, 1), "管理员")]
            assert catalogue.item_row(s, item).points == 20
            assert catalogue.item_row(s, item, date(2026, 3, 2)).points == 10
        review.approve(counter.db, counter.reviewer, [before.id, after.id])
        assert balance(counter, mid) == 30


def test_bad_input_is_refused_and_nothing_is_written(counter, grid):
    mid = counter.member("王五")
    party = counter.member("赵党员", category=MemberCategory.PARTY_IN_SERVICE,
                           work_unit="区教育局")
    with clock.frozen(NOON):
        cat = catalogue.add_category(counter.db, counter.admin, "组织生活")
        lesson = catalogue.add_item(counter.db, counter.admin, cat, "讲党课", 20,
                                    effective_from=date(2026, 1, 1),
                                    eligible=["在职党员", "无职党员"])
        gift = catalogue.add_item(counter.db, counter.admin, cat, "爱心捐赠", 10,
                                  effective_from=date(2026, 1, 1), min_points=5, max_points=30)
        blocked = counter.member("孙九")
        members.set_blocked(counter.db, counter.admin, blocked, True, "搬走了")
        before = rows(counter, "SELECT count(*) FROM awards")
        outbox = rows(counter, "SELECT count(*) FROM outbox")
        with pytest.raises(CannotEarn, match="王五是“居民”，不能获得积分项目“讲党课”"):
            awards.record(counter.db, grid, mid, lesson)
        with pytest.raises(PointsOutOfRange, match="不能多于 30 分"):
            awards.record(counter.db, grid, mid, gift, points=31)
        with pytest.raises(PointsOutOfRange, match="分值是 20 分，不能改"):
            awards.record(counter.db, grid, party, lesson, points=25)
        with pytest.raises(BlockedEarner, match="会员 孙九 已停用"):
            awards.record(counter.db, grid, blocked, gift)
        assert rows(counter, "SELECT count(*) FROM awards") == before
        assert rows(counter, "SELECT count(*) FROM outbox") == outbox
        ok = awards.record(counter.db, grid, party, lesson)
        chosen = awards.record(counter.db, grid, party, gift, points=25)
    assert ok.work_unit == "区教育局" and chosen.points == 25


def test_blocked_since_recording_is_refused_at_approval(counter, grid):
    mid = counter.member("钱六")
    award = awards.record(counter.db, grid, mid, counter.point_item)
    members.set_blocked(counter.db, counter.admin, mid, True, "卡丢了")
    with pytest.raises(BlockedEarner, match="请驳回"):
        review.approve(counter.db, counter.reviewer, [award.id])
    review.reject(counter.db, counter.reviewer, [award.id], "会员已停用")
    assert balance(counter, mid) == 0


def test_activity_participants_scanned_duplicates_refused_removal_with_reason(counter, grid):
    a, b = counter.member("孙七"), counter.member("周八")
    with counter.db.read() as s:
        card_a = members.get_member(s, a).card_code
    act = awards.open_activity(counter.db, grid, counter.point_item, catalogue.today(),
                               title="周末巡逻", place="幸福路", organiser="社区", team="红袖标")
    awards.add_participant(counter.db, grid, act.id, card_a)
    awards.add_participant(counter.db, grid, act.id, b)
    with pytest.raises(DuplicateParticipant, match="孙七 已在本次活动名单上（第 1 位）"):
        awards.add_participant(counter.db, grid, act.id, card_a.lower())
    with counter.db.read() as s:
        listed = awards.participants(s, act.id)
    with pytest.raises(InvalidInput, match="请填写移除原因"):
        awards.remove_participant(counter.db, grid, listed[1].id, " ")
    awards.remove_participant(counter.db, grid, listed[1].id, "没来")
    with counter.db.read() as s:
        assert [p.member_name for p in awards.participants(s, act.id)] == ["孙七"]
        groups = review.queue(s)
    assert [(g.title, [x.member_name for x in g.awards]) for g in groups] == [
        (f"周末巡逻，{catalogue.today()}，幸福路，红袖标", ["孙七"])]
    review.approve(counter.db, counter.reviewer, [x.id for x in groups[0].awards])
    assert (balance(counter, a), balance(counter, b)) == (10, 0)


def test_an_approved_award_is_final_in_the_schema(counter, grid):
    """Break-the-code check: even raw SQL cannot un-approve or re-point an approved award."""
    mid = counter.member()
    award = awards.record(counter.db, grid, mid, counter.point_item)
    review.approve(counter.db, counter.reviewer, [award.id])
    con = sqlite3.connect(counter.db.path)
    for sql in ("UPDATE awards SET status = 'pending', ledger_entry_id = NULL",
                "UPDATE awards SET points = 99", "DELETE FROM awards"):
        with pytest.raises(sqlite3.IntegrityError, match="final|cannot be deleted"):
            con.execute(sql)
    con.close()


def test_presets_have_the_documents_shape(tmp_path):
    from counter_app.db import open_database
    from counter_app.earning.presets import POINT_SCHEMES

    for scheme, cats, n, values in (("A", 8, 21, {5, 10, 15}), ("B", 7, 35, {5, 10, 20})):
        assert len(POINT_SCHEMES[scheme]) == cats
        db = open_database(tmp_path / f"{scheme}.db")
        assert catalogue.install_preset(db, None, scheme) == n
        with db.read() as s:
            got = catalogue.items(s)
            assert {r.points for r in got} == values and len(got) == n
            assert all(r.since == date(2000, 1, 1) for r in got)
        with pytest.raises(InvalidInput, match="不能再装入预设方案"):
            catalogue.install_preset(db, None, "B")
        db.dispose()


def test_awards_are_registers_with_uids_and_outbox_rows(counter, grid):
    mid = counter.member()
    award = awards.record(counter.db, grid, mid, counter.point_item)
    review.approve(counter.db, counter.reviewer, [award.id])
    got = rows(counter, "SELECT version, json_extract(payload, '$.status'), "
                        "json_extract(payload, '$.member_id') FROM outbox "
                        f"WHERE table_name = 'awards' AND row_uid = '{award.uid}' ORDER BY seq")
    member_uid = rows(counter, f"SELECT uid FROM members WHERE id = {mid}")[0][0]
    assert [(v, st) for v, st, _ in got] == [(1, "pending"), (2, "approved")]
    assert got[0][2] == member_uid  # a uid, never the local rowid
    with counter.db.read() as s:
        assert s.scalar(select(Award.ledger_entry_id).where(Award.id == award.id))


def test_check_finds_an_approved_award_without_its_ledger_entry(counter, grid):
    """Break-the-code check of the check: an approved award re-pointed (triggers dropped,
    as a tampered file would be) at another member's entry is reported by counter-app check."""
    a, b = counter.member("甲"), counter.member("乙")
    first = awards.record(counter.db, grid, a, counter.point_item)
    second = awards.record(counter.db, grid, b, counter.big_point_item)
    review.approve(counter.db, counter.reviewer, [first.id, second.id])
    assert check.verify(counter.db.path).ok
    con = sqlite3.connect(counter.db.path)
    con.execute("DROP TRIGGER awards_decided_final")
    con.execute("UPDATE awards SET ledger_entry_id = NULL, status = 'rejected' WHERE id = ?",
                (second.id,))
    con.execute("UPDATE awards SET ledger_entry_id = (SELECT id FROM points_journal "
                "WHERE member_id = ?) WHERE id = ?", (b, first.id))
    con.commit()
    con.close()
    report = check.verify(counter.db.path)
    assert [str(f) for f in report.faults] == [
        f"积分审核：积分审核记录 {first.id}：已通过 10 分（会员 {a}），账本条目却是 award 15 分（会员 {b}）"]
