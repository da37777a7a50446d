"""a pull's own writes make no outbox rows

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

* ``sync_pulling`` (at most one row, id = 1): present only inside the write transaction
  that applies a pulled page (sync/pull.py inserts and deletes it there, so no other
  connection ever sees it, and a crash rolls it back).
* Every outbox trigger (``<register>_outbox_insert/update/delete``) gets
  ``NOT EXISTS (SELECT 1 FROM sync_pulling)`` in its WHEN: the rows the district sends
  are not changes of this counter. Before, each pulled member and card wrote a JSON
  payload with parent sub-selects that the pull deleted again at the end of the page —
  most of the client's time in a pull of 100,000 members (docs/benchmarks.md). The
  triggers' text is rewritten from sqlite_master, so every register of 0003–0010 is
  covered without repeating their specs.
"""

from alembic import op
import sqlalchemy as sa

from counter_app.db.outbox_ddl import OUTBOX_TRIGGER_SUFFIXES, guarded, unguarded


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def _outbox_triggers() -> list[tuple[str, str]]:
    rows = op.get_bind().execute(sa.text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")).all()
    return [(name, sql) for name, sql in rows if name.endswith(OUTBOX_TRIGGER_SUFFIXES)]


def _rewrite(change) -> None:
    for name, sql in _outbox_triggers():
        op.execute(f"DROP TRIGGER {name}")
        op.execute(change(sql))


def upgrade() -> None:
    op.create_table(
        "sync_pulling",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.CheckConstraint("id = 1", name="ck_sync_pulling_single_row"),
    )
    _rewrite(guarded)


def downgrade() -> None:
    _rewrite(unguarded)
    op.drop_table("sync_pulling")
