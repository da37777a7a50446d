import sqlite3

import pytest

from earning_helpers import credit  # noqa: E402
from counter_app import check, ledger, redemption
from counter_app.db.models import EntryKind, PointsAccount
from counter_app.errors import (
    AlreadyReversed, InsufficientPoints, InvalidInput, NotReversible, PermissionDenied,
)


def balance(counter, mid):
    with counter.db.read() as s:
        return ledger.balance_of(s, mid)


def test_award_and_reverse_move_balance_and_chain(counter):
    mid = counter.member(points=30)
    assert balance(counter, mid) == 30
    with counter.db.read() as s:
        entries = ledger.history(s, mid)
    assert [e.kind for e in entries] == [EntryKind.AWARD] * 3
    row = ledger.reverse(counter.db, counter.admin, entries[0].id, "录入重复")
    assert row["delta"] == -10 and row["reverses_id"] == entries[0].id
    assert balance(counter, mid) == 20
    report = check.verify(counter.db)
    assert report.ok, report.faults
    assert report.points_entries == 4


def test_at_most_one_reversal_and_none_of_a_reversal(counter):
    mid = counter.member(points=20)
    with counter.db.read() as s:
        first = ledger.history(s, mid)[-1]
    reversal = ledger.reverse(counter.db, counter.admin, first.id, "错误")
    with pytest.raises(AlreadyReversed):
        ledger.reverse(counter.db, counter.admin, first.id, "再来一次")
    with pytest.raises(NotReversible):
        ledger.reverse(counter.db, counter.admin, reversal["id"], "冲正冲正")
    assert balance(counter, mid) == 10


def test_reversing_spent_award_is_refused_with_reason(counter):
    mid = counter.member(points=10)
    redemption.checkout(counter.db, counter.volunteer, mid,
                        [redemption.CartLine(counter.haircut, 1)])
    with counter.db.read() as s:
        award = [e for e in ledger.history(s, mid) if e.kind == EntryKind.AWARD][0]
    with pytest.raises(NotReversible, match="积分已被使用"):
        ledger.reverse(counter.db, counter.admin, award.id, "错误")
    assert balance(counter, mid) == 0
    assert check.verify(counter.db).ok


def test_adjustment_never_takes_balance_below_zero(counter):
    mid = counter.member(points=10)
    with pytest.raises(InsufficientPoints, match="当前余额 10 分"):
        ledger.adjust(counter.db, counter.admin, mid, -11, "盘点")
    ledger.adjust(counter.db, counter.admin, mid, -10, "盘点")
    assert balance(counter, mid) == 0
    with pytest.raises(InvalidInput):
        ledger.adjust(counter.db, counter.admin, mid, 5, "   ")


def test_roles_are_enforced(counter):
    mid = counter.member(points=10)
    with pytest.raises(PermissionDenied, match="志愿者不能冲正或调整"):
        ledger.adjust(counter.db, counter.volunteer, mid, 5, "想多给点")
    with pytest.raises(PermissionDenied):
        credit(counter.db, counter.volunteer, mid, counter.point_item)
    with pytest.raises(PermissionDenied):
        redemption.checkout(counter.db, counter.stock_staff, mid,
                            [redemption.CartLine(counter.haircut, 1)])
    assert balance(counter, mid) == 10


def test_sequence_is_gap_free_per_counter(counter):
    counter.member(points=50)
    con = sqlite3.connect(counter.db.path)
    seqs = [r[0] for r in con.execute("SELECT seq FROM points_journal ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) == 5
    hashes = con.execute("SELECT prev_hash, hash FROM points_journal ORDER BY seq").fetchall()
    for (_, prev), (prev_of_next, _) in zip(hashes, hashes[1:]):
        assert prev == prev_of_next


@pytest.mark.parametrize("table", ["points_journal", "stock_journal", "audit_log"])
def test_raw_update_and_delete_on_append_only_tables_fail(counter, table):
    counter.member(points=10)
    con = sqlite3.connect(counter.db.path, isolation_level=None)
    try:
        before = con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        assert before > 0
        col = "note" if table != "audit_log" else "action"
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute(f"UPDATE {table} SET {col} = 'x'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute(f"DELETE FROM {table}")
        assert con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == before
    finally:
        con.close()


def _tamper(path, sql, *params):
    """Bypass the guard the way an attacker with the file would: drop the trigger."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("DROP TRIGGER points_journal_no_update")
    con.execute(sql, params)
    con.close()


def test_tampered_entry_is_named_by_check(counter):
    mid = counter.member(points=30)
    with counter.db.read() as s:
        victim = ledger.history(s, mid)[1]
    _tamper(counter.db.path, "UPDATE points_journal SET delta = 100 WHERE id = ?", victim.id)
    report = check.verify(counter.db)
    assert not report.ok
    named = [f for f in report.faults if f.entry_id == victim.id]
    assert named and "内容被改动" in named[0].problem
    # the cached balance no longer equals the journal sum either
    assert any("余额缓存为 30，账本合计为 120" in f.problem for f in report.faults)


def test_check_reports_cached_balance_drift(counter):
    mid = counter.member(points=20)
    with counter.db.write() as s:
        s.get(PointsAccount, mid).balance = 25
    report = check.verify(counter.db)
    assert [f.problem for f in report.faults] == [
        f"会员 {mid}：余额缓存为 25，账本合计为 20"]


def test_check_names_a_journal_without_head(counter):
    counter.member(points=10)
    con = sqlite3.connect(counter.db.path, isolation_level=None)
    con.execute("DELETE FROM journal_heads WHERE journal = 'points'")
    con.close()
    report = check.verify(counter.db)
    assert [str(f) for f in report.faults] == [
        "积分账本 柜台 XF01：有记录但没有账本头：下一次记账会失败"]
