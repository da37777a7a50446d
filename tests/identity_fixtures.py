"""Files as earlier releases wrote them (what migration 0003 added, removed again)."""

from __future__ import annotations

import importlib
import sqlite3

M0003 = importlib.import_module("counter_app.db.migrations.versions.0003_district_identity")


def as_schema_0003(path) -> None:
    """Undo the migrations after 0003 with their own downgrades (Alembic)."""
    from counter_app.db import open_database
    from counter_app.db.migrate import downgrade

    db = open_database(path, migrate=False)
    try:
        downgrade(db, "0003")
    finally:
        db.dispose()


def as_schema_0002(path) -> None:
    """Remove what 0003 added: uids, versions, outbox, sync state, card numbers, uid
    columns of the journals (a file of the 0002 release)."""
    as_schema_0003(path)
    con = sqlite3.connect(path, isolation_level=None)
    for table in M0003.REGISTERS:  # triggers first: they read other tables' uids
        for suffix in M0003.TRIGGER_SUFFIXES:
            con.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")
    for table in M0003.REGISTERS:
        con.execute(f"DROP INDEX uq_{table}_uid")
        con.execute(f"ALTER TABLE {table} DROP COLUMN version")
        con.execute(f"ALTER TABLE {table} DROP COLUMN uid")
    for table in ("outbox", "sync_state", "outbox_acked", "card_numbers"):
        con.execute(f"DROP TABLE {table}")
    for table in ("points_journal", "stock_journal"):
        con.execute(f"ALTER TABLE {table} DROP COLUMN subject_uid")
        con.execute(f"ALTER TABLE {table} DROP COLUMN operator_uid")
    con.execute("UPDATE alembic_version SET version_num = '0002'")
    con.close()
