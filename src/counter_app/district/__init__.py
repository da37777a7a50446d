"""The district side: the PostgreSQL database where counters meet.

Its own models and Alembic tree (``init_district``), the counter API as SQL functions
(push_entries, push_registers, pull, head, fetch_own_entries), counter roles
(``add_counter``), the reconciliation (``district_check``) and a psycopg client.
Qt-free. The schema is a contract: docs/district-schema.md.
"""

__all__ = ["init_district"]


def __getattr__(name):
    # Lazy: the counter's CLI registers ``district`` sub-commands at every start, and
    # importing psycopg + the district models up front cost ~0.2 s of each command.
    if name == "init_district":
        from counter_app.district.schema import init_district

        return init_district
    raise AttributeError(name)
