"""District models of earning (d0004): dated point-item values, activities, wishes, awards.
The DDL is migrations/sql/d0004_earning.sql; tests/district/test_district_schema.py keeps
these equal to it; docs/district-schema.md documents every column."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.district.models import Base, RegisterRow


class PointItemValue(RegisterRow, Base):
    __tablename__ = "point_item_values"
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("point_items.id"))
    points: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[date] = mapped_column(Date)
    set_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    set_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("item_id", "effective_from",
                                       name="uq_point_item_values_day"),)


class Activity(RegisterRow, Base):
    __tablename__ = "activities"
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("point_items.id"))
    activity_date: Mapped[date] = mapped_column(Date)
    title: Mapped[str | None] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(Text)
    organiser: Mapped[str | None] = mapped_column(Text)
    team: Mapped[str | None] = mapped_column(Text)
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Wish(RegisterRow, Base):
    __tablename__ = "wishes"
    title: Mapped[str] = mapped_column(Text)
    wisher_name: Mapped[str] = mapped_column(Text)
    wisher_member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("members.id"))
    due_date: Mapped[date | None] = mapped_column(Date)
    item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("point_items.id"))
    status: Mapped[str] = mapped_column(Text)
    claimant_member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("members.id"))
    claimant_team: Mapped[str | None] = mapped_column(Text)
    posted_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    posted_at: Mapped[datetime] = mapped_column(DateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)


class Award(RegisterRow, Base):
    __tablename__ = "awards"
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"))
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("point_items.id"))
    activity_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("activities.id"))
    wish_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("wishes.id"))
    activity_date: Mapped[date] = mapped_column(Date)
    points: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    work_unit: Mapped[str | None] = mapped_column(Text)
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    reviewed_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(Text)
    ledger_entry_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), unique=True)
    review_counter: Mapped[str | None] = mapped_column(ForeignKey("counters.id"))  # d0009
    __table_args__ = (Index("ix_awards_member", "member_id"),
                      Index("ix_awards_status_date", "community_id", "status",
                            "activity_date"))


class Objection(RegisterRow, Base):
    """d0009: an objection to the monthly notice, against one award (a register)."""

    __tablename__ = "objections"
    award_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("awards.id"))
    raised_by: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(DateTime)
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    outcome: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_counter: Mapped[str | None] = mapped_column(ForeignKey("counters.id"))
    __table_args__ = (Index("ix_objections_award", "award_id"),)


class AwardReviewClaim(Base):
    """d0009: the counter that claimed the review of an award left to any counter."""

    __tablename__ = "award_review_claims"
    award_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("awards.id"), primary_key=True)
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=text("now()"))
