"""ORM classes of the counter's day (migration 0007): days, shifts, day closes, backups."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.db.models import Base, DistrictKeyed


class CounterDay(Base):
    __tablename__ = "counter_days"
    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    day: Mapped[str] = mapped_column(String(10))  # local date, YYYY-MM-DD
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))


class Shift(Base):
    __tablename__ = "shifts"
    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    day: Mapped[str] = mapped_column(String(10))
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    summary: Mapped[str | None] = mapped_column(Text)  # JSON (day.shifts.ShiftSummary)
    received_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    received_at: Mapped[datetime | None] = mapped_column(DateTime)


class DayClose(DistrictKeyed, Base):
    __tablename__ = "day_closes"
    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    day: Mapped[str] = mapped_column(String(10))
    closed_at: Mapped[datetime] = mapped_column(DateTime)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    points_seq: Mapped[int] = mapped_column(Integer)
    points_hash: Mapped[str] = mapped_column(String(64))
    stock_seq: Mapped[int] = mapped_column(Integer)
    stock_hash: Mapped[str] = mapped_column(String(64))
    heads: Mapped[str] = mapped_column(Text)  # JSON
    report: Mapped[str] = mapped_column(Text)  # JSON (day.day_close.DayReport)
    sync_result: Mapped[str | None] = mapped_column(Text)


class BackupRecord(Base):
    __tablename__ = "backup_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[str | None] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(16))
    file: Mapped[str | None] = mapped_column(Text)
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    removed: Mapped[str | None] = mapped_column(Text)
    problem: Mapped[str | None] = mapped_column(Text)
