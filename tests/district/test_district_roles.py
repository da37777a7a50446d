"""A counter's role: it logs in, calls the API and nothing else. Real PostgreSQL errors."""

from __future__ import annotations

import json
import stat
import uuid

import psycopg
import pytest
from psycopg import errors

from counter_app.district.errors import CounterExists, UnknownCommunity
from counter_app.district.roles import add_counter
from district_helpers import Chain, member


def _pushed(world):
    c = Chain("XF01")
    c.add(uuid.uuid4(), 10)
    with world.client("XF01") as cl:
        cl.push_entries("points", c.entries)
    return c.entries[0]


@pytest.mark.parametrize("statement, denied", [
    ("UPDATE points_journal SET delta = 1000", "table points_journal"),
    ("DELETE FROM points_journal", "table points_journal"),
    ("TRUNCATE points_journal", "table points_journal"),
    ("SELECT * FROM points_journal", "table points_journal"),
    ("SELECT * FROM members", "table members"),
    ("UPDATE balances SET balance = 1000000", "table balances"),
    ("UPDATE counter_heads SET last_seq = 0", "table counter_heads"),
    ("DELETE FROM dead_letters", "table dead_letters"),
    ("INSERT INTO points_journal (id, counter_id, seq, subject, delta, kind, created_at, "
     "hash_format, prev_hash, hash) VALUES (gen_random_uuid(), 'XF02', 1, gen_random_uuid(), "
     "5, 'earn', now(), 1, 'x', 'y')", "table points_journal"),
    ("CREATE TABLE mine (x int)", "schema public"),
    # internal functions are not the API, harmless ones included
    ("SELECT apply_points('XF02', gen_random_uuid(), 0, 100)", "function apply_points"),
    ("SELECT record_dead_letter('XF02', 'points', NULL, NULL, '{}', NULL, 'x')",
     "function record_dead_letter"),
    ("SELECT xid8_next('1'::xid8)", "function xid8_next"),
    ("SELECT caller_counter()", "function caller_counter"),
])
def test_forbidden_operations_fail_with_permission_errors(world, statement, denied):
    _pushed(world)
    with world.connect_as("XF01") as conn:
        with pytest.raises(errors.InsufficientPrivilege, match=f"permission denied for {denied}"):
            conn.execute(statement)


def test_the_journal_is_append_only_even_for_the_owner(world):
    entry = _pushed(world)
    with world.admin() as conn:
        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute("UPDATE points_journal SET delta = 99 WHERE id = %s", (entry["id"],))


def test_another_district_personal_data_stays_out_of_reach(world):
    with world.client("XF01") as a:
        a.push_registers([member(world.communities["XF"], "本区的人", id_number="110101195001011234")])
    with world.connect_as("QT01") as conn:
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("SELECT name, id_number FROM members")
    with world.connect_as("QT01") as conn:
        rows = conn.execute("SELECT pull(NULL, 1000)").fetchone()[0]["rows"]
    assert rows == []


def test_a_login_role_that_is_not_a_counter_is_refused(world):
    with world.admin(autocommit=True) as conn:
        role = f"{world.db.name}_intruder"
        conn.execute(f'CREATE ROLE "{role}" LOGIN IN ROLE "{world.db.name}_counters"')
    dsn = world.creds["XF01"].conninfo.replace(world.creds["XF01"].role, role)
    with psycopg.connect(dsn) as conn:
        with pytest.raises(errors.InsufficientPrivilege, match="not a counter"):
            conn.execute("SELECT head('points')")


def test_credentials_file_is_0600_and_never_overwritten(world, tmp_path):
    creds = add_counter(world.url, "XF", "XF09", "第九柜台")
    path = tmp_path / "xf09.json"
    creds.write(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = json.loads(path.read_text("utf-8"))
    assert saved["role"] == creds.role and saved["password"] == creds.password
    with pytest.raises(FileExistsError):
        creds.write(path)
    with psycopg.connect(saved["conninfo"]) as conn:
        assert conn.execute("SELECT head('points')").fetchone()[0]["counter_id"] == "XF09"


def test_add_counter_refuses_unknown_community_and_duplicates(world):
    with pytest.raises(UnknownCommunity, match="ZZ"):
        add_counter(world.url, "ZZ", "ZZ01", "无")
    with pytest.raises(CounterExists):
        add_counter(world.url, "XF", "XF01", "重复")
    with world.admin() as conn:  # nothing half-made: one counter row, one role
        assert conn.execute("SELECT count(*) FROM counters WHERE id = 'XF01'").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM pg_roles WHERE rolname LIKE %s",
                            (f"{world.db.name}_zz01",)).fetchone() == (0,)
