"""A database of the first release (schema 0001, format-1 hashes) upgrades to the newest
schema and keeps verifying; new entries beside the old ones use the newest format (3)."""

import sqlite3

from sqlalchemy import text

from counter_app import check, journal, ledger, redemption
from counter_app.db import open_database
from counter_app.db.migrate import HEAD, current_revision
from counter_app.redemption import CartLine
from identity_fixtures import as_schema_0002


def _as_first_release(path):
    """Remove what 0002 (and 0003) added, as a file written by the first release looks."""
    as_schema_0002(path)
    con = sqlite3.connect(path, isolation_level=None)
    for name, in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                             "(name LIKE '%_no_overwrite' OR name LIKE 'redemption%')").fetchall():
        con.execute(f"DROP TRIGGER {name}")
    for table in ("points_journal", "stock_journal"):
        con.execute(f"ALTER TABLE {table} DROP COLUMN detail_digest")
        con.execute(f"ALTER TABLE {table} DROP COLUMN hash_format")
    con.execute("DROP TABLE redemption_voids")
    con.execute("UPDATE alembic_version SET version_num = '0001'")
    con.close()


def test_a_first_release_file_upgrades_and_still_verifies(tmp_path, monkeypatch):
    from conftest import _build_counter

    monkeypatch.setattr(journal, "HASH_FORMAT", 1)  # every entry hashed the first way
    counter = _build_counter(tmp_path / "counter.db")
    mid = counter.member(points=50)
    redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.rice, 1)])
    monkeypatch.undo()
    counter.db.dispose()
    _as_first_release(counter.db.path)
    assert check.verify(counter.db.path).ok  # read as it is, no migration

    db = open_database(counter.db.path)
    try:
        assert current_revision(db) == HEAD
        ledger.adjust(db, counter.admin, mid, 3, "升级之后")
        redemption.checkout(db, counter.volunteer, mid, [CartLine(counter.soap, 1)])
        with db.read() as s:
            formats = s.execute(text("SELECT hash_format, COUNT(*) FROM points_journal "
                                     "GROUP BY hash_format")).all()
        assert dict(formats).keys() == {1, journal.HASH_FORMAT}
        report = check.verify(db)
        assert report.ok, report.faults
        con = sqlite3.connect(db.path, isolation_level=None)
        try:  # the upgrade made the receipts append-only too
            con.execute("UPDATE redemptions SET total_points = 1")
            raise AssertionError("update was allowed")
        except sqlite3.IntegrityError as err:
            assert "append-only" in str(err)
        finally:
            con.close()
    finally:
        db.dispose()
