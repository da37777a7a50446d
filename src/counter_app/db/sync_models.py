"""ORM classes of the district sync (migration 0004). See counter_app/sync/."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.db.models import Base


class DistrictBalance(Base):
    """A member's balance as last pulled (may be negative) and how much of it is this
    counter's own entries (seq <= SyncPull.own_seq)."""

    __tablename__ = "district_balances"
    member_uid: Mapped[str] = mapped_column(String(36), primary_key=True)  # members.uid
    balance: Mapped[int] = mapped_column(Integer, default=0)
    own_included: Mapped[int] = mapped_column(Integer, default=0)
    pulled_at: Mapped[str | None] = mapped_column(String(32))


class SyncPull(Base):
    __tablename__ = "sync_pull"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    cursor: Mapped[str | None] = mapped_column(String(32))
    own_seq: Mapped[int] = mapped_column(Integer, default=0)
    pulled_at: Mapped[str | None] = mapped_column(String(32))
    __table_args__ = (CheckConstraint("id = 1", name="ck_sync_pull_single_row"),)


class DistrictEntry(Base):
    """Another counter's points entry of a member (pulled; for history and day caps)."""

    __tablename__ = "district_entries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    counter_id: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int] = mapped_column(Integer)
    subject_uid: Mapped[str] = mapped_column(String(36))  # members.uid
    delta: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    reverses_id: Mapped[str | None] = mapped_column(String(36))
    ref: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class DistrictHotlist(Base):
    __tablename__ = "district_hotlist"
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # card / overdrawn
    ref_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_uid: Mapped[str] = mapped_column(String(36))
    code: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(32))
    balance: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column()


class SyncDeadLetter(Base):
    __tablename__ = "sync_dead_letters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(32))
    journal: Mapped[str] = mapped_column(String(32))
    entry_id: Mapped[str | None] = mapped_column(String(36))
    seq: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    existing_hash: Mapped[str | None] = mapped_column(String(64))
    received_hash: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (UniqueConstraint("journal", "entry_id", "received_hash",
                                       name="uq_sync_dead_once"),)


class SyncAnchor(Base):
    """The district's head of this counter's chain, as the last sync saw it."""

    __tablename__ = "sync_anchor"
    journal: Mapped[str] = mapped_column(String(16), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(32))


class SyncRun(Base):
    __tablename__ = "sync_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[str] = mapped_column(String(32))
    finished_at: Mapped[str | None] = mapped_column(String(32))
    ok: Mapped[bool | None] = mapped_column()
    pushed: Mapped[int] = mapped_column(Integer, default=0)
    pulled: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
