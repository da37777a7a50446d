"""District: earning governance (issue 10): objections, awards.review_counter, review claims.

Revision ID: d0009
Revises: d0008
"""

from __future__ import annotations

from alembic import op

from counter_app.district.migrations import run_sql

revision = "d0009"
down_revision = "d0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(op, "d0009_objections_claims.sql")


def downgrade() -> None:
    raise NotImplementedError("the district schema is not downgraded: restore a backup")
