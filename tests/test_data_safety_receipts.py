"""Receipts are covered by the chain (A3) and append-only tables refuse INSERT OR REPLACE (A4).

Tampering goes the way an attacker with sqlite3 and the file would: drop the triggers, then
change the rows."""

import hashlib
import sqlite3
from datetime import datetime

import pytest
from sqlalchemy import text

from counter_app import check, clock, journal, ledger, redemption, stock
from counter_app.redemption import CartLine


def _sold(counter, void=False):
    mid = counter.member(points=100)
    r = redemption.checkout(counter.db, counter.volunteer, mid, [
        CartLine(counter.rice, 1), CartLine(counter.soap, 2), CartLine(counter.haircut, 1)])
    if void:
        redemption.void(counter.db, counter.admin, r.receipt_no, "拿错了")
    return mid, r.receipt_no


def _tamper(counter, *sql):
    counter.db.dispose()
    con = sqlite3.connect(counter.db.path, isolation_level=None)
    for name, in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        con.execute(f"DROP TRIGGER {name}")
    for statement in sql:
        con.execute(statement)
    con.close()


def _problems(counter) -> list[str]:
    return [str(f) for f in check.verify(counter.db).faults]


def test_checkout_and_void_are_covered_and_verify(counter):
    _sold(counter, void=True)
    _sold(counter)
    report = check.verify(counter.db)
    assert report.ok, report.faults
    assert report.receipts == 2
    with counter.db.read() as s:
        rows = s.execute(text("SELECT kind, hash_format, detail_digest FROM points_journal "
                              "WHERE kind IN ('redemption', 'reversal')")).all()
    assert len(rows) == 3 and all(fmt == journal.HASH_FORMAT and len(d) == 64 for _k, fmt, d in rows)


def test_format_2_payload_is_exactly_the_spec():
    fields = dict(id="0193-abc", counter_id="XF01", seq=7, subject=42, delta=-25,
                  kind="redemption", reverses_id=None, ref="XF01-000003", operator_id=2,
                  created_at=datetime(2026, 3, 4, 5, 6, 7), note="张三的备注",
                  detail_digest="d" * 64)
    payload = ("counter_app/2\n" + "64:" + "a" * 64 + "\n" + "8:0193-abc\n4:XF01\n1:7\n2:42\n"
               "3:-25\n10:redemption\n-\n11:XF01-000003\n1:2\n26:2026-03-04T05:06:07.000000\n"
               "15:张三的备注\n" + "64:" + "d" * 64 + "\n")
    assert journal.entry_hash_v2("a" * 64, fields) == hashlib.sha256(
        payload.encode()).hexdigest()
    assert journal.entry_hash("a" * 64, {**fields, "hash_format": 2}) == journal.entry_hash_v2(
        "a" * 64, fields)


def test_entries_of_format_1_still_verify_beside_the_newest_format(counter, monkeypatch):
    monkeypatch.setattr(journal, "HASH_FORMAT", 1)
    mid, _ = _sold(counter)  # awards and a redemption hashed the first release's way
    monkeypatch.undo()
    ledger.adjust(counter.db, counter.admin, mid, 5, "新格式")
    with counter.db.read() as s:
        formats = s.execute(text("SELECT hash_format FROM points_journal ORDER BY seq")).scalars()
        assert set(formats) == {1, journal.HASH_FORMAT}
    assert check.verify(counter.db).ok


def test_raised_receipt_total_is_named(counter):
    _, no = _sold(counter)
    _tamper(counter, f"UPDATE redemptions SET total_points = total_points + 10 "
                     f"WHERE receipt_no = '{no}'")
    problems = _problems(counter)
    assert f"兑换小票 {no}：小票合计 50 分，明细合计 40 分" in problems
    assert f"兑换小票 {no}：小票合计 50 分，积分记录扣了 40 分" in problems
    assert f"兑换小票 {no}：小票内容与积分记录不符：记账后合计、数量、物品名或明细被改动" in problems


def test_edited_line_quantity_is_named(counter):
    _, no = _sold(counter)
    _tamper(counter, "UPDATE redemption_lines SET qty = 1 WHERE line_no = 2")
    problems = _problems(counter)
    assert any("与积分记录不符" in p for p in problems)
    assert any("第 2 行“香皂”（物品" in p and "与出库记录" in p for p in problems)


def test_edited_item_name_is_named(counter):
    _, no = _sold(counter)
    _tamper(counter, "UPDATE redemption_lines SET item_name = '金条' WHERE line_no = 1")
    # Name alone: nothing else disagrees, only the chain's digest of the receipt.
    assert _problems(counter) == [
        f"兑换小票 {no}：小票内容与积分记录不符：记账后合计、数量、物品名或明细被改动"]


def test_deleted_receipt_with_its_lines_is_named(counter):
    _, first = _sold(counter)
    _, second = _sold(counter)
    _tamper(counter, f"DELETE FROM redemption_lines WHERE redemption_id = "
                     f"(SELECT id FROM redemptions WHERE receipt_no = '{first}')",
            f"DELETE FROM redemptions WHERE receipt_no = '{first}'")
    problems = _problems(counter)
    assert any(p.startswith("积分账本") and f"兑换积分记录没有对应的小票 {first}" in p
               for p in problems)
    assert sum(f"兑换出库记录没有对应的小票明细 {first}" in p for p in problems) == 2
    assert "兑换小票 柜台 XF01：小票号不连续：缺少 1（小票被删除？）" in problems


def test_deleted_last_receipt_leaves_a_gap_below_the_counter(counter):
    _sold(counter)
    _, last = _sold(counter)
    _tamper(counter, f"DELETE FROM redemption_lines WHERE redemption_id = "
                     f"(SELECT id FROM redemptions WHERE receipt_no = '{last}')",
            f"DELETE FROM redemptions WHERE receipt_no = '{last}'")
    assert "兑换小票 柜台 XF01：小票号不连续：缺少 2（小票被删除？）" in _problems(counter)


def test_void_returning_points_but_not_goods_is_named(counter):
    _, no = _sold(counter)
    with counter.db.write() as s:  # what a buggy or hostile caller could do in one transaction
        entry = s.scalar(text(f"SELECT points_entry_id FROM redemptions WHERE receipt_no='{no}'"))
        ledger.reverse_in(s, counter.admin, entry, "只退积分")
    assert f"兑换小票 {no}：作废不完整：积分已退回，但大米 5kg、香皂没有退回库存" in _problems(counter)


def test_void_returning_goods_but_not_points_is_named(counter):
    _, no = _sold(counter)
    with counter.db.write() as s:
        sid = s.scalar(text("SELECT stock_entry_id FROM redemption_lines WHERE line_no = 2"))
        stock.reverse_in(s, counter.admin, sid, "只退货")
    assert f"兑换小票 {no}：作废不完整：香皂已退回库存，但积分没有退回" in _problems(counter)


def test_a_void_whose_reversal_does_not_cover_the_goods_returned_is_named(counter):
    _, no = _sold(counter)
    with counter.db.write() as s:
        for sid in s.scalars(text("SELECT stock_entry_id FROM redemption_lines "
                                  "WHERE stock_entry_id IS NOT NULL")).all():
            stock.reverse_in(s, counter.admin, sid, "退货")
        entry = s.scalar(text(f"SELECT points_entry_id FROM redemptions WHERE receipt_no='{no}'"))
        ledger.reverse_in(s, counter.admin, entry, "退积分", detail_digest="0" * 64)
    assert f"兑换小票 {no}：作废内容与退回积分的记录不符：小票、作废原因、申请人或退回库存的记录被改动" \
        in _problems(counter)


def test_a_void_keeps_who_when_why_and_an_edited_reason_is_named(counter):
    _, no = _sold(counter)
    with clock.frozen(datetime(2026, 5, 6, 7, 8, 9)):
        voided = redemption.void(counter.db, counter.admin, no, "拿错了", requested_by="王阿姨")
    assert (voided.voided, voided.voided_at, voided.voided_by, voided.void_reason,
            voided.void_requested_by) == (True, datetime(2026, 5, 6, 7, 8, 9), "管理员", "拿错了",
                                          "王阿姨")
    assert check.verify(counter.db).ok
    _tamper(counter, "UPDATE redemption_voids SET reason = '会员要求'")
    assert _problems(counter) == [
        f"兑换小票 {no}：作废内容与退回积分的记录不符：小票、作废原因、申请人或退回库存的记录被改动"]


def test_a_deleted_void_record_is_named(counter):
    _, no = _sold(counter, void=True)
    _tamper(counter, "DELETE FROM redemption_voids")
    assert f"兑换小票 {no}：积分已按作废退回，但没有作废记录（作废记录被删除？）" in _problems(counter)


@pytest.mark.parametrize("table", ["redemptions", "redemption_lines", "redemption_voids"])
def test_receipts_are_append_only(counter, table):
    _sold(counter, void=True)
    con = sqlite3.connect(counter.db.path, isolation_level=None)
    try:
        col = {"redemptions": "total_points", "redemption_lines": "qty",
               "redemption_voids": "reason"}[table]
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute(f"UPDATE {table} SET {col} = 1")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute(f"DELETE FROM {table}")
    finally:
        con.close()
    assert check.verify(counter.db).ok


# INSERT OR REPLACE copies an existing row and changes one column; SQLite would delete the
# old row (no DELETE trigger fires) and insert the changed one.
REPLACES = {
    "points_journal: same id": ("points_journal", "id", "delta", "delta + 1000"),
    "points_journal: same counter and seq": ("points_journal", "counter_id, seq", "id",
                                              "id || 'x'"),
    "stock_journal: same id": ("stock_journal", "id", "delta", "delta + 1000"),
    "audit_log: same id": ("audit_log", "id", "action", "'forged'"),
    "redemptions: same id": ("redemptions", "id", "total_points", "1"),
    "redemptions: same receipt number": ("redemptions", "receipt_no", "id", "id || 'x'"),
    "redemption_lines: same key": ("redemption_lines", "redemption_id, line_no", "qty", "99"),
    "redemption_voids: same receipt": ("redemption_voids", "redemption_id", "id", "id || 'x'"),
}


@pytest.mark.parametrize("case", REPLACES)
def test_insert_or_replace_cannot_rewrite_a_row(counter, case):
    table, key, column, value = REPLACES[case]
    _sold(counter, void=True)
    counter.db.dispose()
    con = sqlite3.connect(counter.db.path, isolation_level=None)
    try:
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
        before = con.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()
        select = ", ".join(value if c == column else c for c in cols)
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute(f"INSERT OR REPLACE INTO {table} ({', '.join(cols)}) "
                        f"SELECT {select} FROM {table} LIMIT 1")
        assert con.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall() == before
    finally:
        con.close()
    assert check.verify(counter.db).ok
