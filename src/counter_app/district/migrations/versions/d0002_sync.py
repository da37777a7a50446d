"""District sync: district_info() for joining counters, own_seq_below() for the pull.

Revision ID: d0002
Revises: d0001
"""

from __future__ import annotations

from pathlib import Path

from alembic import op

revision = "d0002"
down_revision = "d0001"
branch_labels = None
depends_on = None

_SQL = Path(__file__).resolve().parent.parent / "sql"


def upgrade() -> None:
    op.get_bind().connection.dbapi_connection.execute(
        (_SQL / "d0002_sync.sql").read_text("utf-8"))


def downgrade() -> None:
    raise NotImplementedError("the district schema is not downgraded: restore a backup")
