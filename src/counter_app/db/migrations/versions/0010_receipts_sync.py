"""receipts reach the district: push cursor, other counters' redemption lines, digest item

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

* ``redemption_lines.digest_item_id``: the item number the receipt digest covers when it is
  not ``item_id`` — a receipt fetched back by a rejoined counter (whose file numbers the
  items differently) keeps the number its points entry hashed (receipt_digest.py);
  NULL otherwise.
* ``sync_receipts`` (one row): ``pushed_seq``, the highest own points sequence whose receipt
  or void the district acknowledged; ``pull_cursor``, the xid8 cursor of pull_receipts.
* ``district_redemption_lines``: other counters' redemption lines of this community, as last
  pulled (the per-item limits count them; sync/receipts.py). By uid: a line may come down
  before its member or item does.
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

TABLES = ("district_redemption_lines", "sync_receipts")


def upgrade() -> None:
    op.add_column("redemption_lines", sa.Column("digest_item_id", sa.Integer()))
    op.create_table(
        "sync_receipts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("pushed_seq", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("pull_cursor", sa.String(length=32)),
        sa.CheckConstraint("id = 1", name="ck_sync_receipts_single_row"),
    )
    op.execute("INSERT INTO sync_receipts (id, pushed_seq) VALUES (1, 0)")
    op.create_table(
        "district_redemption_lines",
        sa.Column("receipt_id", sa.String(length=36), primary_key=True),
        sa.Column("line_no", sa.Integer(), primary_key=True),
        sa.Column("counter_id", sa.String(length=16), nullable=False),
        sa.Column("member_uid", sa.String(length=36), nullable=False),  # members.uid
        sa.Column("item_uid", sa.String(length=36), nullable=False),  # exchange_items.uid
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("voided", sa.Boolean(), nullable=False, server_default="0"),
    )
    op.create_index("ix_district_redemption_lines_member", "district_redemption_lines",
                    ["member_uid", "created_at"])


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
    op.drop_column("redemption_lines", "digest_item_id")
