"""receipts covered by the chain; append-only against INSERT OR REPLACE

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

* ``hash_format`` per journal entry: 1 = the JSON payload of 0001 (existing entries keep
  verifying), 2 = the length-prefixed payload of journal.entry_hash_v2, which also covers
  ``detail_digest`` (the receipt of a redemption or a void; NULL otherwise).
* ``redemption_voids``: one row per voided receipt (who, when, why, on whose request),
  covered by the void's points reversal (receipt_digest.void_digest).
* ``redemptions``, ``redemption_lines`` and ``redemption_voids`` are append-only like the
  journals.
* SQLite fires no DELETE trigger when INSERT OR REPLACE removes a row in the way of a new
  one, so each append-only table refuses, BEFORE INSERT, a row that collides with an
  existing one on any of its unique keys (REPLACE would otherwise delete that row).
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

NEWLY_APPEND_ONLY = ("redemptions", "redemption_lines", "redemption_voids")
# Every unique key of each append-only table: REPLACE deletes a row clashing on any of them.
UNIQUE_KEYS = {
    "points_journal": (("id",), ("counter_id", "seq"), ("reverses_id",)),
    "stock_journal": (("id",), ("counter_id", "seq"), ("reverses_id",)),
    "audit_log": (("id",),),
    "redemptions": (("id",), ("receipt_no",), ("points_entry_id",)),
    "redemption_lines": (("redemption_id", "line_no"),),
    "redemption_voids": (("id",), ("redemption_id",), ("points_entry_id",)),
}


def _no_overwrite_trigger(table: str, keys) -> str:
    clash = " OR ".join(
        "(" + " AND ".join(f"{c} = NEW.{c}" for c in key) + ")" for key in keys)
    return (f"CREATE TRIGGER {table}_no_overwrite BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {clash}) "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: key exists'); END")


def upgrade() -> None:
    for table in ("points_journal", "stock_journal"):
        with op.batch_alter_table(table, recreate="never") as batch_op:
            batch_op.add_column(sa.Column("hash_format", sa.Integer(), nullable=False,
                                          server_default="1"))
            batch_op.add_column(sa.Column("detail_digest", sa.String(length=64),
                                          nullable=True))
    op.create_table(
        "redemption_voids",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("redemption_id", sa.String(length=36), nullable=False),
        sa.Column("receipt_no", sa.String(length=32), nullable=False),
        sa.Column("counter_id", sa.String(length=16), nullable=False),
        sa.Column("points_entry_id", sa.String(length=36), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["redemption_id"], ["redemptions.id"]),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"]),
        sa.ForeignKeyConstraint(["points_entry_id"], ["points_journal.id"]),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("redemption_id"),
        sa.UniqueConstraint("points_entry_id"),
    )
    for table in NEWLY_APPEND_ONLY:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
    for table, keys in UNIQUE_KEYS.items():
        op.execute(_no_overwrite_trigger(table, keys))


def downgrade() -> None:
    for table in UNIQUE_KEYS:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_overwrite")
    for table in NEWLY_APPEND_ONLY:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
    op.drop_table("redemption_voids")
    for table in ("points_journal", "stock_journal"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("detail_digest")
            batch_op.drop_column("hash_format")
