"""SQLite engine with the durability settings the counter relies on.

* WAL + ``synchronous=FULL``: NORMAL may lose the last commits on power loss.
* Write transactions start with ``BEGIN IMMEDIATE`` (pysqlite's deferred BEGIN
  upgrades to a write lock late and fails with "database is locked" under
  contention). Reads keep a deferred BEGIN so they never wait on a writer.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool
from sqlalchemy.orm import Session, sessionmaker

from counter_app.db.readonly import BUSY_TIMEOUT_MS, connect_readonly  # noqa: F401  (re-exported)
from counter_app.errors import InvalidInput


def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", future=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy's "begin" event emit BEGIN itself (documented pysqlite recipe).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


class Database:
    """One counter database file. ``read()`` and ``write()`` hand out sessions."""

    def __init__(self, path: Path | str, *, engine: Engine | None = None,
                 read_only: bool = False):
        self.path = Path(path)
        self.engine = engine or _sqlite_engine(self.path)
        self.read_only = read_only
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session:  # close() ends the read transaction
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One BEGIN IMMEDIATE transaction: commits on success, rolls back on any error."""
        if self.read_only:
            raise InvalidInput(detail=f"{self.path} 以只读方式打开，不能写入")
        with self._writer() as session:
            with session.begin():
                yield session

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(path: Path | str, *, migrate: bool = True) -> Database:
    """Open (creating if needed) a counter database, bringing its schema up to date."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path)
    if migrate:
        from counter_app.db.migrate import upgrade

        upgrade(db)
    return db


def open_readonly(path: Path | str) -> Database:
    """Open a database file only to read it (check, backup verification, restore's
    pre-check): ``mode=ro``, no journal-mode change, no migration, so its bytes stay
    as they are; works on read-only media. ``write()`` on it raises InvalidInput."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(detail=f"数据库 {path} 不存在")

    def connect():
        con = connect_readonly(path)
        con.isolation_level = None
        con.execute("PRAGMA query_only=ON")
        return con

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool, future=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN")

    return Database(path, engine=engine, read_only=True)
