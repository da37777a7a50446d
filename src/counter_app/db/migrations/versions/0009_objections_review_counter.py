"""earning governance: objections as a register; where an award is reviewed

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

* ``objections`` (公示异议): recorded against one award (who objects, why, when, at which
  counter), decided once — upheld (the award's entry reversed, the award revoked) or
  dismissed — with who, when and where. A register (uid + outbox triggers): the community
  office's counter sees objections recorded at the others. A decided objection is final
  (trigger). Objections kept in the audit log before this revision become rows.
* ``awards.review_counter``: the one counter that may review the award offline, fixed at
  birth (trigger); NULL = reviewed anywhere, by a claim at the district first
  (claim_award_reviews, district d0009). Two offline counters can so never both approve
  one award (docs/sync.md). Existing awards: the counter that approved them, else their
  recording counter. A synced column, so the awards outbox triggers are recreated with it.
"""

import json

from alembic import op
import sqlalchemy as sa

from counter_app.db.outbox_ddl import (
    LOCAL_COMMUNITY, drop_register_triggers, register_triggers, uid_columns,
)

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_AWARD_PARENTS = {"member_id": "members", "item_id": "point_items", "activity_id": "activities",
                  "wish_id": "wishes", "recorded_by": "operators", "reviewed_by": "operators"}
_AWARD_COLUMNS = ("activity_date", "points", "status", "note", "work_unit", "counter_id",
                  "recorded_at", "reviewed_at", "reason", "ledger_entry_id")
AWARDS_0006 = (_AWARD_COLUMNS, _AWARD_PARENTS, LOCAL_COMMUNITY)
AWARDS = ((*_AWARD_COLUMNS, "review_counter"), _AWARD_PARENTS, LOCAL_COMMUNITY)
OBJECTIONS = (("raised_by", "reason", "raised_at", "counter_id", "outcome", "note",
               "decided_at", "decided_counter"),
              {"award_id": "awards", "recorded_by": "operators", "decided_by": "operators"},
              LOCAL_COMMUNITY)

GUARDS = [
    "CREATE TRIGGER awards_review_counter_fixed BEFORE UPDATE OF review_counter ON awards "
    "WHEN NEW.review_counter IS NOT OLD.review_counter "
    "BEGIN SELECT RAISE(ABORT, 'awards.review_counter is fixed at birth'); END",
    # decided once: the outcome and what it rests on never change afterwards
    "CREATE TRIGGER objections_decided_final BEFORE UPDATE ON objections "
    "WHEN OLD.outcome IS NOT NULL AND (NEW.outcome IS NOT OLD.outcome "
    "OR NEW.note IS NOT OLD.note OR NEW.award_id IS NOT OLD.award_id "
    "OR NEW.reason IS NOT OLD.reason OR NEW.decided_at IS NOT OLD.decided_at) "
    "BEGIN SELECT RAISE(ABORT, 'objections: a decided objection is final'); END",
    "CREATE TRIGGER objections_no_delete BEFORE DELETE ON objections "
    "BEGIN SELECT RAISE(ABORT, 'objections cannot be deleted'); END",
]


def upgrade() -> None:
    for ddl in drop_register_triggers("awards"):
        op.execute(ddl)
    op.execute("ALTER TABLE awards ADD COLUMN review_counter VARCHAR(16)")
    # before the triggers (no outbox rows): where it was approved, else where it was recorded
    op.execute("UPDATE awards SET review_counter = COALESCE("
               "(SELECT counter_id FROM points_journal WHERE id = awards.ledger_entry_id), "
               "(SELECT counter_id FROM district_entries WHERE id = awards.ledger_entry_id), "
               "counter_id)")
    for ddl in register_triggers("awards", AWARDS):
        op.execute(ddl)

    op.create_table(
        "objections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("award_id", sa.Integer(), sa.ForeignKey("awards.id"), nullable=False),
        sa.Column("raised_by", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("counter_id", sa.String(16), nullable=False),
        sa.Column("recorded_by", sa.Integer(), sa.ForeignKey("operators.id")),
        sa.Column("outcome", sa.String(16)),
        sa.Column("note", sa.Text()),
        sa.Column("decided_by", sa.Integer(), sa.ForeignKey("operators.id")),
        sa.Column("decided_at", sa.DateTime()),
        sa.Column("decided_counter", sa.String(16)),
        sa.CheckConstraint("outcome IS NULL OR outcome IN ('upheld', 'dismissed')",
                           name="ck_objection_outcome"),
        sa.CheckConstraint("(outcome IS NULL) = (decided_at IS NULL)",
                           name="ck_objection_decided"),
    )
    for ddl in uid_columns("objections"):
        op.execute(ddl)
    op.create_index("ix_objections_award_id", "objections", ["award_id"])
    _from_audit_log()
    for ddl in register_triggers("objections", OBJECTIONS):
        op.execute(ddl)
    for ddl in GUARDS:
        op.execute(ddl)


def _from_audit_log() -> None:
    """Objections recorded in the audit log (before 0009) become rows, with their outcome;
    written before the triggers exist, so they reach the district with the first change."""
    conn = op.get_bind()
    raised, decided = {}, {}
    for action, at, counter, operator, detail in conn.exec_driver_sql(
            "SELECT action, at, counter_id, operator_id, detail FROM audit_log WHERE action IN "
            "('award.objection', 'award.objection_upheld', 'award.objection_dismissed') "
            "ORDER BY at, id"):
        d = json.loads(detail or "{}")
        if action == "award.objection":
            raised[d["objection"]] = (at, counter, operator, d)
        else:
            decided[d["objection"]] = ("upheld" if action.endswith("upheld") else "dismissed",
                                       d.get("note"), at, counter, operator)
    for oid, (at, counter, operator, d) in raised.items():
        award = conn.exec_driver_sql("SELECT id FROM awards WHERE uid = ?", (d["award"],)).scalar()
        if award is None:
            continue
        outcome, note, dat, dcounter, dop = decided.get(oid, (None, None, None, None, None))
        conn.exec_driver_sql(
            "INSERT INTO objections (uid, award_id, raised_by, reason, raised_at, counter_id, "
            "recorded_by, outcome, note, decided_by, decided_at, decided_counter) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (oid, award, d["raised_by"], d["reason"], at, counter or "", operator, outcome, note,
             dop, dat, dcounter))


def downgrade() -> None:
    for name in ("awards_review_counter_fixed", "objections_decided_final",
                 "objections_no_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for ddl in drop_register_triggers("objections"):
        op.execute(ddl)
    op.drop_table("objections")
    for ddl in drop_register_triggers("awards"):
        op.execute(ddl)
    op.execute("ALTER TABLE awards DROP COLUMN review_counter")
    for ddl in register_triggers("awards", AWARDS_0006):
        op.execute(ddl)
