"""District: merchants, item price history, vouchers and their uses; new item columns.

Revision ID: d0003
Revises: d0001 (the lead re-chains at merge)
"""

from __future__ import annotations

from pathlib import Path

from alembic import op

revision = "d0003"
down_revision = "d0002"
branch_labels = None
depends_on = None

_SQL = Path(__file__).resolve().parent.parent / "sql"


def upgrade() -> None:
    # Straight to psycopg, like d0001 (PL/pgSQL bodies hold ':' and '%').
    op.get_bind().connection.dbapi_connection.execute(
        (_SQL / "d0003_stock.sql").read_text("utf-8"))


def downgrade() -> None:
    raise NotImplementedError("the district schema is not downgraded: restore a backup")
