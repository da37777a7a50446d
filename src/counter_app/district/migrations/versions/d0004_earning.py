"""District: earning registers (dated point-item values, activities, wishes, awards).

Revision ID: d0004
Revises: d0001
"""

from __future__ import annotations

from alembic import op

from counter_app.district.migrations import run_sql

revision = "d0004"
down_revision = "d0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(op, "d0004_earning.sql")


def downgrade() -> None:
    raise NotImplementedError("the district schema is not downgraded: restore a backup")
