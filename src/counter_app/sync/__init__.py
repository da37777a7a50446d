"""The counter side of the district sync (Qt-free).

* ``run.sync_once(db, progress=...) -> SyncReport``: one whole sync (recover own entries the
  district has and this file lacks, push registers then journal entries, pull), with its own
  database connection and small SQLite transactions, so the counter keeps redeeming.
* ``status.status(db) -> SyncStatus`` (also ``sync.sync_status``): last success, last error, entries waiting, dead letters.
* ``join.join(path, url, counter_id, password)``: a counter database made from the district.
* ``balances``: points available = last pulled district balance + own entries it lacks.
* ``offline_caps``: limits on redemptions between syncs.
* ``credentials``: the district password in the OS keyring (or a 0600 file), never in
  settings.json.
"""

__all__ = ["sync_once", "sync_status", "join"]


def __getattr__(name):
    # Lazy: ledger imports sync.balances at every start; psycopg loads only to sync.
    if name == "sync_once":
        from counter_app.sync.run import sync_once

        return sync_once
    if name == "sync_status":
        from counter_app.sync.status import status

        return status
    if name == "join":
        from counter_app.sync.join import join

        return join
    raise AttributeError(name)
