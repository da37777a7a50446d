"""awards.ledger_entry_id without the foreign key to points_journal

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

An award recorded at one counter and approved at another (issue 10: "an award recorded at
one counter can be reviewed at the community office's counter") comes back to the
recording counter by the pull with the approving counter's ledger entry, which lives in
that counter's chain (here: ``district_entries``), not in this file's ``points_journal``.
The foreign key made the pulled approval impossible to store, so the award stayed pending
here and could be approved a second time. The column keeps its UNIQUE and the status
CHECK; earning/check.py checks the entry in points_journal or district_entries.

SQLite cannot drop a constraint: the table is rebuilt (same columns, rows, indexes and
triggers: they are taken from sqlite_master and recreated as they were). No table refers
to awards.
"""

import re

from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

FK = re.compile(r",\s*FOREIGN KEY\s*\(ledger_entry_id\)\s*REFERENCES\s+\"?points_journal\"?\s*"
                r"\(id\)")
FK_TEXT = ", \n\tFOREIGN KEY(ledger_entry_id) REFERENCES points_journal (id)"


def _rebuild(change) -> None:
    conn = op.get_bind()
    table_sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'awards'").scalar()
    others = [r[0] for r in conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'awards' AND type IN ('index', "
        "'trigger') AND sql IS NOT NULL ORDER BY type, rowid")]
    new_sql = change(table_sql)
    assert new_sql != table_sql, "awards: the foreign key clause was not where expected"
    op.execute(re.sub(r'^CREATE TABLE\s+"?awards"?', "CREATE TABLE awards_rebuilt", new_sql))
    op.execute("INSERT INTO awards_rebuilt SELECT * FROM awards")
    # DROP TABLE fires no triggers (the decided-award guards stay out of the way)
    op.execute("DROP TABLE awards")
    op.execute("ALTER TABLE awards_rebuilt RENAME TO awards")
    for sql in others:  # indexes first, then the outbox triggers and guards
        op.execute(sql)


def upgrade() -> None:
    _rebuild(lambda sql: FK.sub("", sql, count=1))


def downgrade() -> None:
    _rebuild(lambda sql: sql[:sql.rstrip().rindex(")")] + FK_TEXT + "\n)")
