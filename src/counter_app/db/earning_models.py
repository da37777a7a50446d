"""ORM models of earning (issue 10): dated point-item values, activities, awards, wishes.

The schema is owned by migration 0006. Every table here is a register (``uid`` + outbox
triggers): an award recorded at one counter can be reviewed at another.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.db.models import Base, DistrictKeyed


class AwardStatus(StrEnum):
    PENDING = "pending"    # 待审核: never changes a balance
    APPROVED = "approved"  # 已通过: its ledger entry is ledger_entry_id (exactly one)
    REJECTED = "rejected"  # 已驳回: may be corrected and resubmitted (back to pending)
    REMOVED = "removed"    # 已移除: a participant taken off an activity's list, with a reason
    REVOKED = "revoked"    # 已撤销: approved, later reversed (an upheld objection, issue 10 item 5)


AWARD_STATUS_LABELS = {
    AwardStatus.PENDING: "待审核", AwardStatus.APPROVED: "已通过",
    AwardStatus.REJECTED: "已驳回", AwardStatus.REMOVED: "已移除",
    AwardStatus.REVOKED: "已撤销",
}


class WishStatus(StrEnum):
    POSTED = "posted"        # 待认领
    CLAIMED = "claimed"      # 已认领
    COMPLETED = "completed"  # 已完成 (its award(s) go through the review)
    CANCELLED = "cancelled"  # 已撤下


WISH_STATUS_LABELS = {WishStatus.POSTED: "待认领", WishStatus.CLAIMED: "已认领",
                      WishStatus.COMPLETED: "已完成", WishStatus.CANCELLED: "已撤下"}


class StatusLabelled:
    """Rows with a ``status`` shown in Chinese (``LABELS``: status -> label)."""

    LABELS: dict = {}

    @property
    def status_label(self) -> str:
        return self.LABELS.get(self.status, self.status)


class PointItemValue(DistrictKeyed, Base):
    """One dated value of a point item: in force from ``effective_from`` until the next one.
    Rows are only ever added (the history of changes, with who and when)."""

    __tablename__ = "point_item_values"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("point_items.id"), index=True)
    points: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[date] = mapped_column(Date)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    set_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("item_id", "effective_from", name="uq_point_value_day"),
                      CheckConstraint("points > 0", name="ck_point_value_pos"))


class Activity(DistrictKeyed, Base):
    """An activity with many participants (活动): one item, one date, one place."""

    __tablename__ = "activities"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("point_items.id"), index=True)
    activity_date: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str | None] = mapped_column(String(128))
    place: Mapped[str | None] = mapped_column(String(128))
    organiser: Mapped[str | None] = mapped_column(String(64))
    team: Mapped[str | None] = mapped_column(String(64))
    counter_id: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Award(DistrictKeyed, Base):
    """One award (记录积分): pending until a reviewer decides; only an approved award has a
    ledger entry, and at most one (``ledger_entry_id`` UNIQUE, set in the approving
    transaction by a conditional UPDATE on status = 'pending')."""

    __tablename__ = "awards"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("point_items.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"), index=True)
    wish_id: Mapped[int | None] = mapped_column(ForeignKey("wishes.id"), index=True)
    activity_date: Mapped[date] = mapped_column(Date)
    points: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=AwardStatus.PENDING)
    note: Mapped[str | None] = mapped_column(Text)
    work_unit: Mapped[str | None] = mapped_column(String(128))  # 在职党员's employer, then
    counter_id: Mapped[str] = mapped_column(String(16))  # where it was recorded
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(Text)  # of a rejection or a removal
    ledger_entry_id: Mapped[str | None] = mapped_column(ForeignKey("points_journal.id"),
                                                        unique=True)
    # the one counter that reviews it offline (fixed at birth); None: any counter, after a
    # claim at the district (earning.claims; migration 0009)
    review_counter: Mapped[str | None] = mapped_column(String(16))
    __table_args__ = (
        Index("ix_awards_status_date", "status", "activity_date"),
        CheckConstraint("points > 0", name="ck_award_points_pos"),
        CheckConstraint("status IN ('pending', 'approved', 'rejected', 'removed', 'revoked')",
                        name="ck_award_status"),
        CheckConstraint("(status IN ('approved', 'revoked')) = (ledger_entry_id IS NOT NULL)",
                        name="ck_award_ledger"),
    )


class Wish(DistrictKeyed, Base):
    """A resident's micro-wish (微心愿): posted, claimed, completed."""

    __tablename__ = "wishes"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(128))  # what
    wisher_name: Mapped[str] = mapped_column(String(64))  # who (shown on the wall)
    wisher_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    due_date: Mapped[date | None] = mapped_column(Date)  # by when
    item_id: Mapped[int | None] = mapped_column(ForeignKey("point_items.id"))  # on completion
    status: Mapped[str] = mapped_column(String(16), default=WishStatus.POSTED)
    claimant_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    claimant_team: Mapped[str | None] = mapped_column(String(64))
    posted_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    posted_at: Mapped[datetime] = mapped_column(DateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)


class ObjectionOutcome(StrEnum):
    UPHELD = "upheld"        # 异议成立: the award's entry reversed, the award revoked
    DISMISSED = "dismissed"  # 异议不成立: the award stands


class Objection(DistrictKeyed, Base):
    """An objection to a published notice (公示异议), against one award; decided once
    (migration 0009: a register, final once decided)."""

    __tablename__ = "objections"
    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id"), index=True)
    raised_by: Mapped[str] = mapped_column(String(64))  # the objector's real name
    reason: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(DateTime)
    counter_id: Mapped[str] = mapped_column(String(16))  # where it was recorded
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    outcome: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_counter: Mapped[str | None] = mapped_column(String(16))
    __table_args__ = (
        CheckConstraint("outcome IS NULL OR outcome IN ('upheld', 'dismissed')",
                        name="ck_objection_outcome"),
        CheckConstraint("(outcome IS NULL) = (decided_at IS NULL)", name="ck_objection_decided"),
    )
