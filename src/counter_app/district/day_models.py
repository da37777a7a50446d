"""District model of migration d0006 (day issue): day closes, pushed by the counters as a
register (the heads the printed day report anchors). Imported at the end of
district/models.py."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.district.models import Base, RegisterRow


class DayClose(RegisterRow, Base):
    __tablename__ = "day_closes"
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    day: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime] = mapped_column(DateTime)
    closed_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    points_seq: Mapped[int] = mapped_column(BigInteger)
    points_hash: Mapped[str] = mapped_column(Text)
    stock_seq: Mapped[int] = mapped_column(BigInteger)
    stock_hash: Mapped[str] = mapped_column(Text)
    heads: Mapped[str] = mapped_column(Text)
    report: Mapped[str] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("counter_id", "day", name="uq_day_closes_day"),)
