"""Storage: engine set-up, ORM models and migrations."""

from counter_app.db.engine import Database, open_database, open_readonly

__all__ = ["Database", "open_database", "open_readonly"]
