

from pathlib import Path

SQL = Path(__file__).resolve().parent / "sql"


def run_sql(op, name: str) -> None:
    """Run migrations/sql/``name`` straight through psycopg: PL/pgSQL bodies hold ':' and
    '%' that SQLAlchemy's text() or a parameter-style pass would rewrite. No parameters,
    so psycopg sends the script as is."""
    op.get_bind().connection.dbapi_connection.execute((SQL / name).read_text("utf-8"))
