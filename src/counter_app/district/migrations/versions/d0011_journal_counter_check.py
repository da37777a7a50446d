"""District: journal counter ids checked per batch, counters never deleted (issue 8 speed).

Revision ID: d0011
Revises: d0010
"""

from __future__ import annotations

from alembic import op

from counter_app.district.migrations import run_sql

revision = "d0011"
down_revision = "d0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(op, "d0011_journal_counter_check.sql")


def downgrade() -> None:
    raise NotImplementedError("the district schema is not downgraded: restore a backup")
