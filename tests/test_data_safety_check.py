"""check names what differs (A9) and never crashes on what it reads (A5)."""

import sqlite3

from sqlalchemy import text

from counter_app import check, ledger


def _raw(counter, *sql):
    counter.db.dispose()
    con = sqlite3.connect(counter.db.path, isolation_level=None)
    for name, in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        con.execute(f"DROP TRIGGER {name}")
    for statement in sql:
        con.execute(statement)
    con.close()


def _last_points(counter):
    with counter.db.read() as s:
        return s.execute(text("SELECT seq, hash FROM points_journal ORDER BY seq DESC")).first()


def test_a_changed_head_hash_names_the_entry_and_both_hashes(counter):
    counter.member(points=30)
    seq, real = _last_points(counter)
    _raw(counter, f"UPDATE journal_heads SET last_hash = '{'f' * 64}' WHERE journal = 'points'")
    assert [str(f) for f in check.verify(counter.db).faults] == [
        f"积分账本 柜台 XF01：账本头记录的哈希与最后一条记录不一致（第 {seq} 条）："
        f"头={'f' * 64}，记录={real}"]


def test_a_truncated_tail_says_which_seq_the_head_expects(counter):
    counter.member(points=30)
    seq, _ = _last_points(counter)
    _raw(counter, f"DELETE FROM points_journal WHERE seq = {seq}")
    faults = [str(f) for f in check.verify(counter.db).faults]
    assert (f"积分账本 柜台 XF01：记录不完整：账本头说最后是第 {seq} 条，记录只到第 {seq - 1} 条，"
            f"第 {seq} 条缺失（尾部被截断？）") in faults


def test_a_head_behind_the_entries_is_named(counter):
    counter.member(points=30)
    seq, _ = _last_points(counter)
    _raw(counter, f"UPDATE journal_heads SET last_seq = {seq - 1} WHERE journal = 'points'")
    assert any(f"账本头落后：账本头说最后是第 {seq - 1} 条，记录已到第 {seq} 条" in str(f)
               for f in check.verify(counter.db).faults)


def test_out_of_range_and_mistyped_stored_values_are_faults_not_crashes(counter):
    mid = counter.member(points=30)
    other = counter.member("李四", points=10)
    _raw(counter,
         # what two adjust(2**62) would have left: an integer overflowing into REAL
         f"UPDATE points_accounts SET balance = 9223372036854775807 WHERE member_id = {mid}",
         f"UPDATE points_accounts SET balance = balance + 1 WHERE member_id = {mid}",
         f"UPDATE points_journal SET delta = {2**62} WHERE member_id = {mid}",
         f"UPDATE points_journal SET delta = 'viel', created_at = 'gestern' "
         f"WHERE member_id = {other}",
         "UPDATE stock_levels SET qty = 1.5")
    report = check.verify(counter.db)
    problems = [f.problem for f in report.faults]
    assert not report.ok
    assert any(f"变动值 {2**62} 不是 ±10,000,000 以内的非零整数" in p for p in problems)
    assert any("变动值 'viel'" in p for p in problems)
    assert any("时间无法读取：'gestern'" in p for p in problems)
    assert any(f"会员 {mid}：余额缓存 9.223372036854776e+18 不是整数" in p for p in problems)
    assert any("库存缓存 1.5 不是整数" in p for p in problems)


def test_check_runs_on_a_file_of_the_first_schema_without_the_new_columns(counter):
    mid = counter.member(points=10)
    ledger.adjust(counter.db, counter.admin, mid, 1, "x")
    _raw(counter, "UPDATE alembic_version SET version_num = '0001'",
         "ALTER TABLE points_journal DROP COLUMN detail_digest",
         "ALTER TABLE points_journal DROP COLUMN hash_format")
    # Entries were hashed in format 2; read as format 1 they no longer match — named, no crash.
    assert all("内容被改动" in f.problem for f in check.verify(counter.db).faults)


def test_check_file_refuses_a_missing_file_and_summarises_in_chinese(counter, tmp_path):
    import pytest

    from counter_app.errors import InvalidInput

    with pytest.raises(InvalidInput, match="不存在"):
        check.check_file(tmp_path / "nope.db")
    assert not (tmp_path / "nope.db").exists()
    counter.member(points=10)
    report = check.check_file(counter.db.path)
    assert report.verdict() == "正常：哈希链、序号、余额、库存和小票全部一致"
    assert report.summary().startswith("已检查：积分记录 ")
