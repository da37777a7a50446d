"""stock: merchants, item price history, vouchers and their uses, stocktake sessions,
service capacity, low-stock thresholds

Revision ID: 0005
Revises: 0003 (the lead re-chains at merge)
Create Date: 2026-12-02

* ``merchants`` (商居联盟): community-wide register (uid + outbox triggers).
* ``exchange_items`` gains ``merchant_id`` → merchants, ``capacity_qty`` /
  ``capacity_period`` (a service's capacity per period, shared by all members),
  ``low_stock`` (threshold), ``picture`` (a file path, this counter's own: not synced) and
  ``voucher_days`` (how long an offer's voucher is valid). Its synced columns change, so
  its triggers are dropped and recreated with the new spec.
* ``item_prices``: one row per price change (when, who), append-only; every existing item
  gets its current price as the first row.
* ``vouchers`` (one per offer redeemed) and ``voucher_uses`` (the one end of a voucher:
  used or cancelled; UNIQUE voucher_id, so a voucher ends exactly once), both append-only
  registers with outbox rows.
* ``stocktakes``, ``stocktake_items``, ``stocktake_counts``: a counter's count sessions
  (working papers, not synced; the approved result is stock-journal entries with the
  session as ``ref``).
"""

from alembic import op
import sqlalchemy as sa

from counter_app.db.outbox_ddl import (LOCAL_COMMUNITY, drop_register_triggers,
                                        register_triggers)
from counter_app.ids import uuid7

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

ITEMS_0003 = (("kind", "category", "name", "unit", "points", "tracks_stock", "merchant",
               "limit_qty", "limit_period", "min_age", "active"),
              {"community_id": "communities"}, None)
ITEMS = (ITEMS_0003[0] + ("capacity_qty", "capacity_period", "low_stock", "voucher_days"),
         {"community_id": "communities", "merchant_id": "merchants"}, None)
REGISTERS = {
    "merchants": (("name", "address", "contact", "active", "created_at"),
                  {"community_id": "communities", "member_id": "members"}, None),
    "item_prices": (("points", "changed_at", "note"),
                    {"item_id": "exchange_items", "operator_id": "operators"}, LOCAL_COMMUNITY),
    "vouchers": (("code", "counter_id", "receipt_no", "points", "issued_at", "valid_until"),
                 {"item_id": "exchange_items", "merchant_id": "merchants", "member_id": "members"},
                 LOCAL_COMMUNITY),
    "voucher_uses": (("kind", "counter_id", "at", "note"),
                     {"voucher_id": "vouchers", "operator_id": "operators"}, LOCAL_COMMUNITY),
}
APPEND_ONLY = {"item_prices": (("id",), ("uid",)), "vouchers": (("id",), ("uid",), ("code",)),
               "voucher_uses": (("id",), ("uid",), ("voucher_id",))}


def _keyed():
    return [sa.Column("uid", sa.String(36), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False, server_default="1")]


def upgrade() -> None:
    op.create_table(
        "merchants",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("community_id", sa.Integer(), sa.ForeignKey("communities.id"), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("address", sa.String(128)),
        sa.Column("contact", sa.String(64)),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id")),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_keyed(),
        sa.UniqueConstraint("uid", name="uq_merchants_uid"),
    )
    op.create_index("ix_merchants_community_id", "merchants", ["community_id"])
    for ddl in drop_register_triggers("exchange_items"):
        op.execute(ddl)
    # merchant_id without REFERENCES: SQLite cannot DROP a column that is part of a foreign
    # key (downgrade), and catalogue.py checks the merchant exists.
    for col in ("merchant_id INTEGER", "capacity_qty INTEGER",
                "capacity_period VARCHAR(16)", "low_stock INTEGER", "picture TEXT",
                "voucher_days INTEGER"):
        op.execute(f"ALTER TABLE exchange_items ADD COLUMN {col}")
    for ddl in register_triggers("exchange_items", ITEMS):
        op.execute(ddl)
    op.create_table(
        "item_prices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("exchange_items.id"), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("operator_id", sa.Integer(), sa.ForeignKey("operators.id")),
        sa.Column("note", sa.Text()),
        *_keyed(),
        sa.UniqueConstraint("uid", name="uq_item_prices_uid"),
        sa.CheckConstraint("points > 0", name="ck_item_price_pos"),
    )
    op.create_index("ix_item_prices_item_id", "item_prices", ["item_id"])
    op.create_table(
        "vouchers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(24), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("exchange_items.id"), nullable=False),
        sa.Column("merchant_id", sa.Integer(), sa.ForeignKey("merchants.id")),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id"), nullable=False),
        sa.Column("counter_id", sa.String(16), nullable=False),
        sa.Column("receipt_no", sa.String(32), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("valid_until", sa.DateTime(), nullable=False),
        *_keyed(),
        sa.UniqueConstraint("uid", name="uq_vouchers_uid"),
        sa.UniqueConstraint("code", name="uq_vouchers_code"),
    )
    for col in ("item_id", "merchant_id", "receipt_no", "issued_at"):
        op.create_index(f"ix_vouchers_{col}", "vouchers", [col])
    op.create_table(
        "voucher_uses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("voucher_id", sa.Integer(), sa.ForeignKey("vouchers.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("counter_id", sa.String(16), nullable=False),
        sa.Column("operator_id", sa.Integer(), sa.ForeignKey("operators.id")),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text()),
        *_keyed(),
        sa.UniqueConstraint("uid", name="uq_voucher_uses_uid"),
        sa.UniqueConstraint("voucher_id", name="uq_voucher_uses_voucher"),
    )
    op.create_index("ix_voucher_uses_at", "voucher_uses", ["at"])
    for table, spec in REGISTERS.items():
        for ddl in register_triggers(table, spec):
            op.execute(ddl)
    for table, keys in APPEND_ONLY.items():
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
        clash = " OR ".join("(" + " AND ".join(f"{c} = NEW.{c}" for c in key) + ")"
                            for key in keys)
        op.execute(f"CREATE TRIGGER {table}_no_overwrite BEFORE INSERT ON {table} "
                   f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {clash}) "
                   f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: key exists'); END")
    op.create_table(
        "stocktakes",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("counter_id", sa.String(16), sa.ForeignKey("counters.id"), nullable=False),
        sa.Column("category", sa.String(32)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("opened_by", sa.Integer(), sa.ForeignKey("operators.id")),
        sa.Column("closed_at", sa.DateTime()),
        sa.Column("closed_by", sa.Integer(), sa.ForeignKey("operators.id")),
    )
    op.create_table(
        "stocktake_items",
        sa.Column("stocktake_id", sa.String(36), sa.ForeignKey("stocktakes.id"),
                  primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("exchange_items.id"), primary_key=True),
        sa.Column("book_at_open", sa.Integer(), nullable=False),
        sa.Column("book_at_count", sa.Integer()),
        sa.Column("counted_at", sa.DateTime()),
    )
    op.create_table(
        "stocktake_counts",
        sa.Column("stocktake_id", sa.String(36), sa.ForeignKey("stocktakes.id"),
                  primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("exchange_items.id"), primary_key=True),
        sa.Column("shelf", sa.String(32), primary_key=True),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.CheckConstraint("qty >= 0", name="ck_stocktake_qty_nonneg"),
    )
    # Every existing item's current price is the first row of its history.
    conn = op.get_bind()
    items = conn.exec_driver_sql("SELECT id, points FROM exchange_items ORDER BY id").all()
    if items:
        now = conn.exec_driver_sql("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')").scalar()
        conn.exec_driver_sql(
            "INSERT INTO item_prices (uid, item_id, points, changed_at, note) "
            "VALUES (?, ?, ?, ?, '升级时的价格')", [(uuid7(), i, p, now) for i, p in items])


def downgrade() -> None:
    for table in ("stocktake_counts", "stocktake_items", "stocktakes"):
        op.drop_table(table)
    for table in ("voucher_uses", "vouchers", "item_prices", "merchants"):
        for ddl in drop_register_triggers(table):
            op.execute(ddl)
        for name in ("no_update", "no_delete", "no_overwrite"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_{name}")
    for table in ("voucher_uses", "vouchers", "item_prices"):
        op.drop_table(table)
    for ddl in drop_register_triggers("exchange_items"):
        op.execute(ddl)
    for col in ("voucher_days", "picture", "low_stock", "capacity_period", "capacity_qty",
                "merchant_id"):
        op.execute(f"ALTER TABLE exchange_items DROP COLUMN {col}")
    op.drop_table("merchants")
    for ddl in register_triggers("exchange_items", ITEMS_0003):
        op.execute(ddl)
