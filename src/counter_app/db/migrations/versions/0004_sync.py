"""district sync: pulled balances, hotlist, other counters' entries, pull cursor, anchor

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

* ``district_balances`` (by member uid: a balance may arrive before its member): the member balance as last pulled from the district (may be
  negative: an offline overdraft of two counters must be stored, never refused) and
  ``own_included``: how much of it is this counter's own entries (those with seq <=
  ``sync_pull.own_seq``). Points available = points_accounts.balance (the sum of this
  counter's own entries) + district balance - own_included: the district balance plus
  own entries the district balance does not yet hold, each counted once.
* ``points_accounts`` loses ``CHECK (balance >= 0)``: at a counter of a district it is the
  sum of this counter's own entries only, negative when a member spends here what was
  earned elsewhere. The non-negativity of what is *available* is kept by ledger.append's
  conditional UPDATE (and by check.py for standalone counters).
* ``sync_pull`` (one row): the pull cursor (xid8 text) and the own points sequence the
  pulled balances include, committed together with each pulled page.
* ``district_entries``: other counters' points entries of members (member history).
* ``district_hotlist``: blocked cards and overdrawn members, as the district lists them.
* ``sync_dead_letters``: what the district refused to merge, as it reported it.
* ``sync_anchor``: per journal, the district's head of this counter's chain at the last
  sync (check's tamper anchor).
* ``sync_runs``: one row per sync run (start, end, outcome, counts, error in Chinese).
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


# The tables 0004 adds (tests that rebuild files of earlier releases drop them).
TABLES = ("sync_runs", "sync_anchor", "sync_dead_letters", "district_hotlist",
          "district_entries", "sync_pull", "district_balances")


def upgrade() -> None:
    op.execute("CREATE TABLE points_accounts_new (member_id INTEGER NOT NULL PRIMARY KEY "
               "REFERENCES members (id), balance INTEGER NOT NULL)")
    op.execute("INSERT INTO points_accounts_new (member_id, balance) "
               "SELECT member_id, balance FROM points_accounts")
    op.execute("DROP TABLE points_accounts")
    op.execute("ALTER TABLE points_accounts_new RENAME TO points_accounts")

    op.create_table(
        "district_balances",
        sa.Column("member_uid", sa.String(length=36), primary_key=True),  # members.uid
        sa.Column("balance", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("own_included", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("pulled_at", sa.String(length=32)),
    )
    op.create_table(
        "sync_pull",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("cursor", sa.String(length=32)),
        sa.Column("own_seq", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("pulled_at", sa.String(length=32)),
        sa.CheckConstraint("id = 1", name="ck_sync_pull_single_row"),
    )
    op.execute("INSERT INTO sync_pull (id, cursor, own_seq) VALUES (1, NULL, 0)")
    op.create_table(
        "district_entries",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("counter_id", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("subject_uid", sa.String(length=36), nullable=False),  # members.uid
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reverses_id", sa.String(length=36)),
        sa.Column("ref", sa.String(length=64)),
        sa.Column("note", sa.Text()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_district_entries_subject_time", "district_entries",
                    ["subject_uid", "created_at"])
    op.create_table(
        "district_hotlist",
        sa.Column("kind", sa.String(length=16), primary_key=True),
        sa.Column("ref_id", sa.String(length=36), primary_key=True),
        sa.Column("member_uid", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=32)),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("balance", sa.Integer()),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_district_hotlist_member", "district_hotlist", ["member_uid"])
    op.create_table(
        "sync_dead_letters",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("journal", sa.String(length=32), nullable=False),
        sa.Column("entry_id", sa.String(length=36)),
        sa.Column("seq", sa.Integer()),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("existing_hash", sa.String(length=64)),
        sa.Column("received_hash", sa.String(length=64)),
        sa.UniqueConstraint("journal", "entry_id", "received_hash", name="uq_sync_dead_once"),
    )
    op.create_table(
        "sync_anchor",
        sa.Column("journal", sa.String(length=16), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
    )
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.String(length=32), nullable=False),
        sa.Column("finished_at", sa.String(length=32)),
        sa.Column("ok", sa.Boolean()),
        sa.Column("pushed", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("pulled", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("error", sa.Text()),
    )


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
    op.execute("CREATE TABLE points_accounts_old (member_id INTEGER NOT NULL PRIMARY KEY "
               "REFERENCES members (id), balance INTEGER NOT NULL, "
               "CONSTRAINT ck_balance_nonneg CHECK (balance >= 0))")
    op.execute("INSERT INTO points_accounts_old SELECT member_id, balance FROM points_accounts")
    op.execute("DROP TABLE points_accounts")
    op.execute("ALTER TABLE points_accounts_old RENAME TO points_accounts")
