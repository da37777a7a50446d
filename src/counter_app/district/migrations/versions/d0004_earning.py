"""District: earning registers (dated point-item values, activities, wishes, awards).

Revision ID: d0004
Revises: d0001
"""

from __future__ import annotations

from pathlib import Path

from alembic import op

revision = "d0004"
down_revision = "d0001"
branch_labels = None
depends_on = None


_SQL = Path(__file__).resolve().parent.parent / "sql"


def _run(name: str) -> None:
    # As d0001: straight to psycopg, so PL/pgSQL bodies reach the server as written.
    op.get_bind().connection.dbapi_connection.execute((_SQL / name).read_text("utf-8"))


def upgrade() -> None:
    _run("d0004_earning.sql")


def downgrade() -> None:
    raise NotImplementedError("the district schema is not downgraded: restore a backup")
