"""District schema: geography, counters, registers, journals, derived state, the counter API.

Revision ID: d0001
Revises:
"""

from __future__ import annotations

from alembic import op

from counter_app.district.migrations import run_sql

revision = "d0001"
down_revision = None
branch_labels = None
depends_on = None

def upgrade() -> None:
    run_sql(op, "d0001_tables.sql")
    run_sql(op, "d0001_functions.sql")


def downgrade() -> None:
    raise NotImplementedError("the district schema is not downgraded: restore a backup")
