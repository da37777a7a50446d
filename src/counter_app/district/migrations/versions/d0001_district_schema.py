"""District schema: geography, counters, registers, journals, derived state, the counter API.

Revision ID: d0001
Revises:
"""

from __future__ import annotations

from pathlib import Path

from alembic import op

revision = "d0001"
down_revision = None
branch_labels = None
depends_on = None

_SQL = Path(__file__).resolve().parent.parent / "sql"


def _run(name: str) -> None:
    # Straight to psycopg: PL/pgSQL bodies hold ':' and '%' that SQLAlchemy's text() or a
    # parameter-style pass would rewrite. No parameters, so psycopg sends the script as is.
    op.get_bind().connection.dbapi_connection.execute((_SQL / name).read_text("utf-8"))


def upgrade() -> None:
    _run("d0001_tables.sql")
    _run("d0001_functions.sql")


def downgrade() -> None:
    raise NotImplementedError("the district schema is not downgraded: restore a backup")
