"""The engine's guarantees, each with a test that fails when it is broken (issue 7, D)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from counter_app import check, ledger, redemption
from counter_app.db import open_database
from counter_app.db.engine import BUSY_TIMEOUT_MS
from counter_app.db.models import ExchangeItem
from counter_app.errors import InvalidInput, InsufficientPoints
from counter_app.redemption import CartLine

SRC = str(Path(__file__).resolve().parents[1] / "src")
WORKER = str(Path(__file__).with_name("contention_worker.py"))
PRAGMAS = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1,
           "busy_timeout": BUSY_TIMEOUT_MS}


def _pragmas(conn) -> dict:
    return {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in PRAGMAS}


def test_every_new_connection_has_the_durability_pragmas(counter):
    engine = counter.db.engine
    conns = [engine.connect() for _ in range(3)]  # three at once: three new connections
    try:
        assert len({id(c.connection.dbapi_connection) for c in conns}) == 3
        for conn in conns:
            assert _pragmas(conn) == PRAGMAS
    finally:
        for conn in conns:
            conn.close()
    with counter.db.read() as s:
        assert _pragmas(s.connection()) == PRAGMAS
    with counter.db.write() as s:
        assert _pragmas(s.connection()) == PRAGMAS


def test_a_write_transaction_takes_the_write_lock_at_begin(counter):
    other = sqlite3.connect(counter.db.path, timeout=0, isolation_level=None)
    try:
        with counter.db.write() as s:
            s.execute(text("SELECT 1")).all()  # no write yet: only BEGIN IMMEDIATE locks
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released at commit
        other.execute("ROLLBACK")
        with counter.db.read() as s:  # reads do not block a writer
            s.execute(text("SELECT 1")).all()
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_two_processes_checking_out_at_once_never_see_database_locked(counter):
    members = [counter.member(f"会员{i}") for i in range(2)]
    for mid in members:
        ledger.adjust(counter.db, counter.admin, mid, 1000, "并发测试")
    n = 40
    env = {**os.environ, "PYTHONPATH": SRC}
    procs = [subprocess.Popen([sys.executable, WORKER, str(counter.db.path), str(counter.haircut),
                               str(mid), str(n)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for mid in members]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready"
        for p in procs:  # go together
            p.stdin.write("go\n")
            p.stdin.flush()
        outcomes = [p.communicate(timeout=300) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert [out.strip() for out, _err in outcomes] == [f"done {n}"] * 2, outcomes
    with counter.db.read() as s:
        assert s.execute(text("SELECT COUNT(*) FROM redemptions")).scalar() == 2 * n
    assert check.verify(counter.db).ok


def _everything(counter) -> dict:
    with counter.db.read() as s:
        return {t: s.execute(text(f"SELECT * FROM {t} ORDER BY 1, 2")).all() for t in (
            "points_journal", "points_accounts", "journal_heads", "audit_log", "stock_levels",
            "stock_journal", "redemptions", "redemption_lines")}


class _Boom(Exception):
    pass


def test_an_error_inside_a_write_after_a_write_leaves_nothing_behind(counter):
    mid = counter.member(points=10)
    before = _everything(counter)
    with pytest.raises(_Boom):
        with counter.db.write() as s:
            ledger.append(s, counter.admin, mid, 5, "adjustment", note="会被撤回")
            assert s.execute(text("SELECT balance FROM points_accounts WHERE member_id = :m"),
                             {"m": mid}).scalar() == 15  # the write had happened
            raise _Boom()
    assert _everything(counter) == before
    # a checkout failing half-way (points taken, then not enough points on the next entry)
    with pytest.raises(InsufficientPoints):
        with counter.db.write() as s:
            ledger.append(s, counter.admin, mid, -10, "adjustment", note="第一笔")
            ledger.append(s, counter.admin, mid, -10, "adjustment", note="第二笔")
    assert _everything(counter) == before
    assert check.verify(counter.db).ok


def test_checkout_refuses_a_total_changed_since_the_member_agreed(counter):
    mid = counter.member(points=50)
    cart = [CartLine(counter.rice, 1), CartLine(counter.soap, 2)]
    with counter.db.read() as s:
        agreed = redemption.validate_cart(s, counter.info.id, mid, cart)
    assert agreed == 30
    with counter.db.write() as s:  # the price changes while the member is deciding
        s.get(ExchangeItem, counter.rice).points = 25
    before = _everything(counter)
    with pytest.raises(InvalidInput, match="价格有变化：现在共 35 分，确认时是 30 分"):
        redemption.checkout(counter.db, counter.volunteer, mid, cart, expected_total=agreed)
    assert _everything(counter) == before
    receipt = redemption.checkout(counter.db, counter.volunteer, mid, cart, expected_total=35)
    assert receipt.total == 35
