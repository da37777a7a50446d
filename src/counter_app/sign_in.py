"""What the log-in screen shows: the active operators and when this counter last synced.

One read, for the GUI to run on its database worker (and for a kiosk or CLI alike).
``read_start`` reads the same through plain sqlite3 before the database layer is loaded,
so the window can show the log-in at once and load the rest while the PIN is typed."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from counter_app.counter_info import CounterInfo, read_local_counter

LAST_SYNC = "last_sync"


@dataclass(frozen=True)
class SignInScreen:
    operators: list[tuple[int, str, str]]  # (id, name, role), active ones, by id
    last_sync: str | None


def last_sync(db) -> str | None:
    with db.read() as s:
        return last_sync_in(s)


def last_sync_in(session) -> str | None:
    """When this counter last synced with the district, local wall clock (the end of its
    newest successful sync run); else the ``last_sync`` setting an older file may hold.
    (Trial: the day report said 从未 on a counter synced from the command line.)"""
    from datetime import datetime

    from sqlalchemy import text

    from counter_app.localtime import to_local

    finished = session.execute(text(
        "SELECT max(finished_at) FROM sync_runs WHERE ok")).scalar()
    if finished:
        return to_local(datetime.fromisoformat(finished)).strftime("%Y-%m-%d %H:%M")
    return session.execute(text("SELECT value FROM settings WHERE key = :k"),
                           {"k": LAST_SYNC}).scalar()


def sign_in_screen(db) -> SignInScreen:
    from counter_app import operators

    return SignInScreen(operators.list_operators(db), last_sync(db))


@dataclass(frozen=True)
class StartScreen:
    counter: CounterInfo
    screen: SignInScreen


def read_start(path: Path) -> StartScreen | None:
    """The log-in screen of a counter database that is ready to use as it is: it exists,
    its schema is at the head of this program's migrations and it has a local counter.
    None otherwise (a new file, one to migrate, one without a counter, not a database):
    then the caller opens it the full way, which explains or repairs."""
    from counter_app.db.migrate import script_head
    from counter_app.db.readonly import connect_readonly

    path = Path(path)
    if not path.is_file():
        return None
    try:
        con = connect_readonly(path)
    except sqlite3.Error:
        return None
    try:
        version = con.execute("SELECT version_num FROM alembic_version").fetchone()
        if version is None or version[0] != script_head():
            return None
        counter = read_local_counter(con)
        if counter is None:
            return None
        operators = [tuple(r) for r in con.execute(
            "SELECT id, name, role FROM operators WHERE active = 1 ORDER BY id")]
        synced = con.execute("SELECT value FROM settings WHERE key = :k",
                             {"k": LAST_SYNC}).fetchone()
        return StartScreen(counter, SignInScreen(operators, synced[0] if synced else None))
    except sqlite3.Error:
        return None
    finally:
        con.close()
