"""District model of migration d0007 (receipts reach the district): the void records of
receipts. Imported at the end of district/models.py."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Text, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.district.models import Base, Xid8


class ReceiptVoid(Base):
    __tablename__ = "receipt_voids"
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    receipt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("receipts.id"), unique=True)
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    receipt_no: Mapped[str] = mapped_column(Text)
    points_entry_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), unique=True)
    operator_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    requested_by: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    content_hash: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                  server_default=text("now()"))
    xid8: Mapped[str] = mapped_column(Xid8(), server_default=text("pg_current_xact_id()"))
    __table_args__ = (Index("ix_receipt_voids_xid8", "xid8"),)
