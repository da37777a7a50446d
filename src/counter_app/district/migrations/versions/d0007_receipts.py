"""District: receipts reach the district (issue 8): push, fetch back, pull for limits.

Revision ID: d0007
Revises: d0009
"""

from __future__ import annotations

from alembic import op

from counter_app.district.migrations import run_sql

revision = "d0007"
down_revision = "d0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(op, "d0007_receipts.sql")


def downgrade() -> None:
    raise NotImplementedError("the district schema is not downgraded: restore a backup")
