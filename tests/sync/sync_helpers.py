"""Helpers of the counter-sync tests: a counter configured for a district of the `world`
fixture, joined counters, and the invariants every sync test ends with."""

from __future__ import annotations

import sys
from pathlib import Path

import psycopg
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "district"))

from district_helpers import settle  # noqa: E402

from counter_app import check  # noqa: E402
from counter_app.district.check import district_check, faults  # noqa: E402
from counter_app.sync import credentials, settings  # noqa: E402
from counter_app.sync.connection import account, split_password  # noqa: E402
from counter_app.sync.join import join  # noqa: E402
from counter_app.sync.run import sync_once  # noqa: E402


def isolate_secrets(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("COUNTER_APP_SETTINGS", str(tmp_path / "cfg" / "settings.json"))
    monkeypatch.setenv("COUNTER_APP_NO_KEYRING", "1")


def configure(db, world, counter_id: str) -> None:
    url, password = split_password(world.creds[counter_id].conninfo)
    settings.configure(db, url)
    credentials.store(account(url, counter_id), password)


def joined(world, counter_id: str, path: Path):
    """A counter database made by `join` from the district; returns the opened Database."""
    from counter_app.db import open_database

    settle(world)  # what the others pushed is below the pull horizon
    result = join(path, world.creds[counter_id].conninfo, counter_id)
    assert result.report.ok, result.report.error
    return open_database(path)


def synced(db, world, **kw):
    settle(world)
    report = sync_once(db, **kw)
    assert report.ok, report.error
    return report


def assert_invariants(world, *dbs) -> None:
    """District balances = opening + journal sums, chains whole (district check); every
    counter's check passes; each entry exactly once at the district, equal to the file."""
    findings = faults(district_check(world.url))
    assert not findings, [f"{f.name}: {f.message}" for f in findings]
    with psycopg.connect(world.url) as conn:
        for db in dbs:
            report = check.verify(db)
            assert report.ok, [str(f) for f in report.faults]
            with db.read() as s:
                for journal, table in (("points", "points_journal"), ("stock", "stock_journal")):
                    mine = {r[0]: r[1] for r in s.execute(text(
                        f"SELECT id, hash FROM {table} WHERE counter_id = "
                        f"(SELECT value FROM settings WHERE key = 'local_counter_id')"))}
                    counter_id = s.execute(text("SELECT value FROM settings WHERE key = "
                                                "'local_counter_id'")).scalar()
                    theirs = {str(r[0]): r[1] for r in conn.execute(
                        f"SELECT id, hash FROM {table} WHERE counter_id = %s", (counter_id,))}
                    assert theirs == mine, f"{counter_id} {journal}"


def actors(db, counter_id: str) -> dict:
    """An Actor per role from the operators in the file (pulled ones included)."""
    from counter_app.operators import Actor

    with db.read() as s:
        rows = s.execute(text("SELECT id, name, role FROM operators ORDER BY id")).all()
    out = {}
    for op_id, name, role in rows:
        out.setdefault(role, Actor(op_id, name, role, counter_id))
    return out


def uid_of(db, table: str, rowid: int) -> str:
    with db.read() as s:
        return s.execute(text(f"SELECT uid FROM {table} WHERE rowid = :r"), {"r": rowid}).scalar()


def rowid_of(db, table: str, uid: str) -> int:
    with db.read() as s:
        return s.execute(text(f"SELECT rowid FROM {table} WHERE uid = :u"), {"u": uid}).scalar()


def district_balance(world, member_uid: str) -> int:
    with psycopg.connect(world.url) as conn:
        return conn.execute("SELECT balance FROM balances WHERE member_id = %s",
                            (member_uid,)).fetchone()[0]
