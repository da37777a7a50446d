"""SQLAlchemy models of the district database (PostgreSQL only).

The migration (migrations/sql/d0001_*.sql) is the source of truth for the DDL, the
triggers and the functions; these models describe the same tables for tools that read
the district with SQLAlchemy, and tests/district/test_schema.py keeps the two equal.
docs/district-schema.md documents every column.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger, Boolean, CheckConstraint, Date, DateTime, ForeignKey, Identity, Index,
    Integer, SmallInteger, Text, UniqueConstraint, text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import UserDefinedType


class Xid8(UserDefinedType):
    """PostgreSQL's 64-bit transaction id, the pull cursor's unit."""

    cache_ok = True

    def get_col_spec(self, **kw) -> str:
        return "xid8"


_NOW = text("now()")
_XID = text("pg_current_xact_id()")


def _uuid_pk(generated: bool = False):
    return mapped_column(UUID(as_uuid=True), primary_key=True,
                         server_default=text("gen_random_uuid()") if generated else None)


def _xid8():
    return mapped_column(Xid8(), server_default=_XID)


class Base(DeclarativeBase):
    pass


# --- geography and counters ---------------------------------------------------------------


class District(Base):
    __tablename__ = "districts"
    id: Mapped[uuid.UUID] = _uuid_pk(generated=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=_NOW)


class Street(Base):
    __tablename__ = "streets"
    id: Mapped[uuid.UUID] = _uuid_pk(generated=True)
    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("districts.id"))
    name: Mapped[str] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("district_id", "name", name="uq_streets_district_name"),)


class Community(Base):
    __tablename__ = "communities"
    id: Mapped[uuid.UUID] = _uuid_pk(generated=True)
    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("districts.id"))
    street_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("streets.id"))
    code: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=_NOW)
    __table_args__ = (CheckConstraint("code ~ '^[A-Z]{2,4}$'"),)


class Counter(Base):
    __tablename__ = "counters"
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    community_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("communities.id"))
    name: Mapped[str] = mapped_column(Text)
    role_name: Mapped[str] = mapped_column(Text, unique=True)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=_NOW)
    __table_args__ = (CheckConstraint("id ~ '^[A-Z0-9]{2,16}$'"),)


# --- registers ------------------------------------------------------------------------------


class RegisterRow:
    """Columns every register shares: the district-wide key, its community, the version."""

    id: Mapped[uuid.UUID] = _uuid_pk()

    @declared_attr
    def community_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(ForeignKey("communities.id"))

    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))

    @declared_attr
    def updated_by(cls) -> Mapped[str | None]:
        return mapped_column(ForeignKey("counters.id"))

    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=_NOW)
    xid8: Mapped[str] = _xid8()


class Compound(RegisterRow, Base):
    __tablename__ = "compounds"
    name: Mapped[str] = mapped_column(Text)


class Building(RegisterRow, Base):
    __tablename__ = "buildings"
    compound_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("compounds.id"))
    name: Mapped[str] = mapped_column(Text)


class Unit(RegisterRow, Base):
    __tablename__ = "units"
    building_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("buildings.id"))
    name: Mapped[str] = mapped_column(Text)


class Household(RegisterRow, Base):
    __tablename__ = "households"
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"))
    room: Mapped[str] = mapped_column(Text)


class Member(RegisterRow, Base):
    __tablename__ = "members"
    kind: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    id_number: Mapped[str | None] = mapped_column(Text)
    birth_date: Mapped[date | None] = mapped_column(Date)
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("households.id"))
    compound_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("compounds.id"))
    work_unit: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (Index("ix_members_community", "community_id"),)


class MemberCard(RegisterRow, Base):
    __tablename__ = "member_cards"
    code: Mapped[str] = mapped_column(Text, unique=True)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"))
    status: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (Index("ix_member_cards_member", "member_id"),)


class Item(RegisterRow, Base):
    __tablename__ = "items"
    kind: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(Text)
    points: Mapped[int] = mapped_column(Integer)
    tracks_stock: Mapped[bool] = mapped_column(Boolean)
    merchant: Mapped[str | None] = mapped_column(Text)
    limit_qty: Mapped[int | None] = mapped_column(Integer)
    limit_period: Mapped[str | None] = mapped_column(Text)
    min_age: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean)
    # d0003 (stock issue)
    merchant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("merchants.id"))
    capacity_qty: Mapped[int | None] = mapped_column(Integer)
    capacity_period: Mapped[str | None] = mapped_column(Text)
    low_stock: Mapped[int | None] = mapped_column(Integer)
    voucher_days: Mapped[int | None] = mapped_column(Integer)


class ItemBarcode(RegisterRow, Base):
    __tablename__ = "item_barcodes"
    code: Mapped[str] = mapped_column(Text)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"))
    __table_args__ = (UniqueConstraint("community_id", "code",
                                       name="uq_item_barcodes_community_code"),)


class PointCategory(RegisterRow, Base):
    __tablename__ = "point_categories"
    scheme: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)


class PointItem(RegisterRow, Base):
    __tablename__ = "point_items"
    category_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("point_categories.id"))
    name: Mapped[str] = mapped_column(Text)
    points: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean)
    eligible: Mapped[str | None] = mapped_column(Text)  # d0004
    min_points: Mapped[int | None] = mapped_column(Integer)  # d0004
    max_points: Mapped[int | None] = mapped_column(Integer)  # d0004


class Operator(RegisterRow, Base):
    __tablename__ = "operators"
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text)
    pin_hash: Mapped[str] = mapped_column(Text)  # argon2; never a PIN
    active: Mapped[bool] = mapped_column(Boolean)


class CommunitySetting(RegisterRow, Base):
    __tablename__ = "community_settings"
    key: Mapped[str] = mapped_column(Text)
    value: Mapped[object | None] = mapped_column(JSONB)
    __table_args__ = (UniqueConstraint("community_id", "key", name="uq_community_settings_key"),)


class Receipt(RegisterRow, Base):
    __tablename__ = "receipts"
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    receipt_no: Mapped[str] = mapped_column(Text)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"))
    operator_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    total_points: Mapped[int] = mapped_column(Integer)
    balance_before: Mapped[int | None] = mapped_column(Integer)
    points_entry_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(Text)  # issued | voided (d0007)
    content_hash: Mapped[str | None] = mapped_column(Text)  # d0007: sha256 of the pushed JSON
    __table_args__ = (UniqueConstraint("counter_id", "receipt_no", name="uq_receipts_counter_no"),
                      Index("ix_receipts_xid8", "xid8"),  # d0007
                      Index("ix_receipts_member", "member_id", "created_at"))


class ReceiptLine(Base):
    __tablename__ = "receipt_lines"
    receipt_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("receipts.id", ondelete="CASCADE"), primary_key=True)
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    item_name: Mapped[str] = mapped_column(Text)
    qty: Mapped[int] = mapped_column(Integer)
    unit_points: Mapped[int] = mapped_column(Integer)
    stock_entry_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # d0007: the counter's own item number the receipt digest covers (receipt_digest.py)
    digest_item_no: Mapped[int | None] = mapped_column(BigInteger)


class RegisterChange(Base):
    __tablename__ = "register_changes"
    register: Mapped[str] = mapped_column(Text, primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("districts.id"))
    community_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("communities.id"))
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean)
    content: Mapped[dict] = mapped_column(JSONB)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=_NOW)
    xid8: Mapped[str] = _xid8()
    __table_args__ = (Index("ix_register_changes_district_xid8", "district_id", "xid8"),)


# --- journals --------------------------------------------------------------------------------


class JournalRow:
    id: Mapped[uuid.UUID] = _uuid_pk()

    # d0011: no foreign key (checked per batch by the push functions, counters never
    # deleted; docs/district-schema.md)
    counter_id: Mapped[str] = mapped_column(Text)
    seq: Mapped[int] = mapped_column(BigInteger)
    subject: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    delta: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(Text)
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    ref: Mapped[str | None] = mapped_column(Text)
    operator_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    note: Mapped[str | None] = mapped_column(Text)
    detail_digest: Mapped[str | None] = mapped_column(Text)
    hash_format: Mapped[int] = mapped_column(SmallInteger)
    prev_hash: Mapped[str] = mapped_column(Text)
    hash: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=_NOW)
    xid8: Mapped[str] = _xid8()


class PointsEntry(JournalRow, Base):
    __tablename__ = "points_journal"
    __table_args__ = (
        UniqueConstraint("counter_id", "seq", name="uq_points_counter_seq"),
        Index("ix_points_journal_xid8", "xid8"),
        Index("ix_points_journal_subject", "subject", "created_at"),
        CheckConstraint("seq >= 1"), CheckConstraint("delta <> 0"),
        CheckConstraint("hash_format IN (1, 2, 3)"),
    )


class StockEntry(JournalRow, Base):
    __tablename__ = "stock_journal"
    __table_args__ = (
        UniqueConstraint("counter_id", "seq", name="uq_stock_counter_seq"),
        Index("ix_stock_journal_subject", "subject", "created_at"),
        CheckConstraint("seq >= 1"), CheckConstraint("delta <> 0"),
        CheckConstraint("hash_format IN (1, 2, 3)"),
    )


class CounterHead(Base):
    __tablename__ = "counter_heads"
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    journal: Mapped[str] = mapped_column(Text, primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    last_hash: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=_NOW)
    __table_args__ = (CheckConstraint("journal IN ('points', 'stock')"),)


# --- derived state -----------------------------------------------------------------------------


class Balance(Base):
    __tablename__ = "balances"
    member_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("districts.id"))
    opening: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    balance: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))  # may be < 0
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=_NOW)
    xid8: Mapped[str] = _xid8()
    __table_args__ = (Index("ix_balances_district_xid8", "district_id", "xid8"),)


class StockLevel(Base):
    __tablename__ = "stock_levels"
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    qty: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=_NOW)
    xid8: Mapped[str] = _xid8()


class Overdraft(Base):
    __tablename__ = "overdrafts"
    id: Mapped[uuid.UUID] = _uuid_pk(generated=True)
    member_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("points_journal.id"), unique=True)
    balance_after: Mapped[int] = mapped_column(BigInteger)
    detected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=_NOW)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index("ix_overdrafts_member", "member_id"),)


class HotlistEntry(Base):
    __tablename__ = "hotlist"
    kind: Mapped[str] = mapped_column(Text, primary_key=True)  # card | overdrawn
    ref_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("districts.id"))
    member_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    code: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    balance: Mapped[int | None] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean)
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=_NOW)
    xid8: Mapped[str] = _xid8()
    __table_args__ = (Index("ix_hotlist_district_xid8", "district_id", "xid8"),
                      CheckConstraint("kind IN ('card', 'overdrawn')"))


class DeadLetter(Base):
    __tablename__ = "dead_letters"
    id: Mapped[uuid.UUID] = _uuid_pk(generated=True)
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    journal: Mapped[str] = mapped_column(Text)  # points | stock | a register name
    entry_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    seq: Mapped[int | None] = mapped_column(BigInteger)
    received: Mapped[dict] = mapped_column(JSONB)
    received_hash: Mapped[str] = mapped_column(Text)
    existing_hash: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=_NOW)
    __table_args__ = (UniqueConstraint("counter_id", "journal", "entry_id", "received_hash",
                                       name="uq_dead_letters_once"),)


class SyncLog(Base):
    __tablename__ = "sync_log"
    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    action: Mapped[str] = mapped_column(Text)
    journal: Mapped[str | None] = mapped_column(Text)
    received: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    accepted: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    duplicates: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    dead: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    head_seq: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=_NOW)
    __table_args__ = (Index("ix_sync_log_counter_at", "counter_id", "at"),)


from counter_app.district import stock_models  # noqa: E402,F401  (d0003: merchants, vouchers …)
from counter_app.district import earning_models  # noqa: E402,F401  (d0004 tables)
from counter_app.district import day_models  # noqa: E402,F401  (d0006: day closes)
from counter_app.district import receipt_models  # noqa: E402,F401  (d0007: receipt voids)
