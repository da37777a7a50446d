"""The district side: the PostgreSQL database where counters meet.

Its own models and Alembic tree (``init_district``), the counter API as SQL functions
(push_entries, push_registers, pull, head, fetch_own_entries), counter roles
(``add_counter``), the reconciliation (``district_check``) and a psycopg client.
Qt-free. The schema is a contract: docs/district-schema.md.
"""

from counter_app.district.schema import init_district

__all__ = ["init_district"]
