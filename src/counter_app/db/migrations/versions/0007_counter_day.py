"""the counter's day: opening, shifts and handovers, day closes with chain heads, backup log

Revision ID: 0007
Revises: 0003 (the lead re-chains it after 0004-0006 at merge)
Create Date: 2026-12-02

* ``counter_days``: one row per counter and local calendar day, made by the first log-in
  of the day (who opened it, when). This counter's own record: not synced.
* ``shifts``: one operator's stretch at the counter. Ended at log-out with its summary
  (JSON: what the operator did, items running low), received by the next operator at
  their log-in (``received_by``/``received_at``): both saw it. Not synced.
* ``day_closes``: the day-close report (日结) as printed (``report`` JSON) and the chain
  heads it anchors (``heads`` JSON: journal, seq, hash, entries; the points and stock
  heads also as columns). A **register**: uid + version and outbox triggers, so the
  district learns the heads (until it holds them the paper is the only anchor outside the
  PC). Written once: heads and report cannot be changed (trigger); only the sync outcome
  (``sync_result``, not synced) may be filled in later.
* ``backup_log``: every scheduled or manual backup (file, size, SHA-256 of the encrypted
  file, verified or why not). Not synced: it describes this PC's folders.
"""

from alembic import op
import sqlalchemy as sa

from counter_app.db.outbox_ddl import LOCAL_COMMUNITY, register_triggers, uid_columns


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

DAY_CLOSE_SYNCED = ("counter_id", "day", "closed_at", "points_seq", "points_hash",
                    "stock_seq", "stock_hash", "heads", "report")
DAY_CLOSE_SPEC = (DAY_CLOSE_SYNCED, {"closed_by": "operators"}, LOCAL_COMMUNITY)


def upgrade() -> None:
    op.create_table(
        "counter_days",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("counter_id", sa.String(16), sa.ForeignKey("counters.id"), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),  # local date YYYY-MM-DD
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("opened_by", sa.Integer(), sa.ForeignKey("operators.id")),
        sa.UniqueConstraint("counter_id", "day", name="uq_counter_days_day"),
    )
    op.create_table(
        "shifts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("counter_id", sa.String(16), sa.ForeignKey("counters.id"), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("operator_id", sa.Integer(), sa.ForeignKey("operators.id"), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime()),
        sa.Column("summary", sa.Text()),  # JSON, written when the shift ends
        sa.Column("received_by", sa.Integer(), sa.ForeignKey("operators.id")),
        sa.Column("received_at", sa.DateTime()),
    )
    op.create_index("ix_shifts_day", "shifts", ["counter_id", "day"])
    op.create_table(
        "day_closes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("counter_id", sa.String(16), sa.ForeignKey("counters.id"), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        sa.Column("closed_by", sa.Integer(), sa.ForeignKey("operators.id")),
        sa.Column("points_seq", sa.Integer(), nullable=False),
        sa.Column("points_hash", sa.String(64), nullable=False),
        sa.Column("stock_seq", sa.Integer(), nullable=False),
        sa.Column("stock_hash", sa.String(64), nullable=False),
        sa.Column("heads", sa.Text(), nullable=False),  # JSON list of every journal's head
        sa.Column("report", sa.Text(), nullable=False),  # JSON: the report as printed
        sa.Column("sync_result", sa.Text()),
        sa.UniqueConstraint("counter_id", "day", name="uq_day_closes_day"),
    )
    for ddl in uid_columns("day_closes"):
        op.execute(ddl)
    for ddl in register_triggers("day_closes", DAY_CLOSE_SPEC):
        op.execute(ddl)
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in (*DAY_CLOSE_SYNCED, "closed_by"))
    op.execute("CREATE TRIGGER day_closes_fixed BEFORE UPDATE ON day_closes "
               f"WHEN {changed} BEGIN SELECT RAISE(ABORT, 'day_closes are written once'); END")
    op.execute("CREATE TRIGGER day_closes_no_delete BEFORE DELETE ON day_closes "
               "BEGIN SELECT RAISE(ABORT, 'day_closes are written once'); END")
    op.create_table(
        "backup_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("counter_id", sa.String(16)),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),  # scheduled, day_close, manual
        sa.Column("file", sa.Text()),
        sa.Column("size", sa.Integer()),
        sa.Column("sha256", sa.String(64)),
        sa.Column("verified", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("removed", sa.Text()),  # JSON list of files retention removed
        sa.Column("problem", sa.Text()),  # Chinese, when the backup failed
    )
    op.create_index("ix_backup_log_at", "backup_log", ["at"])


def downgrade() -> None:
    op.drop_index("ix_backup_log_at", table_name="backup_log")
    op.drop_table("backup_log")
    for suffix in ("fixed", "no_delete", "uid_required", "uid_fixed", "outbox_insert",
                   "outbox_update", "outbox_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS day_closes_{suffix}")
    op.drop_table("day_closes")
    op.drop_index("ix_shifts_day", table_name="shifts")
    op.drop_table("shifts")
    op.drop_table("counter_days")
