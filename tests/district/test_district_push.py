"""push_entries: exactly once, chained, gap-refusing, dead letters aside, balances and stock
in the same transaction, overdrafts flagged but never stalling the push."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from counter_app.district.client import as_jsonb
from counter_app.district.errors import NotACounter, SequenceGap
from district_helpers import GENESIS, Chain


def _balance(world, member):
    with world.admin() as conn:
        row = conn.execute("SELECT balance FROM balances WHERE member_id = %s",
                           (member,)).fetchone()
    return None if row is None else row[0]


def test_push_accepts_a_chain_and_moves_the_head(world):
    m = uuid.uuid4()
    c = Chain("XF01")
    for delta in (10, 10, -5):
        c.add(m, delta)
    with world.client("XF01") as cl:
        reply = cl.push_entries("points", c.entries)
        assert (reply.head_seq, reply.head_hash, reply.accepted) == (3, c.head, 3)
        assert reply.dead_letters == [] and not reply.stopped
        assert cl.head("points") == (3, c.head)
        assert cl.head("stock") == (0, GENESIS)
    assert _balance(world, m) == 15


def test_a_replayed_batch_counts_nothing_twice(world):
    m = uuid.uuid4()
    c = Chain("XF01")
    c.add(m, 30)
    c.add(m, -10)
    with world.client("XF01") as cl:
        cl.push_entries("points", c.entries)
        again = cl.push_entries("points", c.entries)  # the reply was lost: resend
        assert (again.accepted, again.duplicates, again.head_seq) == (0, 2, 2)
        c.add(m, 5)
        overlap = cl.push_entries("points", c.entries)  # old + new in one batch
        assert (overlap.accepted, overlap.duplicates, overlap.head_seq) == (1, 2, 3)
    assert _balance(world, m) == 25
    with world.admin() as conn:
        assert conn.execute("SELECT count(*) FROM points_journal").fetchone()[0] == 3


def test_same_id_with_other_content_is_a_dead_letter_and_the_rest_goes_on(world):
    m = uuid.uuid4()
    c = Chain("XF01")
    c.add(m, 10)
    with world.client("XF01") as cl:
        cl.push_entries("points", c.entries)
        forged = dict(c.entries[0], delta=1000)  # same id, other content
        c.add(m, 7)
        reply = cl.push_entries("points", [forged, c.entries[1]])
        assert reply.head_seq == 2 and reply.accepted == 1
        [dead] = reply.dead_letters
        assert dead["id"] == forged["id"] and dead["reason"] == "content_differs"
        assert dead["existing_hash"] == c.entries[0]["hash"]
        # Replayed: reported again, stored once, nothing merged.
        again = cl.push_entries("points", [forged])
        assert [d["reason"] for d in again.dead_letters] == ["content_differs"]
    assert _balance(world, m) == 17
    with world.admin() as conn:
        rows = conn.execute("SELECT entry_id, reason, received->>'delta' FROM dead_letters"
                            ).fetchall()
        assert rows == [(uuid.UUID(forged["id"]), "content_differs", "1000")]
        assert conn.execute("SELECT delta FROM points_journal WHERE id = %s",
                            (forged["id"],)).fetchone() == (10,)


def test_a_gap_is_refused_with_the_head_to_resend_from(world):
    m = uuid.uuid4()
    c = Chain("XF01")
    for _ in range(4):
        c.add(m, 10)
    with world.client("XF01") as cl:
        cl.push_entries("points", c.entries[:1])
        with pytest.raises(SequenceGap) as err:
            cl.push_entries("points", c.entries[2:])
        assert err.value.head_seq == 1 and err.value.head_hash == c.entries[0]["hash"]
        assert "第 2 条" in str(err.value)
        assert cl.head("points") == (1, c.entries[0]["hash"])  # nothing of it was kept
        assert cl.push_entries("points", c.entries[1:]).head_seq == 4
    assert _balance(world, m) == 40


def test_an_entry_for_another_counter_is_refused(world):
    m = uuid.uuid4()
    mine, theirs = Chain("XF01"), Chain("XF02")
    mine.add(m, 10)
    theirs.add(m, 10)
    with world.client("XF01") as cl:
        with pytest.raises(NotACounter):
            cl.push_entries("points", [mine.entries[0], theirs.entries[0]])
    with world.connect_as("XF01") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT push_entries('points', %s)",
                         (as_jsonb(theirs.entries),))
    assert _balance(world, m) is None  # the whole batch was refused


def test_format_2_hash_is_recomputed_and_a_forgery_stops_at_the_dead_letter(world):
    m = uuid.uuid4()
    c = Chain("XF01")
    c.add(m, 10)
    bad = c.add(m, 10)
    c.add(m, 10)
    bad["delta"] = 90  # content changed, hash kept: the district recomputes it
    with world.client("XF01") as cl:
        reply = cl.push_entries("points", c.entries)
    assert reply.head_seq == 1 and reply.stopped and reply.ignored == 1
    assert [d["reason"] for d in reply.dead_letters] == ["hash_mismatch"]
    assert _balance(world, m) == 10


def test_format_3_entries_of_a_counter_are_recomputed_too(world):
    """Format 3 (the counter's district-wide keys) is hashed by journal.entry_hash_v3 on the
    counter and recomputed by the district: a true chain goes in, a forgery stops."""
    m, op = uuid.uuid4(), str(uuid.uuid4())
    c = Chain("XF01")
    c.add(m, 10, hash_format=3, operator_id=op, note="大米 2 袋", detail_digest="ab" * 32)
    c.add(m, -5, hash_format=3, operator_id=op)
    bad = c.add(m, 10, hash_format=3)
    bad["subject"] = str(uuid.uuid4())  # moved to another member under its hash
    with world.client("XF01") as cl:
        reply = cl.push_entries("points", c.entries)
    assert reply.head_seq == 2 and reply.stopped
    assert [d["reason"] for d in reply.dead_letters] == ["hash_mismatch"]
    assert _balance(world, m) == 5


def test_prev_hash_must_be_the_district_head(world):
    m = uuid.uuid4()
    c = Chain("XF01")
    c.add(m, 10)
    fork = Chain("XF01", seq=1, head="f" * 64)  # a chain that does not continue the head
    fork.add(m, 10)
    with world.client("XF01") as cl:
        cl.push_entries("points", c.entries)
        reply = cl.push_entries("points", fork.entries)
    assert reply.head_seq == 1 and [d["reason"] for d in reply.dead_letters] == ["chain_break"]


def test_a_reused_sequence_number_is_a_dead_letter(world):
    # A counter restored from an old backup writes seq 2 again with new content.
    m = uuid.uuid4()
    c = Chain("XF01")
    c.add(m, 10)
    c.add(m, 10)
    restored = Chain("XF01", seq=1, head=c.entries[0]["hash"])
    restored.add(m, -3)
    with world.client("XF01") as cl:
        cl.push_entries("points", c.entries)
        reply = cl.push_entries("points", restored.entries)
    assert reply.head_seq == 2 and [d["reason"] for d in reply.dead_letters] == ["seq_taken"]
    assert _balance(world, m) == 20


def test_format_1_entries_are_checked_for_linkage_only(world):
    m = uuid.uuid4()
    c = Chain("XF01")
    c.add(m, 10, hash_format=1)
    c.add(m, 10, hash_format=1)
    c.add(m, 10)  # the counter switched to format 2
    with world.client("XF01") as cl:
        assert cl.push_entries("points", c.entries).head_seq == 3


def test_stock_levels_follow_the_stock_journal_per_counter(world):
    rice = uuid.uuid4()
    a, b = Chain("XF01", "stock"), Chain("XF02", "stock")
    a.add(rice, 10, "restock")
    a.add(rice, -2, "redeem")
    b.add(rice, 5, "restock")
    with world.client("XF01") as ca, world.client("XF02") as cb:
        ca.push_entries("stock", a.entries)
        cb.push_entries("stock", b.entries)
        assert ca.head("points") == (0, GENESIS)
    with world.admin() as conn:
        levels = dict(conn.execute("SELECT counter_id, qty FROM stock_levels "
                                   "WHERE item_id = %s", (rice,)).fetchall())
    assert levels == {"XF01": 8, "XF02": 5}


def test_offline_overdraft_is_kept_flagged_and_hotlisted(world):
    m = uuid.uuid4()
    a, b = Chain("XF01"), Chain("XF02")
    a.add(m, 30)
    with world.client("XF01") as ca, world.client("XF02") as cb:
        ca.push_entries("points", a.entries)
        spend_a = a.add(m, -20)  # both counters offline, both saw balance 30
        spend_b = b.add(m, -25)
        ca.push_entries("points", a.entries)
        reply = cb.push_entries("points", b.entries)  # must not stall on the overdraft
        assert reply.head_seq == 1 and reply.dead_letters == []
    assert _balance(world, m) == -15
    with world.admin() as conn:
        assert conn.execute("SELECT member_id, counter_id, entry_id, balance_after "
                            "FROM overdrafts").fetchall() == [
            (m, "XF02", uuid.UUID(spend_b["id"]), -15)]
        assert conn.execute("SELECT kind, balance, active FROM hotlist WHERE member_id = %s",
                            (m,)).fetchall() == [("overdrawn", -15, True)]
    assert spend_a["id"] != spend_b["id"]
    # Points earned later bring the member back: off the hotlist, the overdraft stays listed.
    a.add(m, 20)
    with world.client("XF01") as ca:
        ca.push_entries("points", a.entries)
    with world.admin() as conn:
        assert conn.execute("SELECT active FROM hotlist WHERE member_id = %s",
                            (m,)).fetchone() == (False,)
        assert conn.execute("SELECT count(*) FROM overdrafts").fetchone() == (1,)


def test_push_is_logged(world):
    c = Chain("XF01")
    c.add(uuid.uuid4(), 10)
    with world.client("XF01") as cl:
        cl.push_entries("points", c.entries)
        cl.push_entries("points", c.entries)
    with world.admin() as conn:
        assert conn.execute("SELECT action, received, accepted, duplicates, head_seq "
                            "FROM sync_log ORDER BY id").fetchall() == [
            ("push_entries", 1, 1, 0, 1), ("push_entries", 1, 0, 1, 1)]


def test_a_rejoined_counter_fetches_its_own_journal_back_and_can_verify_it(world):
    from datetime import datetime

    from district_helpers import counter_hash_v3

    m = uuid.uuid4()
    c, other = Chain("XF01"), Chain("XF02")
    for i in range(5):
        c.add(m, 10 + i, note=f"第{i}次")
    other.add(m, 1)
    with world.client("XF01") as cl, world.client("XF02") as cl2:
        cl.push_entries("points", c.entries)
        cl2.push_entries("points", other.entries)
        back = cl.fetch_own_entries("points", 3, limit=2)
        everything = cl.fetch_own_entries("points", 1)
        assert cl.fetch_own_entries("stock", 1) == []
    assert [e["seq"] for e in back] == [3, 4]
    assert [e["id"] for e in everything] == [e["id"] for e in c.entries]  # never XF02's
    prev = GENESIS
    for e in everything:  # the rows carry exactly what the hash covers
        e["created_at"] = datetime.fromisoformat(e["created_at"])
        assert e["prev_hash"] == prev and counter_hash_v3(prev, e) == e["hash"]
        prev = e["hash"]


def test_an_id_of_another_counters_entry_is_a_dead_letter(world):
    m = uuid.uuid4()
    a, b = Chain("XF01"), Chain("XF02")
    taken = a.add(m, 10)
    b.add(m, 10)
    copy = dict(b.entries[0], id=taken["id"])  # XF02 reuses XF01's id at its own seq 1
    copy["hash"] = __import__("district_helpers").spec_hash(copy["prev_hash"], copy)
    with world.client("XF01") as ca, world.client("XF02", deadline=5) as cb:
        ca.push_entries("points", a.entries)
        reply = cb.push_entries("points", [copy])
    assert reply.head_seq == 0 and reply.stopped
    assert [d["reason"] for d in reply.dead_letters] == ["id_taken"]


def _rows(entries: list[dict]) -> list[tuple]:
    from counter_app.sync.wire import ENTRY_FIELDS

    return [tuple(e.get(f) for f in ENTRY_FIELDS) for e in entries]


def test_staged_rows_are_checked_like_json_a_forgery_stops_and_a_resend_counts_once(world):
    """push_entry_rows (the batch COPYed into a temporary table, as the counter's sync
    sends it) recomputes hashes, stops at a forgery, and a resend on the same connection
    (the staging table emptied by the commit) is counted as duplicates, never twice."""
    m = uuid.uuid4()
    c = Chain("XF01")
    for _ in range(4):
        c.add(m, 10)
    good = _rows(c.entries)
    forged = [dict(e) for e in c.entries]
    forged[2]["delta"] = 90  # hash kept
    with world.client("XF01") as cl:
        reply = cl.push_entry_rows("points", _rows(forged))
        assert (reply.head_seq, reply.stopped, reply.ignored) == (2, True, 1)
        assert [d["reason"] for d in reply.dead_letters] == ["hash_mismatch"]
        assert _balance(world, m) == 20
        reply = cl.push_entry_rows("points", good[2:])
        assert (reply.head_seq, reply.accepted, reply.head_hash) == (4, 2, c.head)
        reply = cl.push_entry_rows("points", good)  # a lost reply: all sent again
        assert (reply.head_seq, reply.accepted, reply.duplicates) == (4, 0, 4)
    assert _balance(world, m) == 40
