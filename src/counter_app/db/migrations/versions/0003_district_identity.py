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

from counter_app.ids import uuid7


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# The local counter's community: the community of a register row that has no column for it.
LOCAL_COMMUNITY = ("(SELECT c.uid FROM communities c JOIN counters k ON k.community_id = c.id "
                   "JOIN settings s ON s.key = 'local_counter_id' AND s.value = k.id)")
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
OLD_ROW_FILTER = {t: f.replace("NEW.", "OLD.") for t, f in ROW_FILTER.items()}
NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"


def _payload(table: str) -> str:
    columns, parents, community = REGISTERS[table]
    pairs = ["'uid', r.uid", "'version', r.version"]
    pairs += [f"'{c}', r.{c}" for c in columns]
    pairs += [f"'{c}', (SELECT p.uid FROM {p} p WHERE p.id = r.{c})" for c, p in parents.items()]
    if community is not None and "community_id" not in parents:
        pairs.append(f"'community_id', {community}")
    return "json_object(" + ", ".join(pairs) + ")"


def _outbox_insert(table: str) -> str:
    return (f"INSERT INTO outbox (table_name, row_uid, version, payload, created_at) "
            f"SELECT '{table}', r.uid, r.version, {_payload(table)}, {NOW} "
            f"FROM {table} r WHERE r.rowid = NEW.rowid;")


def _when(table: str, extra: str | None) -> str:
    conds = [c for c in (ROW_FILTER.get(table), extra) if c]
    return f"WHEN {' AND '.join(f'({c})' for c in conds)} " if conds else ""


def _triggers(table: str) -> list[str]:
    columns, parents, _ = REGISTERS[table]
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in (*columns, *parents))
    return [
        # uid: present at birth, never changed (it is what the district knows the row by).
        f"CREATE TRIGGER {table}_uid_required BEFORE INSERT ON {table} WHEN NEW.uid IS NULL "
        f"BEGIN SELECT RAISE(ABORT, 'NOT NULL constraint failed: {table}.uid'); END",
        f"CREATE TRIGGER {table}_uid_fixed BEFORE UPDATE OF uid ON {table} "
        f"WHEN NEW.uid IS NOT OLD.uid "
        f"BEGIN SELECT RAISE(ABORT, '{table}.uid cannot change'); END",
        f"CREATE TRIGGER {table}_outbox_insert AFTER INSERT ON {table} {_when(table, None)}"
        f"BEGIN {_outbox_insert(table)} END",
        f"CREATE TRIGGER {table}_outbox_update AFTER UPDATE ON {table} "
        f"{_when(table, changed)}"
        f"BEGIN UPDATE {table} SET version = OLD.version + 1 "
        f"WHERE rowid = NEW.rowid AND NEW.version <= OLD.version; "
        f"{_outbox_insert(table)} END",
        f"CREATE TRIGGER {table}_outbox_delete AFTER DELETE ON {table} "
        f"{'WHEN ' + OLD_ROW_FILTER[table] + ' ' if table in OLD_ROW_FILTER else ''}"
        f"BEGIN INSERT INTO outbox (table_name, row_uid, version, payload, created_at) "
        f"VALUES ('{table}', OLD.uid, OLD.version + 1, "
        f"json_object('uid', OLD.uid, 'deleted', json('true')), {NOW}); END",
    ]


TRIGGER_SUFFIXES = ("uid_required", "uid_fixed", "outbox_insert", "outbox_update",
                    "outbox_delete")


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
        for ddl in _triggers(table):
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
