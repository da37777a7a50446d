"""District: day closes (issue 11): the heads of each day close, as a register.

Revision ID: d0006
Revises: d0005
"""

from __future__ import annotations

from alembic import op

from counter_app.district.migrations import run_sql

revision = "d0006"
down_revision = "d0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(op, "d0006_day_closes.sql")


def downgrade() -> None:
    raise NotImplementedError("the district schema is not downgraded: restore a backup")
