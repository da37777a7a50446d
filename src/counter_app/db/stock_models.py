"""ORM classes of the stock issue (migration 0005): merchants, price history, vouchers and
their uses, stocktake sessions. Imported at the end of db/models.py.

Registers another counter or the district must know carry ``uid`` (DistrictKeyed) and the
outbox triggers of migration 0005. Stocktake sessions are this counter's working papers:
their result reaches the district as stock-journal entries whose ``ref`` names the session.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.db.models import Base, DistrictKeyed


class ReceiveSource(StrEnum):
    """Where received goods came from (stored in the stock entry's ``ref``)."""

    PURCHASE = "purchase"  # 社区采购
    DONATION = "donation"  # 商家让利 (names the merchant)
    STREET = "street"  # 街道调拨
    DISTRICT = "district"  # 区级调拨
    OTHER = "other"  # 其他 (note required)


class WriteOffReason(StrEnum):
    DAMAGED = "damaged"  # 破损
    EXPIRED = "expired"  # 过期
    LOST = "lost"  # 丢失


class CapacityPeriod(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class StocktakeStatus(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    CANCELLED = "cancelled"


class VoucherEvent(StrEnum):
    USED = "used"  # the merchant took it
    CANCELLED = "cancelled"  # its receipt was voided


class Merchant(DistrictKeyed, Base):
    """商居联盟 merchants: community-wide register."""

    __tablename__ = "merchants"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(128))
    contact: Mapped[str | None] = mapped_column(String(64))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ItemPrice(DistrictKeyed, Base):
    """Price history of an exchange item: one row per change (append-only)."""

    __tablename__ = "item_prices"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("exchange_items.id"), index=True)
    points: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (CheckConstraint("points > 0", name="ck_item_price_pos"),)


class Voucher(DistrictKeyed, Base):
    """A merchant-offer voucher printed on a receipt (append-only; its use is a VoucherUse)."""

    __tablename__ = "vouchers"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("exchange_items.id"), index=True)
    merchant_id: Mapped[int | None] = mapped_column(ForeignKey("merchants.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    counter_id: Mapped[str] = mapped_column(String(16))
    receipt_no: Mapped[str] = mapped_column(String(32), index=True)
    points: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    valid_until: Mapped[datetime] = mapped_column(DateTime)


class VoucherUse(DistrictKeyed, Base):
    """The one end of a voucher (used or cancelled): unique per voucher, append-only."""

    __tablename__ = "voucher_uses"
    id: Mapped[int] = mapped_column(primary_key=True)
    voucher_id: Mapped[int] = mapped_column(ForeignKey("vouchers.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    counter_id: Mapped[str] = mapped_column(String(16))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    note: Mapped[str | None] = mapped_column(Text)


class Stocktake(Base):
    __tablename__ = "stocktakes"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # UUIDv7
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    category: Mapped[str | None] = mapped_column(String(32))  # None: all items
    status: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))


class StocktakeItem(Base):
    """An item in a session; ``book_at_count`` is the book level when it was last counted."""

    __tablename__ = "stocktake_items"
    stocktake_id: Mapped[str] = mapped_column(ForeignKey("stocktakes.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("exchange_items.id"), primary_key=True)
    book_at_open: Mapped[int] = mapped_column(Integer)
    book_at_count: Mapped[int | None] = mapped_column(Integer)
    counted_at: Mapped[datetime | None] = mapped_column(DateTime)


class StocktakeCount(Base):
    """What was counted of an item on one shelf (repeated scans add up)."""

    __tablename__ = "stocktake_counts"
    stocktake_id: Mapped[str] = mapped_column(ForeignKey("stocktakes.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("exchange_items.id"), primary_key=True)
    shelf: Mapped[str] = mapped_column(String(32), primary_key=True)
    qty: Mapped[int] = mapped_column(Integer)
    __table_args__ = (CheckConstraint("qty >= 0", name="ck_stocktake_qty_nonneg"),)
