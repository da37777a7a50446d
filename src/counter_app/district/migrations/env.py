"""Alembic environment of the district tree: runs on the connection handed over by
counter_app.district.schema, and keeps its own version table so a district database can
share a server (or a database) with other Alembic-managed schemas."""

from alembic import context

from counter_app.district.models import Base

VERSION_TABLE = "district_alembic_version"

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=VERSION_TABLE,
)
with context.begin_transaction():
    context.run_migrations()
