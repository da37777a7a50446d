"""Several counters against one real district: random orders, offline double spending,
restore and rejoin, the tamper anchor, replays and dead letters."""

from __future__ import annotations

import random
import shutil

import psycopg
import pytest
from sqlalchemy import text

from counter_app import backup, check, ledger, member_details, members, redemption, stock
from counter_app.db import open_database
from counter_app.errors import RecoveryPending
from counter_app.journal import GENESIS, entry_hash
from counter_app.redemption import CartLine
from counter_app.sync import balances
from counter_app.sync.connection import CounterClient
from counter_app.sync.run import sync_once
from counter_app.sync.status import status
from counter_app.sync.wire import entries_after
from earning_helpers import credit
from sync_helpers import (
    actors, assert_invariants, configure, district_balance, isolate_secrets, joined, rowid_of,
    settle, synced, uid_of,
)


@pytest.fixture(autouse=True)
def _secrets(monkeypatch, tmp_path):
    isolate_secrets(monkeypatch, tmp_path)


@pytest.fixture
def pair(counter, world, tmp_path):
    """XF01 (the counter fixture, standalone, then synced) and XF02 joined from the district."""
    configure(counter.db, world, "XF01")
    synced(counter.db, world)
    xf02 = joined(world, "XF02", tmp_path / "xf02.db")
    yield counter, xf02
    xf02.dispose()


def _member_at(db, uid: str) -> int:
    return rowid_of(db, "members", uid)


def test_random_orders_keep_every_balance_and_entry_exactly_once(pair, world):
    counter, xf02 = pair
    rng = random.Random(8)
    a1 = {"reviewer": counter.reviewer, "volunteer": counter.volunteer,
          "stock": counter.stock_staff, "admin": counter.admin}
    a2 = actors(xf02, "XF02")
    uids = [uid_of(counter.db, "members", counter.member(f"会员{i}", points=30)) for i in range(4)]
    synced(counter.db, world)
    synced(xf02, world)
    point_item_uid = uid_of(counter.db, "point_items", counter.point_item)
    sides = {
        "XF01": (counter.db, a1, counter.point_item, counter.haircut, counter.soap),
        "XF02": (xf02, a2, rowid_of(xf02, "point_items", point_item_uid),
                 rowid_of(xf02, "exchange_items", uid_of(counter.db, "exchange_items",
                                                         counter.haircut)),
                 rowid_of(xf02, "exchange_items", uid_of(counter.db, "exchange_items",
                                                         counter.soap))),
    }
    stock.receive(xf02, a2["stock"], sides["XF02"][4], 50)
    receipts = {"XF01": [], "XF02": []}
    for step in range(60):
        name = rng.choice(("XF01", "XF02"))
        db, who, point_item, haircut, soap = sides[name]
        mid = _member_at(db, rng.choice(uids))
        op = rng.random()
        if op < 0.35:
            credit(db, who["reviewer"], mid, point_item)
        elif op < 0.65:
            with db.read() as s:
                spare = ledger.balance_of(s, mid)
            if spare >= 15:
                r = redemption.checkout(db, who["volunteer"], mid,
                                        [CartLine(haircut, 1), CartLine(soap, 1)])
                receipts[name].append(r.receipt_no)
        elif op < 0.75 and receipts[name]:
            redemption.void(db, who["admin"], receipts[name].pop(rng.randrange(len(receipts[name]))),
                            "顾客退回")
        elif op < 0.85:
            stock.receive(db, who["stock"], soap, rng.randint(1, 5))
        else:
            synced(db, world)
    for _ in range(2):  # everyone pushes, then everyone pulls what the others pushed
        synced(counter.db, world)
        synced(xf02, world)
    assert_invariants(world, counter.db, xf02)
    for uid in uids:
        expected = district_balance(world, uid)
        for db in (counter.db, xf02):
            with db.read() as s:
                assert ledger.balance_of(s, _member_at(db, uid)) == expected


def test_offline_double_spend_is_kept_flagged_and_shown_at_every_counter(pair, world):
    counter, xf02 = pair
    uid = uid_of(counter.db, "members", counter.member("赵六", points=30))
    synced(counter.db, world)
    synced(xf02, world)
    haircut2 = rowid_of(xf02, "exchange_items", uid_of(counter.db, "exchange_items",
                                                       counter.haircut))
    # Both offline: each counter sees 30 points and hands out 30.
    redemption.checkout(counter.db, counter.volunteer, _member_at(counter.db, uid),
                        [CartLine(counter.haircut, 3)])
    redemption.checkout(xf02, actors(xf02, "XF02")["volunteer"], _member_at(xf02, uid),
                        [CartLine(haircut2, 3)])
    synced(counter.db, world)
    synced(xf02, world)
    synced(counter.db, world)
    synced(xf02, world)  # each pull after the other's push was settled
    assert district_balance(world, uid) == -30
    with psycopg.connect(world.url) as conn:
        assert conn.execute("SELECT count(*) FROM overdrafts WHERE member_id = %s",
                            (uid,)).fetchone()[0] == 1
    for db in (counter.db, xf02):
        mid = _member_at(db, uid)
        with db.read() as s:
            assert ledger.balance_of(s, mid) == -30
            assert members.get_member(s, mid).balance == -30
            notice = balances.overdrawn_notice(s, mid)
        assert notice and "-30" in notice and "透支" in notice
    assert_invariants(world, counter.db, xf02)


def test_a_transaction_committing_after_a_pull_is_not_skipped(pair, world):
    counter, xf02 = pair
    uid = uid_of(counter.db, "members", counter.member("钱七", points=10))
    synced(counter.db, world)
    synced(xf02, world)
    a2 = actors(xf02, "XF02")
    point_item = rowid_of(xf02, "point_items", uid_of(counter.db, "point_items",
                                                       counter.point_item))
    credit(xf02, a2["reviewer"], _member_at(xf02, uid), point_item)
    with xf02.read() as s:
        after = s.execute(text("SELECT acked_seq FROM sync_state WHERE journal = 'points' "
                               "AND counter_id = 'XF02'")).scalar() or 0
        batch = entries_after(s, "points", "XF02", after, 100)
    late = world.connect_as("XF02")  # a push that commits late
    late.execute("SELECT push_entries('points', %s::jsonb)",
                 (psycopg.types.json.Jsonb(batch),))
    report = sync_once(counter.db)  # pulls while the push is still open
    assert report.ok, report.error
    with counter.db.read() as s:
        assert ledger.balance_of(s, _member_at(counter.db, uid)) == 10
    late.commit()
    late.close()
    synced(counter.db, world)
    with counter.db.read() as s:
        assert ledger.balance_of(s, _member_at(counter.db, uid)) == 20
        assert s.execute(text("SELECT count(*) FROM district_entries WHERE subject_uid = :u"),
                         {"u": uid}).scalar() == 1
        history = ledger.history(s, _member_at(counter.db, uid))
        assert [r.counter_id for r in history] == ["XF02", "XF01"]
        panel = member_details.recent(s, _member_at(counter.db, uid))  # the member panel's list
        assert [(r.id, r.counter_id) for r in panel] == [(r.id, r.counter_id) for r in history]
    synced(xf02, world)
    assert_invariants(world, counter.db, xf02)


def test_restore_of_an_older_backup_fetches_its_entries_back_before_writing(
        counter, world, tmp_path):
    configure(counter.db, world, "XF01")
    mid = counter.member("孙八", points=20)
    synced(counter.db, world)
    old = backup.backup(counter.db.path, tmp_path / "old.db")
    credit(counter.db, counter.reviewer, mid, counter.point_item)
    credit(counter.db, counter.reviewer, mid, counter.point_item)
    synced(counter.db, world)
    counter.db.dispose()
    backup.restore(old, counter.db.path, force=True)
    db = open_database(counter.db.path)
    try:
        with pytest.raises(RecoveryPending):
            credit(db, counter.reviewer, mid, counter.point_item)
        assert status(db).recovery_pending
        report = synced(db, world)
        assert report.recovered == 2
        credit(db, counter.reviewer, mid, counter.point_item)
        synced(db, world)
        with db.read() as s:
            assert ledger.balance_of(s, mid) == 50
        with psycopg.connect(world.url) as conn:
            assert conn.execute("SELECT count(*) FROM dead_letters").fetchone()[0] == 0
        assert_invariants(world, db)
    finally:
        db.dispose()


def test_rejoin_with_the_same_counter_id_continues_its_chain(counter, world, tmp_path):
    configure(counter.db, world, "XF01")
    mid = counter.member("周九", points=30)
    uid = uid_of(counter.db, "members", mid)
    synced(counter.db, world)
    counter.db.dispose()  # the PC died
    new = joined(world, "XF01", tmp_path / "new-pc.db")
    try:
        with new.read() as s:
            assert s.execute(text("SELECT count(*) FROM points_journal")).scalar() == 3
            assert ledger.balance_of(s, _member_at(new, uid)) == 30
        reviewer = actors(new, "XF01")["reviewer"]
        point_item = rowid_of(new, "point_items", uid_of(counter.db, "point_items",
                                                          counter.point_item))
        row = credit(new, reviewer, _member_at(new, uid), point_item)
        assert row["seq"] == 4
        synced(new, world)
        with new.read() as s:
            assert ledger.balance_of(s, _member_at(new, uid)) == 40
        assert_invariants(world, new)
    finally:
        new.dispose()


def _tamper(path, counter_id: str, seq: int, delta: int) -> None:
    """Edit a points entry and recompute the chain after it (a careful forger)."""
    import sqlite3
    from datetime import datetime

    con = sqlite3.connect(path, isolation_level=None)
    con.execute("BEGIN")
    for verb in ("update", "delete"):
        con.execute(f"DROP TRIGGER IF EXISTS points_journal_no_{verb}")
    rows = con.execute("SELECT * FROM points_journal WHERE counter_id = ? AND seq >= ? "
                       "ORDER BY seq", (counter_id, seq)).fetchall()
    cols = [d[0] for d in con.execute("SELECT * FROM points_journal LIMIT 0").description]
    prev = con.execute("SELECT hash FROM points_journal WHERE counter_id = ? AND seq = ?",
                       (counter_id, seq - 1)).fetchone()
    prev = prev[0] if prev else GENESIS
    for raw in rows:
        f = dict(zip(cols, raw))
        if f["seq"] == seq:
            con.execute("UPDATE points_accounts SET balance = balance + ? WHERE member_id = ?",
                        (delta - f["delta"], f["member_id"]))
            f["delta"] = delta
        f["subject"] = f["member_id"]
        f["prev_hash"] = prev
        f["hash"] = entry_hash(prev, dict(f, created_at=datetime.fromisoformat(f["created_at"])))
        con.execute("UPDATE points_journal SET delta = ?, prev_hash = ?, hash = ? WHERE id = ?",
                    (f["delta"], f["prev_hash"], f["hash"], f["id"]))
        prev = f["hash"]
    con.execute("UPDATE journal_heads SET last_hash = ? WHERE counter_id = ? AND "
                "journal = 'points'", (prev, counter_id))
    con.execute("COMMIT")
    con.close()


def test_a_recomputed_chain_and_a_cut_tail_are_caught_by_check(counter, world, tmp_path):
    configure(counter.db, world, "XF01")
    counter.member("吴十", points=30)
    synced(counter.db, world)
    counter.db.dispose()
    forged, cut = tmp_path / "forged.db", tmp_path / "cut.db"
    shutil.copyfile(counter.db.path, forged)
    shutil.copyfile(counter.db.path, cut)
    _tamper(forged, "XF01", 2, 100)
    report = check.verify(forged)
    assert [f for f in report.faults if "街道" in f.problem], [str(f) for f in report.faults]
    # the chain itself verifies: only the anchor sees it, and the award whose points the
    # edit changed (earning/check.py)
    assert all("街道" in f.problem or f.journal == "awards" for f in report.faults), \
        [str(f) for f in report.faults]

    import sqlite3
    con = sqlite3.connect(cut, isolation_level=None)
    con.execute("DROP TRIGGER points_journal_no_delete")
    last = con.execute("SELECT id, member_id, delta, prev_hash FROM points_journal "
                       "WHERE seq = 3").fetchone()
    con.execute("DELETE FROM points_journal WHERE id = ?", (last[0],))
    con.execute("UPDATE points_accounts SET balance = balance - ? WHERE member_id = ?",
                (last[2], last[1]))
    con.execute("UPDATE journal_heads SET last_seq = 2, last_hash = ? WHERE journal = 'points'"
                " AND counter_id = 'XF01'", (last[3],))
    con.close()
    faults = [str(f) for f in check.verify(cut).faults]
    assert any("尾部被截断" in f and "街道" in f for f in faults), faults


def test_a_replayed_batch_and_a_lost_reply_change_nothing(pair, world):
    counter, xf02 = pair
    uid = uid_of(counter.db, "members", counter.member("郑一", points=20))
    synced(counter.db, world)
    with counter.db.read() as s:
        batch = entries_after(s, "points", "XF01", 0, 1000)
    with CounterClient(world.creds["XF01"].conninfo) as client:
        reply = client.push_entries("points", batch)
    assert reply.accepted == 0 and reply.duplicates == len(batch) and not reply.dead_letters
    # A lost reply: the district has it all, the counter thinks it has nothing.
    with counter.db.write() as s:
        s.execute(text("UPDATE sync_state SET acked_seq = 0, acked_hash = :g"), {"g": GENESIS})
        s.execute(text("UPDATE outbox_acked SET acked_seq = 0"))
    report = synced(counter.db, world)
    assert report.duplicates >= len(batch) and not report.dead_letters
    assert district_balance(world, uid) == 20
    synced(xf02, world)
    assert_invariants(world, counter.db, xf02)


def test_two_offline_edits_of_one_member_give_a_dead_letter_shown_and_the_rest_goes_on(
        pair, world):
    counter, xf02 = pair
    mid = counter.member("冯三", points=10)
    uid = uid_of(counter.db, "members", mid)
    synced(counter.db, world)
    synced(xf02, world)
    a2 = actors(xf02, "XF02")
    members.update_contact(counter.db, counter.admin, mid, phone="13900000001")
    members.update_contact(xf02, a2["admin"], _member_at(xf02, uid), phone="13900000002")
    point_item = rowid_of(xf02, "point_items", uid_of(counter.db, "point_items",
                                                       counter.point_item))
    credit(xf02, a2["reviewer"], _member_at(xf02, uid), point_item)
    synced(counter.db, world)
    report = synced(xf02, world)  # its edit has the same version, other content
    assert [d["reason"] for d in report.dead_letters] == ["version_conflict"]
    assert report.entries_pushed["points"] == 1  # the rest was not held back
    lines = "\n".join(status(xf02).lines())
    assert "拒收" in lines and "两个柜台同时修改" in lines
    from counter_app.district.check import district_check
    assert any(f.name == "dead_letter" for f in district_check(world.url))
    assert district_balance(world, uid) == 20


def test_an_acknowledged_entry_edited_later_stops_the_sync_and_is_a_dead_letter(
        counter, world, tmp_path):
    configure(counter.db, world, "XF01")
    counter.member("王二", points=20)
    synced(counter.db, world)
    counter.db.dispose()
    _tamper(counter.db.path, "XF01", 2, 50)  # the last synced entry, edited and rehashed
    db = open_database(counter.db.path)
    try:
        with db.write() as s:  # and the file "forgot" it was acknowledged
            s.execute(text("UPDATE sync_state SET acked_seq = 1 WHERE journal = 'points'"))
        report = sync_once(db)
        assert not report.ok and "不一致" in report.error  # the district's head differs
        # the same content pushed directly: recorded as a dead letter at the district
        with db.read() as s:
            batch = entries_after(s, "points", "XF01", 1, 10)
        with CounterClient(world.creds["XF01"].conninfo) as client:
            reply = client.push_entries("points", batch)
        assert [d["reason"] for d in reply.dead_letters] == ["content_differs"]
        from counter_app.district.check import district_check
        assert any(f.name == "dead_letter" for f in district_check(world.url))
        assert "不一致" in status(db).last_error
        assert not check.verify(db).ok  # the anchor: the district held the other hash
    finally:
        db.dispose()
