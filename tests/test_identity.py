"""District-wide identity (issue 8 §1): uids on every register row, journal format 3 over
uids, reversals only at the writing counter, card codes of the counter scheme, and the
district a counter belongs to."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import sqlite3
import uuid

import pytest
from sqlalchemy import select, text

from counter_app import (
    card_codes, check, district_identity, journal, ledger, members, redemption, stock,
)
from counter_app.db import open_database
from counter_app.db.models import CardNumber, Counter, Member, MemberCard, Operator, PointsEntry
from counter_app.demo.build import build_demo
from counter_app.errors import (
    InvalidCardCode, NoDistrict, NotReversible, UnknownCard, WrongDistrict,
)
from counter_app.redemption import CartLine
from identity_fixtures import M0003, as_schema_0002


def uids(db, table: str) -> list[str]:
    with db.read() as s:
        return [r[0] for r in s.execute(text(f"SELECT uid FROM {table}"))]


def test_every_register_row_has_a_uuid7_of_its_own(counter):
    counter.member("张三")
    seen = set()
    for table in M0003.REGISTERS:
        values = uids(counter.db, table)
        for value in values:
            assert uuid.UUID(value).version == 7 and str(uuid.UUID(value)) == value, table
        seen.update(values)
        assert len(set(values)) == len(values)
    with counter.db.read() as s:
        n = sum(s.scalar(text(f"SELECT count(*) FROM {t}")) for t in M0003.REGISTERS)
    assert len(seen) == n  # unique across all registers, not only within one


def test_a_0002_file_upgrades_fresh_uids_old_entries_verify_new_are_format_3(tmp_path,
                                                                              monkeypatch):
    from conftest import _build_counter

    monkeypatch.setattr(journal, "HASH_FORMAT", 2)  # what the 0002 release wrote
    counter = _build_counter(tmp_path / "counter.db")
    mid = counter.member("李四", points=30)
    redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 1)])
    monkeypatch.undo()
    counter.db.dispose()
    as_schema_0002(counter.db.path)
    db = open_database(counter.db.path)
    try:
        for table in M0003.REGISTERS:
            values = uids(db, table)
            assert all(values) and len(set(values)) == len(values), table
        ledger.adjust(db, counter.admin, mid, 1, "升级之后")
        with db.read() as s:
            formats = dict(s.execute(text("SELECT hash_format, count(*) FROM points_journal "
                                          "GROUP BY hash_format")).all())
        assert set(formats) == {2, 3} and formats[3] == 1
        report = check.verify(db)
        assert report.ok, report.faults
    finally:
        db.dispose()


def _render(v) -> str:
    s = v if isinstance(v, str) else str(v)
    return "-\n" if v is None else f"{len(s.encode())}:{s}\n"


def test_format_3_hashes_the_uids_exactly_as_documented(counter):
    mid = counter.member("王五", points=10)
    with counter.db.read() as s:
        e = s.scalars(select(PointsEntry).where(PointsEntry.member_id == mid)).one()
        member_uid = s.get(Member, mid).uid
        operator_uid = s.get(Operator, e.operator_id).uid
    assert e.hash_format == 3
    assert (e.subject_uid, e.operator_uid) == (member_uid, operator_uid)
    # Spelled out independently of journal.py, as the district recomputes it.
    payload = "counter_app/3\n" + "".join(_render(v) for v in (
        e.prev_hash, e.id, e.counter_id, e.seq, member_uid, e.delta, e.kind, e.reverses_id,
        e.ref, operator_uid, e.created_at.isoformat(timespec="microseconds"), e.note,
        e.detail_digest))
    assert e.hash == hashlib.sha256(payload.encode()).hexdigest()


def test_chain_entry_refuses_an_entry_without_uids():
    head = journal.Head(0, journal.GENESIS)
    with pytest.raises(TypeError, match="subject_uid"):
        journal.chain_entry(head, counter_id="XF01", subject=1, delta=5, kind="award",
                            reverses_id=None, ref=None, operator_id=1,
                            created_at=journal.utcnow(), note=None)


def test_check_catches_an_entry_moved_to_another_member_under_its_hash(counter):
    """Format 3 does not hash member_id: check must tie member_id to the hashed uid."""
    a, b = counter.member("甲", points=10), counter.member("乙", points=10)
    counter.db.dispose()
    con = sqlite3.connect(counter.db.path, isolation_level=None)
    con.execute("DROP TRIGGER points_journal_no_update")
    # Swap the two members' entries and their balances: sums and hashes still agree.
    con.execute("UPDATE points_journal SET member_id = CASE member_id WHEN ? THEN ? ELSE ? END "
                "WHERE member_id IN (?, ?)", (a, b, a, a, b))
    con.close()
    report = check.verify(counter.db.path)
    problems = [f.problem for f in report.faults]
    assert any("哈希覆盖的会员标识" in p for p in problems), problems


def test_stock_entries_hash_the_item_uid(counter):
    stock.receive(counter.db, counter.stock_staff, counter.rice, 3)
    with counter.db.read() as s:
        row = s.execute(text("SELECT j.subject_uid, i.uid, j.hash_format FROM stock_journal j "
                             "JOIN exchange_items i ON i.id = j.item_id "
                             "ORDER BY j.seq DESC LIMIT 1")).one()
    assert row[0] == row[1] and row[2] == 3


# --- reversals only at the counter that wrote the entry ------------------------------------


def _second_counter(counter):
    with counter.db.write() as s:
        s.add(Counter(id="XF02", community_id=counter.info.community_id, name="二号柜台"))
    return dataclasses.replace(counter.admin, counter_id="XF02")


def test_points_reversal_of_another_counters_entry_is_refused(counter):
    mid = counter.member("赵六", points=10)
    other = _second_counter(counter)
    with counter.db.read() as s:
        entry = s.scalars(select(PointsEntry.id).where(PointsEntry.member_id == mid)).one()
    with pytest.raises(NotReversible, match="柜台 XF01 记的，只能在柜台 XF01 撤销"):
        ledger.reverse(counter.db, other, entry, "录错了")
    with counter.db.write() as s, pytest.raises(NotReversible):
        ledger.reverse_in(s, other, entry, "录错了")
    ledger.reverse(counter.db, counter.admin, entry, "录错了")  # its own counter may
    with counter.db.read() as s:
        assert ledger.balance_of(s, mid) == 0


def test_stock_reversal_of_another_counters_entry_is_refused(counter):
    row = stock.receive(counter.db, counter.stock_staff, counter.soap, 4)
    other = _second_counter(counter)
    with counter.db.write() as s, pytest.raises(NotReversible, match="XF01"):
        stock.reverse_in(s, other, row["id"], "多记了")
    with counter.db.write() as s:
        stock.reverse_in(s, counter.stock_staff, row["id"], "多记了")


# --- card codes ---------------------------------------------------------------------------


def test_cards_are_numbered_per_counter_with_a_mod_37_2_check(counter):
    a, b = counter.member("甲"), counter.member("乙")
    with counter.db.read() as s:
        codes = [s.get(Member, m).card_code for m in (a, b)]
        last = s.get(CardNumber, "XF01").last_number
    assert all(card_codes.is_valid(c) and c.startswith("XF01") for c in codes)
    assert [card_codes.split(c) for c in codes] == [("XF01", last - 1), ("XF01", last)]


def test_another_counters_cards_never_shift_or_collide_with_ours(counter):
    """Cards pulled from the district (another counter's numbers) do not move this counter's
    number: a count(*) of the community's cards would skip or reuse numbers."""
    first = counter.member("甲")
    with counter.db.write() as s:
        s.add(Counter(id="XF02", community_id=counter.info.community_id, name="二号柜台"))
        for n in range(1, 4):
            s.add(MemberCard(code=card_codes.nth_code("XF02", n), member_id=first,
                             status="blocked", issued_at=journal.utcnow()))
    with counter.db.read() as s:
        number_before = s.get(CardNumber, "XF01").last_number
    second = counter.member("乙")
    with counter.db.read() as s:
        code = s.get(Member, second).card_code
    assert card_codes.split(code) == ("XF01", number_before + 1)


def test_a_number_already_on_a_card_is_skipped_never_reissued(counter):
    mid = counter.member("甲")
    with counter.db.write() as s:
        taken = s.get(Member, mid).card_code
        s.get(CardNumber, "XF01").last_number = card_codes.split(taken)[1] - 1  # an old backup
    other = counter.member("乙")
    with counter.db.read() as s:
        assert s.get(Member, other).card_code != taken


def test_a_failed_registration_does_not_use_up_a_number(counter):
    counter.member("甲")
    with counter.db.read() as s:
        before = s.get(CardNumber, "XF01").last_number
    with pytest.raises(Exception):
        members.register(counter.db, counter.admin, name="甲", category="resident",
                         community_id=counter.info.community_id, phone="13800001111",
                         household_id=999_999)  # no such household: the insert fails
    with counter.db.read() as s:
        assert s.get(CardNumber, "XF01").last_number == before


def test_lookup_refuses_a_code_with_a_wrong_check_character(counter):
    mid = counter.member("甲")
    with counter.db.read() as s:
        code = s.get(Member, mid).card_code
        swapped = code[:-3] + code[-2] + code[-3] + code[-1]
        for bad in {swapped, code[:-1] + ("0" if code[-1] != "0" else "1")} - {code}:
            with pytest.raises(InvalidCardCode, match="校验位不对"):
                members.lookup_card(s, bad)
            assert isinstance(InvalidCardCode(code=bad), UnknownCard)
        assert members.lookup_card(s, code.lower()).id == mid


def test_scanner_barcodes_and_phones_are_never_taken_for_cards():
    assert not members.CARD_RE.match("6901234567892")
    assert not members.CARD_RE.match("13812345678")
    assert members.CARD_RE.match(card_codes.nth_code("XF01", 5))


def test_the_demo_issues_new_scheme_codes_and_uids_deterministic_per_seed(tmp_path):
    def snapshot(path):
        con = sqlite3.connect(path)
        try:
            cards = con.execute("SELECT code FROM member_cards ORDER BY code").fetchall()
            keys = con.execute("SELECT uid FROM members ORDER BY id").fetchall()
            entries = con.execute("SELECT subject_uid, hash FROM points_journal "
                                  "ORDER BY seq").fetchall()
            last = con.execute("SELECT last_number FROM card_numbers").fetchone()
        finally:
            con.close()
        return cards, keys, entries, last

    build_demo(tmp_path / "a.db", members=40, seed=7, as_of=journal.utcnow().date())
    build_demo(tmp_path / "b.db", members=40, seed=7, as_of=journal.utcnow().date())
    a, b = snapshot(tmp_path / "a.db"), snapshot(tmp_path / "b.db")
    assert a == b
    cards, keys, entries, last = a
    assert all(card_codes.is_valid(c) and c.startswith("XF01") for c, in cards)
    assert last == (card_codes.split(cards[-1][0])[1],)
    assert all(uid for uid, _ in entries) and len(set(keys)) == 40
    assert check.verify(tmp_path / "a.db").ok
    db = open_database(tmp_path / "a.db")  # the next card continues the demo's numbers
    try:
        with db.read() as s:
            code = members.next_card_code(s, 1)
        assert card_codes.split(code)[1] == last[0] + 1
    finally:
        db.dispose()


# --- the district a counter belongs to --------------------------------------------------


def test_a_counter_belongs_to_one_district(counter):
    with pytest.raises(NoDistrict, match="还没有加入街道"):
        district_identity.ensure_same_district(counter.db, str(uuid.uuid4()))
    own, other = str(uuid.uuid4()), str(uuid.uuid4())
    ident = district_identity.join_district(counter.db, own.upper())
    assert ident == district_identity.DistrictIdentity(own, "XF01")
    assert district_identity.join_district(counter.db, own) == ident
    assert district_identity.ensure_same_district(counter.db, own) == ident
    with pytest.raises(WrongDistrict, match=f"本柜台属于街道 {own}，不能与街道 {other} 同步"):
        district_identity.ensure_same_district(counter.db, other)
    with pytest.raises(WrongDistrict):
        district_identity.join_district(counter.db, other)
    assert district_identity.district_identity(counter.db).district_id == own


def test_the_uid_columns_of_the_journals_are_append_only_too(counter):
    counter.member("甲", points=10)
    counter.db.dispose()
    con = sqlite3.connect(counter.db.path, isolation_level=None)
    try:
        for table in ("points_journal", "stock_journal"):
            for column in ("subject_uid", "operator_uid"):
                with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                    con.execute(f"UPDATE {table} SET {column} = NULL")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("INSERT OR REPLACE INTO points_journal SELECT * FROM points_journal")
    finally:
        con.close()
