"""The local counter as plain data: its settings key and info row, readable through the
ORM (counters.local_counter) or, before the database layer is loaded, through plain
sqlite3 (read_local_counter: backup checks, the log-in screen at start-up). No imports
beyond the standard library."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

LOCAL_COUNTER = "local_counter_id"  # settings key: the id of the counter this file belongs to


@dataclass(frozen=True)
class CounterInfo:
    id: str
    name: str
    community_id: int
    community: str
    community_code: str


LOCAL_COUNTER_SQL = (
    "SELECT c.id, c.name, m.id, m.name, m.code FROM settings s "
    "JOIN counters c ON c.id = s.value JOIN communities m ON m.id = c.community_id "
    "WHERE s.key = :key")


def read_local_counter(con: sqlite3.Connection) -> CounterInfo | None:
    row = con.execute(LOCAL_COUNTER_SQL, {"key": LOCAL_COUNTER}).fetchone()
    return CounterInfo(*row) if row else None
