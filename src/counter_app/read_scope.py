"""Core read functions take a Session (inside a caller's transaction) or the Database
(they open their own read transaction): the UI's worker, the CLI and tests call the same."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy.orm import Session


@contextmanager
def reading(session_or_db) -> Iterator[Session]:
    if isinstance(session_or_db, Session):
        yield session_or_db
    else:
        with session_or_db.read() as session:
            yield session
