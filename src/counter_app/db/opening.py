"""A counter database being opened on the database worker while the log-in screen shows.

``open()`` runs on the worker (importing SQLAlchemy and the models, checking the schema);
work queued after it on the same one-thread worker (the PIN check) gets the database with
``resolve(db)``. No imports here: the GUI holds this before the database layer is loaded.
"""

from __future__ import annotations

from pathlib import Path


class OpeningDatabase:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.db = None  # the Database, once open() succeeded
        self.counter = None  # counters.local_counter of it
        self.error: BaseException | None = None

    def open(self):
        """On the database worker: the Database and its local counter (once)."""
        if self.db is not None:
            return self.db
        if self.error is not None:
            raise self.error
        try:
            from counter_app.counters import local_counter
            from counter_app.db import open_database

            db = open_database(self.path)
            self.counter = local_counter(db)
            self.db = db
            return db
        except BaseException as exc:
            self.error = exc
            raise

    def result(self):
        """On the worker: the Database, opening it now if that was not queued first."""
        return self.open()


def resolve(db):
    """The Database behind ``db`` (an OpeningDatabase or a Database)."""
    return db.result() if isinstance(db, OpeningDatabase) else db
