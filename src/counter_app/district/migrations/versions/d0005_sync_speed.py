"""A faster push: the hotlist trigger on balances fires only around zero; apply_points'
overdraft query looks only at members below zero; entry_hash_fmt builds its payload in one
expression (sql/d0005_sync_speed.sql). Replaced functions: apply_points, entry_hash_fmt.

Revision ID: d0005
Revises: d0002 (the brief said d0001: it touches only d0001 objects, so the lead may
re-chain it anywhere after d0001; here after d0002 so that this branch has one head)
"""

from __future__ import annotations

from pathlib import Path

from alembic import op

revision = "d0005"
down_revision = "d0004"
branch_labels = None
depends_on = None

_SQL = Path(__file__).resolve().parent.parent / "sql"


def upgrade() -> None:
    op.get_bind().connection.dbapi_connection.execute(
        (_SQL / "d0005_sync_speed.sql").read_text("utf-8"))


def downgrade() -> None:
    raise NotImplementedError("the district schema is not downgraded: restore a backup")
