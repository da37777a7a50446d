"""Storage: engine set-up, ORM models and migrations.

``Database``, ``open_database`` and ``open_readonly`` load on first use: importing a
light submodule (db.readonly, db.migrate, db.app_lock) does not import SQLAlchemy.
"""

__all__ = ["Database", "open_database", "open_readonly"]


def __getattr__(name: str):
    if name in __all__:
        from counter_app.db import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
