"""District models of migration d0003 (stock issue): merchants, item price history,
vouchers and their uses. Imported at the end of district/models.py."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.district.models import Base, RegisterRow


class Merchant(RegisterRow, Base):
    __tablename__ = "merchants"
    name: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(Text)
    member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("members.id"))
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ItemPrice(RegisterRow, Base):
    __tablename__ = "item_prices"
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"))
    points: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    operator_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_item_prices_item", "item_id"), CheckConstraint("points > 0"))


class Voucher(RegisterRow, Base):
    __tablename__ = "vouchers"
    code: Mapped[str] = mapped_column(Text)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"))
    merchant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("merchants.id"))
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"))
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    receipt_no: Mapped[str] = mapped_column(Text)
    points: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    valid_until: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (UniqueConstraint("code", name="uq_vouchers_code"),
                      Index("ix_vouchers_merchant_issued", "merchant_id", "issued_at"))


class VoucherUse(RegisterRow, Base):
    __tablename__ = "voucher_uses"
    voucher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vouchers.id"))
    kind: Mapped[str] = mapped_column(Text)
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    operator_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("voucher_id", name="uq_voucher_uses_voucher"),
                      CheckConstraint("kind IN ('used', 'cancelled')"))
