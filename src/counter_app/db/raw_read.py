"""Reading a counter database through plain sqlite3 with the few Result methods the
read-only checks use (``execute(text(sql), params)``, iteration, ``first``, ``scalar``,
``all``, ``yield_per``), so ``counter-app check`` never imports SQLAlchemy (~0.4 s of
its start). Rows are named tuples: ``row.column`` and ``row[0]`` both work.

SQL is SQLite's own, with ``:name`` parameters (which sqlite3 binds natively).
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator


def text(sql: str) -> str:
    """Marks SQL the way sqlalchemy.text does; here the string is used as it is."""
    return sql


@lru_cache(maxsize=256)
def _row_class(names: tuple[str, ...]):
    return namedtuple("Row", names, rename=True)


def _row_factory(cursor: sqlite3.Cursor, row: tuple):
    return _row_class(tuple(d[0] for d in cursor.description))._make(row)


class RawResult:
    def __init__(self, cursor: sqlite3.Cursor):
        self._cursor = cursor

    def __iter__(self):
        return iter(self._cursor)

    def yield_per(self, _n: int) -> RawResult:
        return self  # sqlite3 cursors already stream

    def first(self):
        return self._cursor.fetchone()

    def scalar(self):
        row = self._cursor.fetchone()
        return None if row is None else row[0]

    def all(self) -> list:
        return self._cursor.fetchall()


class RawSession:
    """One read transaction (one snapshot) on a sqlite3 connection."""

    def __init__(self, con: sqlite3.Connection):
        self.con = con

    def execute(self, sql: str, params: dict | None = None) -> RawResult:
        return RawResult(self.con.execute(sql, params or {}))


@contextmanager
def read_only_session(path: Path) -> Iterator[RawSession]:
    """``mode=ro``, ``query_only``, one deferred read transaction: what open_readonly
    gives, without SQLAlchemy."""
    from counter_app.db.readonly import connect_readonly

    con = connect_readonly(Path(path))
    try:
        con.isolation_level = None
        con.execute("PRAGMA query_only=ON")
        con.row_factory = _row_factory
        con.execute("BEGIN")
        yield RawSession(con)
        con.execute("ROLLBACK")
    finally:
        con.close()
