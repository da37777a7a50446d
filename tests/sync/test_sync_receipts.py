"""Receipts and the district (sync/receipts.py, district d0007), against the real server:
receipts and voids reach the district exactly once, a rejoined counter gets its own back
(its check passes, an old receipt reprints and voids), the per-item limits count other
counters' redemptions as of the last pull, and day closes stay each counter's own."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text

from counter_app import check, redemption, rules, stock
from counter_app.district.check import district_check
from counter_app.district.client import as_jsonb
from counter_app.sync.receipts import _batch
from counter_app.errors import LimitReached
from counter_app.periods import period_start_utc
from counter_app.db.models import LimitPeriod
from counter_app.journal import utcnow
from counter_app.redemption import CartLine
from sync_helpers import (
    actors, assert_invariants, configure, isolate_secrets, joined, rowid_of, synced, uid_of,
)
from test_sync_district import pair  # noqa: F401  (XF01 synced, XF02 joined)


@pytest.fixture(autouse=True)
def _secrets(monkeypatch, tmp_path):
    isolate_secrets(monkeypatch, tmp_path)


def _district_receipts(world, counter_id: str) -> tuple[dict, set]:
    with psycopg.connect(world.url) as conn:
        receipts = {str(r[0]): (r[1], r[2]) for r in conn.execute(
            "SELECT id, receipt_no, status FROM receipts WHERE counter_id = %s", (counter_id,))}
        voids = {str(r[0]) for r in conn.execute(
            "SELECT id FROM receipt_voids WHERE counter_id = %s", (counter_id,))}
    return receipts, voids


def _local_receipts(db) -> tuple[dict, set]:
    with db.read() as s:
        voided = {r[0] for r in s.execute(text("SELECT redemption_id FROM redemption_voids"))}
        receipts = {r[0]: (r[1], "voided" if r[0] in voided else "issued") for r in s.execute(
            text("SELECT id, receipt_no FROM redemptions"))}
        voids = {r[0] for r in s.execute(text("SELECT id FROM redemption_voids"))}
    return receipts, voids


def test_receipts_and_voids_reach_the_district_exactly_once(pair, world):
    counter, xf02 = pair
    a2 = actors(xf02, "XF02")
    uid = uid_of(counter.db, "members", counter.member("赵六", points=60))
    synced(counter.db, world)
    synced(xf02, world)
    m2 = rowid_of(xf02, "members", uid)
    soap2 = rowid_of(xf02, "exchange_items", uid_of(counter.db, "exchange_items", counter.soap))
    stock.receive(xf02, a2["stock"], soap2, 10)
    r1 = redemption.checkout(counter.db, counter.volunteer, rowid_of(counter.db, "members", uid),
                             [CartLine(counter.soap, 2), CartLine(counter.haircut, 1)])
    redemption.checkout(counter.db, counter.volunteer, rowid_of(counter.db, "members", uid),
                        [CartLine(counter.soap, 1)])
    redemption.void(counter.db, counter.admin, r1.receipt_no, "顾客退回", "赵六")
    redemption.checkout(xf02, a2["volunteer"], m2, [CartLine(soap2, 3)])
    for _ in range(2):
        synced(counter.db, world)
        synced(xf02, world)
    for db, cid in ((counter.db, "XF01"), (xf02, "XF02")):
        assert _district_receipts(world, cid) == _local_receipts(db)
    assert len(_district_receipts(world, "XF01")[0]) == 2
    # A lost reply: the batch is sent again; the district counts duplicates, stores nothing new.
    with counter.db.read() as s:
        batch = [{k: v for k, v in r.items() if k != "seq"} for r in _batch(s, "XF01", 0, 10)]
    assert [r["kind"] for r in batch] == ["receipt", "receipt", "void"]
    with world.connect_as("XF01") as conn:
        reply = conn.execute("SELECT push_receipts(%s)", (as_jsonb(batch),)).fetchone()[0]
    assert (reply["accepted"], reply["duplicates"], reply["dead_letters"]) == (0, 3, [])
    with psycopg.connect(world.url) as conn:
        assert conn.execute("SELECT count(*) FROM receipt_lines").fetchone()[0] == 4
        assert conn.execute("SELECT count(*) FROM dead_letters").fetchone()[0] == 0
    assert_invariants(world, counter.db, xf02)


def test_a_receipt_id_again_with_other_content_is_a_dead_letter(counter, world):
    configure(counter.db, world, "XF01")
    mid = counter.member("钱七", points=20)
    redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 1)])
    synced(counter.db, world)
    with counter.db.read() as s:
        sent = _batch(s, "XF01", 0, 10)
    assert [r["kind"] for r in sent] == ["receipt"]
    forged = {k: v for k, v in sent[0].items() if k != "seq"}
    forged["total_points"] = 1
    with world.connect_as("XF01") as conn:
        reply = conn.execute("SELECT push_receipts(%s)", (as_jsonb([forged]),)).fetchone()[0]
    assert reply["accepted"] == 0 and [d["reason"] for d in reply["dead_letters"]] == [
        "content_differs"]
    with psycopg.connect(world.url) as conn:
        assert conn.execute("SELECT total_points FROM receipts").fetchone()[0] == 5
    names = {f.name for f in district_check(world.url)}
    assert "dead_letter" in names
    # Another counter's receipt is refused by PostgreSQL itself.
    with world.connect_as("XF02") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("SELECT push_receipts(%s)", (as_jsonb([forged]),))


def test_district_check_finds_a_receipt_that_disagrees_with_its_entry(counter, world):
    configure(counter.db, world, "XF01")
    mid = counter.member("孙八", points=20)
    redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 2)])
    synced(counter.db, world)
    assert not [f for f in district_check(world.url) if f.name.startswith("receipt")]
    with psycopg.connect(world.url) as conn:  # an administrator edits a line afterwards
        conn.execute("UPDATE receipt_lines SET qty = 1, unit_points = 10")
    names = {f.name for f in district_check(world.url)}
    assert {"receipt_digest", "receipt_stock"} <= names, names


def test_a_rejoined_counter_gets_its_receipts_back_and_checks_reprints_and_voids(
        counter, world, tmp_path):
    from counter_app import catalogue
    from counter_app.db.models import ItemKind

    # XF02 adds 毛巾 and syncs; XF01 adds 牙膏 before it pulls 毛巾. XF01's file numbers
    # 牙膏 before 毛巾, a new PC (pulling in the district's order) after: the receipt
    # digests of XF01 cover numbers the new PC gives to another item.
    configure(counter.db, world, "XF01")
    synced(counter.db, world)
    xf02 = joined(world, "XF02", tmp_path / "xf02.db")
    try:
        with xf02.read() as s:
            community = s.execute(text("SELECT community_id FROM counters "
                                       "WHERE id = 'XF02'")).scalar()
        catalogue.add_item(xf02, actors(xf02, "XF02")["stock"], community_id=community,
                           name="毛巾", kind=ItemKind.GOODS, category="日用品", points=5, unit="条")
        synced(xf02, world)
    finally:
        xf02.dispose()
    paste = catalogue.add_item(counter.db, counter.stock_staff,
                               community_id=counter.info.community_id, name="牙膏",
                               kind=ItemKind.GOODS, category="日用品", points=5, unit="支")
    stock.receive(counter.db, counter.stock_staff, paste, 10)
    synced(counter.db, world)
    uid = uid_of(counter.db, "members", counter.member("周九", points=60))
    mid = rowid_of(counter.db, "members", uid)
    kept = redemption.checkout(counter.db, counter.volunteer, mid,
                               [CartLine(paste, 2), CartLine(counter.rice, 1)])
    voided = redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 1)])
    redemption.void(counter.db, counter.admin, voided.receipt_no, "拿错了")
    synced(counter.db, world)
    paste_uid = uid_of(counter.db, "exchange_items", paste)
    rice_uid = uid_of(counter.db, "exchange_items", counter.rice)
    counter.db.dispose()  # the PC died
    new = joined(world, "XF01", tmp_path / "new-pc.db")
    try:
        with new.read() as s:
            assert s.execute(text("SELECT count(*) FROM redemptions")).scalar() == 2
            assert s.execute(text("SELECT count(*) FROM redemption_voids")).scalar() == 1
            shifted = s.execute(text("SELECT count(*) FROM redemption_lines "
                                     "WHERE digest_item_id IS NOT NULL")).scalar()
        assert shifted == 1 and rowid_of(new, "exchange_items", paste_uid) != paste
        new_rice = rowid_of(new, "exchange_items", rice_uid)
        report = check.verify(new)
        assert report.ok, [str(f) for f in report.faults]
        with new.read() as s:  # F5 / reprint of an old receipt
            again = redemption.receipt(s, kept.receipt_no)
        assert (again.total, again.member_name, [l.name for l in again.lines]) == (
            kept.total, kept.member_name, [l.name for l in kept.lines])
        who = actors(new, "XF01")
        redemption.void(new, who["admin"], kept.receipt_no, "顾客退回")
        fresh = redemption.checkout(new, who["volunteer"], rowid_of(new, "members", uid),
                                    [CartLine(new_rice, 1)])
        assert fresh.receipt_no == "XF01-000003"  # no receipt number issued twice
        synced(new, world)
        assert check.verify(new).ok
        assert_invariants(world, new)
        assert _district_receipts(world, "XF01") == _local_receipts(new)
    finally:
        new.dispose()


def test_a_limit_counts_a_redemption_made_at_another_counter_after_a_pull(pair, world):
    counter, xf02 = pair
    a2 = actors(xf02, "XF02")
    uid = uid_of(counter.db, "members", counter.member("吴十", points=100))
    synced(counter.db, world)
    synced(xf02, world)
    rice2 = rowid_of(xf02, "exchange_items", uid_of(counter.db, "exchange_items", counter.rice))
    stock.receive(xf02, a2["stock"], rice2, 5)
    m1, m2 = rowid_of(counter.db, "members", uid), rowid_of(xf02, "members", uid)
    bought = redemption.checkout(xf02, a2["volunteer"], m2, [CartLine(rice2, 2)])  # 2 a quarter
    # Before XF01 pulls, it does not know (offline): it would allow it.
    with counter.db.read() as s:
        redemption.validate_cart(s, "XF01", m1, [CartLine(counter.rice, 1)])
    synced(xf02, world)
    synced(counter.db, world)
    since = period_start_utc(LimitPeriod.QUARTER, utcnow())
    for db, mid, item in ((counter.db, m1, counter.rice), (xf02, m2, rice2)):
        with db.read() as s:
            assert rules.used_in_period(s, mid, item, since) == 2  # each line once
    with pytest.raises(LimitReached):
        redemption.checkout(counter.db, counter.volunteer, m1, [CartLine(counter.rice, 1)])
    # Voided at XF02: after the next pull XF01 counts it no more.
    redemption.void(xf02, a2["admin"], bought.receipt_no, "顾客退回")
    synced(xf02, world)
    synced(counter.db, world)
    redemption.checkout(counter.db, counter.volunteer, m1, [CartLine(counter.rice, 2)])
    synced(counter.db, world)
    assert_invariants(world, counter.db, xf02)


def test_a_service_capacity_counts_the_other_counters_redemptions_after_a_pull(pair, world):
    """10 义剪 a month are the community's, not each counter's: what XF02 gave out, XF01
    counts once it pulled it (a receipt of its own file once)."""
    from counter_app import items
    from counter_app.stock import capacity

    counter, xf02 = pair
    a2 = actors(xf02, "XF02")
    items.update_item(counter.db, counter.admin, counter.haircut, capacity_qty=3,
                      capacity_period="month")
    uid = uid_of(counter.db, "members", counter.member("郑十一", points=100))
    synced(counter.db, world)
    synced(xf02, world)
    cut2 = rowid_of(xf02, "exchange_items", uid_of(counter.db, "exchange_items", counter.haircut))
    m1, m2 = rowid_of(counter.db, "members", uid), rowid_of(xf02, "members", uid)
    redemption.checkout(xf02, a2["volunteer"], m2, [CartLine(cut2, 1)])
    redemption.checkout(counter.db, counter.volunteer, m1, [CartLine(counter.haircut, 1)])

    def left(db, item):
        with db.read() as s:
            row = s.execute(text("SELECT id, capacity_qty, capacity_period FROM exchange_items "
                                 "WHERE id = :i"), {"i": item}).one()
            return capacity.left(s, row, utcnow())

    assert left(counter.db, counter.haircut) == 2  # XF02's not known yet (offline)
    synced(xf02, world)
    synced(counter.db, world)
    synced(xf02, world)
    assert left(counter.db, counter.haircut) == 1 and left(xf02, cut2) == 1  # each once
    with pytest.raises(capacity.CapacityReached):
        redemption.checkout(counter.db, counter.volunteer, m1, [CartLine(counter.haircut, 2)])
    assert_invariants(world, counter.db, xf02)
    # lines older than any limit's or capacity's period go at the next pull
    with counter.db.write() as s:
        s.execute(text("UPDATE district_redemption_lines SET created_at = "
                       "'2024-01-01 08:00:00.000000'"))
    synced(counter.db, world)
    with counter.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM district_redemption_lines")).scalar() == 0


def _day_close_change(world, counter, counter_id: str) -> dict:
    from counter_app.day import day_close
    from counter_app.sync.wire import register_change

    day_close.close_day(counter.db, counter.admin)
    with counter.db.read() as s:
        row = s.execute(text("SELECT version, payload FROM outbox WHERE table_name = "
                             "'day_closes' ORDER BY seq DESC")).first()
    change = register_change("day_closes", row.version, row.payload)
    change["data"]["counter_id"] = counter_id
    return change


def test_a_day_close_of_another_counter_is_refused_and_none_is_pulled(pair, world):
    counter, xf02 = pair
    forged = _day_close_change(world, counter, "XF02")
    with world.connect_as("XF01") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
            conn.execute("SELECT push_registers(%s)", (as_jsonb([forged]),))
    assert "day close" in str(refused.value)
    with psycopg.connect(world.url) as conn:
        assert conn.execute("SELECT count(*) FROM day_closes").fetchone()[0] == 0
    synced(counter.db, world)  # its own day close is taken
    with psycopg.connect(world.url) as conn:
        assert conn.execute("SELECT counter_id FROM day_closes").fetchall() == [("XF01",)]
    from district_helpers import pull_all, settle

    settle(world)
    with world.client("XF02") as client:
        rows, _ = pull_all(world, client)
    registers = {r.get("register") for r in rows}
    assert "day_closes" not in registers and "items" in registers


def test_entries_of_formats_1_and_2_from_older_files_push_cleanly(counter, world, monkeypatch):
    """Formats 1 and 2 hash the file's own rowids (member, operator): the district keeps
    their links and hashes as they are, the counter's check verifies them."""
    from counter_app import journal
    from earning_helpers import credit

    mid = counter.member("郑一")
    for fmt in (1, 2):
        monkeypatch.setattr(journal, "HASH_FORMAT", fmt)
        credit(counter.db, counter.reviewer, mid, counter.point_item)
        credit(counter.db, counter.reviewer, mid, counter.point_item)
        redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 1)])
    monkeypatch.undo()
    credit(counter.db, counter.reviewer, mid, counter.point_item)
    with counter.db.read() as s:
        formats = [r[0] for r in s.execute(text(
            "SELECT hash_format FROM points_journal ORDER BY seq"))]
    assert formats == [1, 1, 1, 2, 2, 2, 3]
    assert check.verify(counter.db).ok
    configure(counter.db, world, "XF01")
    report = synced(counter.db, world)
    assert not report.dead_letters and not report.blocked, report.dead_letters
    assert report.entries_pushed["points"] == 7
    with psycopg.connect(world.url) as conn:
        assert [r[0] for r in conn.execute(
            "SELECT hash_format FROM points_journal ORDER BY seq")] == formats
    assert_invariants(world, counter.db)
