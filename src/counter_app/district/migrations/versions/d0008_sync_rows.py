"""District: the push takes typed rows, push_entry_rows(journal, entry_in[]) (issue 8
benchmark; sql/d0008_sync_rows.sql). push_entries(journal, jsonb) becomes its wrapper.

Revision ID: d0008
Revises: d0006 (the lead re-chains it after d0007 at merge)
"""

from __future__ import annotations

from alembic import op

from counter_app.district.migrations import run_sql

revision = "d0008"
down_revision = "d0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(op, "d0008_sync_rows.sql")


def downgrade() -> None:
    raise NotImplementedError("the district schema is not downgraded: restore a backup")
