"""Many counters at once, and the client's retries: serialization failures, a backend
terminated mid-transaction, a server that does not answer within the deadline."""

from __future__ import annotations

import random
import threading
import time
import uuid

import pytest

from counter_app.district.check import district_check, faults
from counter_app.district.client import DistrictClient
from counter_app.district.errors import SyncDeadline
from counter_app.district.roles import add_counter
from district_helpers import Chain


def _deadlocks(world) -> int:
    with world.admin() as conn:
        return conn.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = %s",
                            (world.db.name,)).fetchone()[0]


def test_fifty_counters_push_at_once_without_deadlock(world):
    ids = [f"XC{i:02d}" for i in range(50)]
    creds = {cid: add_counter(world.url, "XF", cid, cid) for cid in ids}
    members = [uuid.uuid4() for _ in range(12)]  # shared: every counter touches them all
    rng = random.Random(8)
    chains = {}
    for cid in ids:
        chain = Chain(cid)
        for _ in range(60):
            chain.add(rng.choice(members), rng.choice((5, 10, -3, -7)))
        chains[cid] = chain
    before = _deadlocks(world)
    start, errors = threading.Barrier(len(ids)), []

    def push(cid):
        try:
            with DistrictClient(creds[cid].conninfo, deadline=120) as cl:
                start.wait()
                entries = chains[cid].entries
                for i in range(0, len(entries), 15):
                    cl.push_entries("points", entries[i:i + 15])
                assert cl.head("points") == (60, chains[cid].head)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append((cid, exc))

    threads = [threading.Thread(target=push, args=(cid,)) for cid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _deadlocks(world) == before
    expected = {m: 0 for m in members}
    for chain in chains.values():
        for e in chain.entries:
            expected[uuid.UUID(e["subject"])] += e["delta"]
    with world.admin() as conn:
        got = dict(conn.execute("SELECT member_id, balance FROM balances").fetchall())
        assert conn.execute("SELECT count(*) FROM points_journal").fetchone() == (3000,)
    assert got == expected
    assert faults(district_check(world.url)) == []


def _blocked_pusher(world, member, counter_id="XF01"):
    """Hold member's balance row in an admin transaction, start a push that needs it, and
    return (admin connection, thread, client, result) once the push waits on the lock."""
    chain = Chain(counter_id)
    chain.add(member, 10)
    result = {}
    client = world.client(counter_id, deadline=60)

    def run():
        try:
            result["reply"] = client.push_entries("points", chain.entries)
        except BaseException as exc:  # noqa: BLE001
            result["error"] = exc

    admin = world.admin()
    admin.execute("UPDATE balances SET updated_at = now() WHERE member_id = %s", (member,))
    thread = threading.Thread(target=run)
    thread.start()
    role = world.creds[counter_id].role
    with world.admin(autocommit=True) as watch:  # activity is snapshotted per transaction
        for _ in range(400):
            row = watch.execute("SELECT pid FROM pg_stat_activity WHERE usename = %s "
                                "AND wait_event_type = 'Lock'", (role,)).fetchone()
            if row:
                return admin, thread, client, result, row[0]
            time.sleep(0.05)
    raise AssertionError("the push never waited on the lock")


def _seed_balance(world, member):
    seed = Chain("XF02")
    seed.add(member, 100)
    with world.client("XF02") as cl:
        cl.push_entries("points", seed.entries)


def test_a_serialization_failure_is_retried(world):
    member = uuid.uuid4()
    _seed_balance(world, member)
    with world.admin(autocommit=True) as conn:
        conn.execute(f'ALTER ROLE "{world.creds["XF01"].role}" '
                     "SET default_transaction_isolation = 'repeatable read'")
    admin, thread, client, result, _pid = _blocked_pusher(world, member)
    admin.commit()  # the push's snapshot is older than this update: 40001, then a retry
    thread.join(60)
    admin.close()
    client.close()
    assert "error" not in result, result.get("error")
    assert result["reply"].head_seq == 1
    assert client.attempts == 2
    with world.admin() as conn:
        assert conn.execute("SELECT balance FROM balances WHERE member_id = %s",
                            (member,)).fetchone() == (110,)


def test_a_backend_terminated_mid_transaction_is_retried_and_nothing_half_written(world):
    member = uuid.uuid4()
    _seed_balance(world, member)
    admin, thread, client, result, pid = _blocked_pusher(world, member)
    with world.admin(autocommit=True) as killer:
        killer.execute("SELECT pg_terminate_backend(%s)", (pid,))
    time.sleep(0.3)
    admin.rollback()  # the lock goes; the retried push gets through
    thread.join(60)
    admin.close()
    client.close()
    assert "error" not in result, result.get("error")
    assert client.attempts >= 2
    with world.admin() as conn:
        assert conn.execute("SELECT balance FROM balances WHERE member_id = %s",
                            (member,)).fetchone() == (110,)
        assert conn.execute("SELECT count(*) FROM points_journal WHERE counter_id = 'XF01'"
                            ).fetchone() == (1,)


def test_an_unreachable_district_fails_within_the_deadline():
    with socket_nobody_listens() as port:
        client = DistrictClient(f"postgresql://nobody@127.0.0.1:{port}/x", deadline=1.5,
                                connect_timeout=1, max_wait=0.2)
        started = time.monotonic()
        with pytest.raises(SyncDeadline):
            client.head("points")
    assert time.monotonic() - started < 10
    assert client.attempts >= 2  # it did retry


class socket_nobody_listens:
    """A port that was free a moment ago: connections to it are refused."""

    def __enter__(self) -> int:
        import socket

        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        return self.port

    def __exit__(self, *exc) -> None:
        pass


def test_the_same_counter_pushing_from_two_processes_at_once_counts_once(world):
    member = uuid.uuid4()
    chain = Chain("XF01")
    for _ in range(120):
        chain.add(member, 1)
    start, errors = threading.Barrier(2), []

    def push():
        try:
            with world.client("XF01") as cl:
                start.wait()
                for i in range(0, 120, 20):
                    cl.push_entries("points", chain.entries[i:i + 20])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=push) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with world.admin() as conn:
        assert conn.execute("SELECT count(*), sum(delta) FROM points_journal").fetchone() == (120, 120)
        assert conn.execute("SELECT balance FROM balances").fetchone() == (120,)
