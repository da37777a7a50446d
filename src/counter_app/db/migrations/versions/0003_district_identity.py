"""district-wide keys, versions and the outbox; journals hash uids (format 3)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

* ``uid`` (UUIDv7 text) on every register row another counter or the district must know.
  Existing rows get fresh uuid7s here; new rows get one from the model default
  (``ids.uuid7``). SQLite cannot ADD a NOT NULL UNIQUE column without rebuilding the table
  (and rebuilding tables other tables point at, with foreign keys on, is fragile), so:
  ADD COLUMN, fill, a UNIQUE index, and triggers that refuse a NULL or a changed uid —
  the same for fresh and upgraded files.
* ``version`` INTEGER NOT NULL DEFAULT 1 on the same registers.
* ``outbox``: one row per change of a register row, written by triggers in the same
  transaction as the change (so no call site, ORM, Core or raw SQL, can forget one, and a
  rolled-back change leaves none). An UPDATE that changes a synced column bumps ``version``
  (unless the statement set a higher one itself). Payloads carry uids, never local rowids.
  Per-counter state (failed PIN count, lock-out) is not synced and makes no outbox row.
* ``sync_state`` (per counter and journal: highest sequence the district acknowledged and
  its hash) and ``outbox_acked`` (highest outbox seq acknowledged) live beside the
  append-only journals, never on their rows.
* ``card_numbers``: the next card number of each counter (card_codes), moved in the same
  transaction as the card insert.
* Journals: ``subject_uid`` / ``operator_uid`` (the member/item and operator uids the
  format-3 hash covers). The append-only triggers of 0001/0002 cover every column.
"""

from alembic import op
import sqlalchemy as sa

from counter_app.db.outbox_ddl import (LOCAL_COMMUNITY, TRIGGER_SUFFIXES,  # noqa: F401
                                        register_triggers)
from counter_app.ids import uuid7


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# Settings shared by a whole community (synced); every other key is this counter's own.
COMMUNITY_SETTINGS = ("redemption_window",)

# table -> (synced columns, {foreign-key column: parent table}, community expression or None)
# Frozen here: a later migration that changes a register replaces its triggers.
REGISTERS = {
    "streets": (("name",), {}, None),
    "communities": (("code", "name"), {"street_id": "streets"}, "r.uid"),
    "compounds": (("name",), {"community_id": "communities"}, None),
    "buildings": (("name",), {"compound_id": "compounds"}, LOCAL_COMMUNITY),
    "units": (("name",), {"building_id": "buildings"}, LOCAL_COMMUNITY),
    "households": (("room",), {"unit_id": "units"}, LOCAL_COMMUNITY),
    "members": (("kind", "category", "name", "phone", "id_number", "birth_date", "work_unit",
                 "address", "card_code", "status", "created_at"),
                {"community_id": "communities", "household_id": "households",
                 "compound_id": "compounds"}, None),
    "member_cards": (("code", "status", "issued_at"), {"member_id": "members"},
                     LOCAL_COMMUNITY),
    "exchange_items": (("kind", "category", "name", "unit", "points", "tracks_stock",
                        "merchant", "limit_qty", "limit_period", "min_age", "active"),
                       {"community_id": "communities"}, None),
    "item_barcodes": (("code",), {"item_id": "exchange_items"}, LOCAL_COMMUNITY),
    "point_categories": (("scheme", "name"), {}, LOCAL_COMMUNITY),
    "point_items": (("name", "points", "active"), {"category_id": "point_categories"},
                    LOCAL_COMMUNITY),
    "operators": (("name", "role", "pin_hash", "active"), {}, LOCAL_COMMUNITY),
    "settings": (("key", "value"), {}, LOCAL_COMMUNITY),
}
# Which rows of a table are synced at all (settings: only the community-wide keys).
ROW_FILTER = {"settings": "NEW.key IN (" + ", ".join(f"'{k}'" for k in COMMUNITY_SETTINGS)
                          + ")"}
def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("row_uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sqlite_autoincrement=True,  # a seq is never reused, even after the newest is pruned
    )
    op.create_index("ix_outbox_row", "outbox", ["table_name", "row_uid"])
    op.create_table(
        "sync_state",
        sa.Column("counter_id", sa.String(length=16), nullable=False),
        sa.Column("journal", sa.String(length=16), nullable=False),
        sa.Column("acked_seq", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("acked_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"]),
        sa.PrimaryKeyConstraint("counter_id", "journal"),
    )
    op.create_table(
        "outbox_acked",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("acked_seq", sa.Integer(), nullable=False, server_default="0"),
        sa.CheckConstraint("id = 1", name="ck_outbox_acked_single_row"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO outbox_acked (id, acked_seq) VALUES (1, 0)")
    op.create_table(
        "card_numbers",
        sa.Column("counter_id", sa.String(length=16), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False, server_default="0"),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"]),
        sa.PrimaryKeyConstraint("counter_id"),
    )
    conn = op.get_bind()
    for table in REGISTERS:
        op.execute(f"ALTER TABLE {table} ADD COLUMN uid VARCHAR(36)")
        op.execute(f"ALTER TABLE {table} ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
        rowids = [r[0] for r in conn.exec_driver_sql(f"SELECT rowid FROM {table} ORDER BY rowid")]
        if rowids:
            conn.exec_driver_sql(f"UPDATE {table} SET uid = ? WHERE rowid = ?",
                                 [(uuid7(), rowid) for rowid in rowids])
        op.execute(f"CREATE UNIQUE INDEX uq_{table}_uid ON {table} (uid)")
        for ddl in register_triggers(table, REGISTERS[table], ROW_FILTER.get(table)):
            op.execute(ddl)
    for table in ("points_journal", "stock_journal"):
        # ADD COLUMN is not an UPDATE: the append-only triggers stay as they are and
        # keep refusing any UPDATE, of these columns too.
        op.execute(f"ALTER TABLE {table} ADD COLUMN subject_uid VARCHAR(36)")
        op.execute(f"ALTER TABLE {table} ADD COLUMN operator_uid VARCHAR(36)")


def downgrade() -> None:
    for table in ("points_journal", "stock_journal"):
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
        op.execute(f"ALTER TABLE {table} DROP COLUMN operator_uid")
        op.execute(f"ALTER TABLE {table} DROP COLUMN subject_uid")
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
    for table in REGISTERS:  # triggers first: they read other tables' uids
        for suffix in TRIGGER_SUFFIXES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")
    for table in REGISTERS:
        op.execute(f"DROP INDEX IF EXISTS uq_{table}_uid")
        op.execute(f"ALTER TABLE {table} DROP COLUMN version")
        op.execute(f"ALTER TABLE {table} DROP COLUMN uid")
    op.drop_table("card_numbers")
    op.drop_table("outbox_acked")
    op.drop_table("sync_state")
    op.drop_index("ix_outbox_row", table_name="outbox")
    op.drop_table("outbox")
