"""earning: dated point-item values, activities, awards (pending -> reviewed), wishes

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-02

* ``point_items`` gains ``eligible`` (comma-separated member categories that may earn it;
  NULL = everyone), ``min_points`` / ``max_points`` (the range an award's value may take;
  NULL = exactly the value in force). Its synced columns change, so its triggers are
  dropped and recreated with the new spec.
* ``point_item_values``: the dated values of an item (in force from ``effective_from`` until
  the next), only ever added: the history of changes with who and when. Every existing item
  gets one value, in force since 2000-01-01 (before any activity this program records).
* ``activities``, ``awards``, ``wishes``: registers (uid + outbox triggers). An award is
  pending until reviewed; only an approved one has a ledger entry (``ledger_entry_id``
  UNIQUE, and a CHECK ties it to the status). Triggers make an approved award final
  (only approved -> revoked, by an upheld objection) and refuse deleting a decided award.
* ``settings``: the expiry policy keys are community-wide, so the settings triggers are
  recreated with the wider row filter.
"""

from alembic import op
import sqlalchemy as sa

from counter_app.db.outbox_ddl import LOCAL_COMMUNITY, drop_register_triggers, register_triggers


revision = '0006'
down_revision = '0003'
branch_labels = None
depends_on = None

SINCE_ALWAYS = "2000-01-01"

# Frozen here: a later migration that changes one of these registers replaces its triggers.
POINT_ITEMS_0003 = (("name", "points", "active"), {"category_id": "point_categories"},
                    LOCAL_COMMUNITY)
REGISTERS = {
    "point_items": (("name", "points", "active", "eligible", "min_points", "max_points"),
                    {"category_id": "point_categories"}, LOCAL_COMMUNITY),
    "point_item_values": (("points", "effective_from", "set_at", "note"),
                          {"item_id": "point_items", "set_by": "operators"}, LOCAL_COMMUNITY),
    "activities": (("activity_date", "title", "place", "organiser", "team", "counter_id",
                    "created_at"),
                   {"item_id": "point_items", "created_by": "operators"}, LOCAL_COMMUNITY),
    "wishes": (("title", "wisher_name", "due_date", "status", "claimant_team", "posted_at",
                "claimed_at", "completed_at", "note"),
               {"wisher_member_id": "members", "item_id": "point_items",
                "claimant_member_id": "members", "posted_by": "operators"}, LOCAL_COMMUNITY),
    "awards": (("activity_date", "points", "status", "note", "work_unit", "counter_id",
                "recorded_at", "reviewed_at", "reason", "ledger_entry_id"),
               {"member_id": "members", "item_id": "point_items", "activity_id": "activities",
                "wish_id": "wishes", "recorded_by": "operators", "reviewed_by": "operators"},
               LOCAL_COMMUNITY),
}
NEW_TABLES = ("point_item_values", "activities", "wishes", "awards")

COMMUNITY_SETTINGS_0003 = ("redemption_window",)
COMMUNITY_SETTINGS = ("redemption_window", "points_expiry", "expiry_notice_days", "point_scheme")
SETTINGS_SPEC = (("key", "value"), {}, LOCAL_COMMUNITY)


def _settings_filter(keys) -> str:
    return "NEW.key IN (" + ", ".join(f"'{k}'" for k in keys) + ")"


AWARD_GUARDS = [
    # An approved award is final: only approved -> revoked (an upheld objection reverses its
    # entry); a revoked one does not change at all. version/uid bookkeeping may move.
    "CREATE TRIGGER awards_decided_final BEFORE UPDATE ON awards "
    "WHEN (OLD.status = 'approved' AND (NEW.status NOT IN ('approved', 'revoked') "
    "OR NEW.points IS NOT OLD.points OR NEW.member_id IS NOT OLD.member_id "
    "OR NEW.item_id IS NOT OLD.item_id OR NEW.activity_date IS NOT OLD.activity_date "
    "OR NEW.ledger_entry_id IS NOT OLD.ledger_entry_id)) "
    "OR (OLD.status = 'revoked' AND (NEW.status IS NOT OLD.status OR NEW.points IS NOT OLD.points "
    "OR NEW.member_id IS NOT OLD.member_id OR NEW.ledger_entry_id IS NOT OLD.ledger_entry_id)) "
    "BEGIN SELECT RAISE(ABORT, 'awards: an approved award is final'); END",
    "CREATE TRIGGER awards_no_delete_decided BEFORE DELETE ON awards "
    "WHEN OLD.status IN ('approved', 'revoked') "
    "BEGIN SELECT RAISE(ABORT, 'awards: a decided award cannot be deleted'); END",
    "CREATE TRIGGER point_item_values_no_update BEFORE UPDATE ON point_item_values "
    "WHEN NEW.points IS NOT OLD.points OR NEW.effective_from IS NOT OLD.effective_from "
    "OR NEW.item_id IS NOT OLD.item_id "
    "BEGIN SELECT RAISE(ABORT, 'point_item_values is append-only'); END",
]


def _keyed():
    return [sa.Column("uid", sa.String(length=36), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False, server_default="1")]


def upgrade() -> None:
    for ddl in drop_register_triggers("point_items"):
        op.execute(ddl)
    op.execute("ALTER TABLE point_items ADD COLUMN eligible VARCHAR(128)")
    op.execute("ALTER TABLE point_items ADD COLUMN min_points INTEGER")
    op.execute("ALTER TABLE point_items ADD COLUMN max_points INTEGER")

    op.create_table(
        "point_item_values",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("point_items.id"), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("set_by", sa.Integer(), sa.ForeignKey("operators.id")),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text()),
        *_keyed(),
        sa.UniqueConstraint("item_id", "effective_from", name="uq_point_value_day"),
        sa.CheckConstraint("points > 0", name="ck_point_value_pos"),
    )
    op.create_index("ix_point_item_values_item_id", "point_item_values", ["item_id"])
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("point_items.id"), nullable=False),
        sa.Column("activity_date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=128)),
        sa.Column("place", sa.String(length=128)),
        sa.Column("organiser", sa.String(length=64)),
        sa.Column("team", sa.String(length=64)),
        sa.Column("counter_id", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("operators.id")),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_keyed(),
    )
    op.create_index("ix_activities_item_id", "activities", ["item_id"])
    op.create_index("ix_activities_activity_date", "activities", ["activity_date"])
    op.create_table(
        "wishes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(length=128), nullable=False),
        sa.Column("wisher_name", sa.String(length=64), nullable=False),
        sa.Column("wisher_member_id", sa.Integer(), sa.ForeignKey("members.id")),
        sa.Column("due_date", sa.Date()),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("point_items.id")),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimant_member_id", sa.Integer(), sa.ForeignKey("members.id")),
        sa.Column("claimant_team", sa.String(length=64)),
        sa.Column("posted_by", sa.Integer(), sa.ForeignKey("operators.id")),
        sa.Column("posted_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_at", sa.DateTime()),
        sa.Column("completed_at", sa.DateTime()),
        sa.Column("note", sa.Text()),
        *_keyed(),
    )
    op.create_table(
        "awards",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id"), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("point_items.id"), nullable=False),
        sa.Column("activity_id", sa.Integer(), sa.ForeignKey("activities.id")),
        sa.Column("wish_id", sa.Integer(), sa.ForeignKey("wishes.id")),
        sa.Column("activity_date", sa.Date(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("work_unit", sa.String(length=128)),
        sa.Column("counter_id", sa.String(length=16), nullable=False),
        sa.Column("recorded_by", sa.Integer(), sa.ForeignKey("operators.id")),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_by", sa.Integer(), sa.ForeignKey("operators.id")),
        sa.Column("reviewed_at", sa.DateTime()),
        sa.Column("reason", sa.Text()),
        sa.Column("ledger_entry_id", sa.String(length=36), sa.ForeignKey("points_journal.id"),
                  unique=True),
        *_keyed(),
        sa.CheckConstraint("points > 0", name="ck_award_points_pos"),
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected', 'removed', 'revoked')",
                           name="ck_award_status"),
        sa.CheckConstraint("(status IN ('approved', 'revoked')) = (ledger_entry_id IS NOT NULL)",
                           name="ck_award_ledger"),
    )
    for name, cols in (("ix_awards_member_id", ["member_id"]), ("ix_awards_item_id", ["item_id"]),
                       ("ix_awards_activity_id", ["activity_id"]),
                       ("ix_awards_wish_id", ["wish_id"]),
                       ("ix_awards_status_date", ["status", "activity_date"])):
        op.create_index(name, "awards", cols)
    for table in NEW_TABLES:
        op.execute(f"CREATE UNIQUE INDEX uq_{table}_uid ON {table} (uid)")
    for table, spec in REGISTERS.items():
        for ddl in register_triggers(table, spec):
            op.execute(ddl)
    for ddl in AWARD_GUARDS:
        op.execute(ddl)

    # One value per existing item, in force since always; written as a register row so the
    # district learns it like any other (the outbox trigger fires).
    from counter_app.ids import uuid7

    conn = op.get_bind()
    items = conn.exec_driver_sql("SELECT id, points FROM point_items ORDER BY id").fetchall()
    if items:
        conn.exec_driver_sql(
            "INSERT INTO point_item_values (item_id, points, effective_from, set_at, note, uid) "
            "VALUES (?, ?, ?, strftime('%Y-%m-%d %H:%M:%f', 'now'), '升级前的分值', ?)",
            [(i, p, SINCE_ALWAYS, uuid7()) for i, p in items])

    for ddl in drop_register_triggers("settings"):
        op.execute(ddl)
    for ddl in register_triggers("settings", SETTINGS_SPEC, _settings_filter(COMMUNITY_SETTINGS)):
        op.execute(ddl)


def downgrade() -> None:
    for ddl in drop_register_triggers("settings"):
        op.execute(ddl)
    for ddl in register_triggers("settings", SETTINGS_SPEC,
                                 _settings_filter(COMMUNITY_SETTINGS_0003)):
        op.execute(ddl)
    for name in ("awards_decided_final", "awards_no_delete_decided",
                 "point_item_values_no_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table in REGISTERS:
        for ddl in drop_register_triggers(table):
            op.execute(ddl)
    for table in ("awards", "wishes", "activities", "point_item_values"):
        op.drop_table(table)
    for column in ("max_points", "min_points", "eligible"):
        op.execute(f"ALTER TABLE point_items DROP COLUMN {column}")
    for ddl in register_triggers("point_items", POINT_ITEMS_0003):
        op.execute(ddl)
