"""District: pull() cuts a page from each source's first rows (sync speed, issue 8).

Revision ID: d0010
Revises: d0007
"""

from __future__ import annotations

from alembic import op

from counter_app.district.migrations import run_sql

revision = "d0010"
down_revision = "d0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql(op, "d0010_pull_cut.sql")


def downgrade() -> None:
    raise NotImplementedError("the district schema is not downgraded: restore a backup")
