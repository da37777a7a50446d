"""district_check: a clean district passes; each kind of damage is found and named."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from counter_app.district.check import district_check, faults
from district_helpers import Chain


def _names(url):
    return sorted(f.name for f in faults(district_check(url)))


def _busy_world(world):
    m, rice = uuid.uuid4(), uuid.uuid4()
    p, s = Chain("XF01"), Chain("XF01", "stock")
    for delta in (30, -10, 5):
        p.add(m, delta)
    s.add(rice, 10, "restock")
    s.add(rice, -1, "redeem")
    q = Chain("XF02")
    q.add(m, 7)
    with world.client("XF01") as a, world.client("XF02") as b:
        a.push_entries("points", p.entries)
        a.push_entries("stock", s.entries)
        b.push_entries("points", q.entries)
    return m, rice, p


def _tamper(world, statement, params=()):
    """What an intruder with the owner's password could do: triggers off, then edit."""
    with world.admin() as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(statement, params)


def test_a_clean_district_passes(world):
    _busy_world(world)
    assert faults(district_check(world.url)) == []


def test_an_edited_entry_is_a_hash_mismatch_and_a_balance_mismatch(world):
    m, _rice, p = _busy_world(world)
    _tamper(world, "UPDATE points_journal SET delta = 300 WHERE id = %s", (p.entries[0]["id"],))
    assert _names(world.url) == ["balance_mismatch", "hash_mismatch"]


def test_a_removed_entry_is_a_gap_a_break_and_a_head_mismatch(world):
    _m, _rice, p = _busy_world(world)
    _tamper(world, "DELETE FROM points_journal WHERE id = %s", (p.entries[1]["id"],))
    assert _names(world.url) == ["balance_mismatch", "chain_break", "seq_gap"]
    _tamper(world, "DELETE FROM points_journal WHERE id = %s", (p.entries[2]["id"],))
    assert "head_mismatch" in _names(world.url)


def test_stock_levels_must_equal_the_stock_journal(world):
    _m, rice, _p = _busy_world(world)
    _tamper(world, "UPDATE stock_levels SET qty = qty + 1 WHERE item_id = %s", (rice,))
    assert _names(world.url) == ["stock_mismatch"]


def test_reversals_of_foreign_or_twice_reversed_entries(world):
    m = uuid.uuid4()
    a, b = Chain("XF01"), Chain("XF02")
    earn = a.add(m, 10)
    b.add(m, -10, "reverse", reverses_id=earn["id"])  # XF02 reverses XF01's entry
    a.add(m, -10, "reverse", reverses_id=earn["id"])
    with world.client("XF01") as ca, world.client("XF02") as cb:
        ca.push_entries("points", a.entries)
        cb.push_entries("points", b.entries)  # kept: the push never stalls on it
    assert _names(world.url) == ["double_reversal", "foreign_reversal"]


def test_dead_letters_are_faults_and_overdrafts_are_listed(world):
    m = uuid.uuid4()
    a = Chain("XF01")
    a.add(m, 5)
    a.add(m, -20)
    with world.client("XF01") as cl:
        cl.push_entries("points", a.entries)
        cl.push_entries("points", [dict(a.entries[0], note="改过")])
    findings = district_check(world.url)
    assert [f.name for f in faults(findings)] == ["dead_letter"]
    [overdraft] = [f for f in findings if f.name == "overdraft"]
    assert overdraft.severity == "notice" and "-15" in overdraft.message


def test_check_reads_one_snapshot_while_counters_push(world):
    """A push committing during the check does not show as a half-applied balance."""
    m = uuid.uuid4()
    a = Chain("XF01")
    for _ in range(50):
        a.add(m, 1)
    with world.client("XF01") as cl:
        cl.push_entries("points", a.entries[:25])
        with psycopg.connect(world.creds["XF01"].conninfo) as slow:
            from counter_app.district.client import as_jsonb
            slow.execute("SELECT push_entries('points', %s)", (as_jsonb(a.entries[25:]),))
            assert faults(district_check(world.url)) == []
    assert faults(district_check(world.url)) == []


def test_a_counter_is_never_deleted_and_entries_of_an_unknown_counter_are_named(world):
    """d0011: the journals have no foreign key to counters; what it kept, the trigger
    counters_kept and district check keep."""
    _busy_world(world)
    with world.admin() as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute("DELETE FROM counters WHERE id = 'XF02'")
    assert refused.value.sqlstate == "CA010" and "never deleted" in str(refused.value)
    _tamper(world, "UPDATE points_journal SET counter_id = 'ZZ09' WHERE counter_id = 'XF02'")
    found = [f for f in faults(district_check(world.url)) if f.name == "unknown_counter"]
    assert [(f.counter_id, f.message) for f in found] == [
        ("ZZ09", "积分流水中有 1 条属于未登记的柜台 ZZ09")]
