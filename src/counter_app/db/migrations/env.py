"""Alembic environment: runs on the connection handed over by counter_app.db.migrate."""

from alembic import context

from counter_app.db.models import Base

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite ALTER TABLE goes through batch mode
)
with context.begin_transaction():
    context.run_migrations()
