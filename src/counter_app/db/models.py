"""ORM models (SQLAlchemy 2.x typed). The schema itself is owned by Alembic migrations.

Money-like data (points, stock) lives in append-only journals; ``points_accounts``
and ``stock_levels`` are caches updated in the same transaction as the journal.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from counter_app.ids import uuid7
from counter_app.member_kinds import (  # noqa: F401  (defined without the ORM, re-exported)
    CATEGORY_LABELS, MemberCategory, MemberStatus,
)
from counter_app.roles import Role  # noqa: F401  (defined without the ORM, re-exported)


class Base(DeclarativeBase):
    pass


class DistrictKeyed:
    """A register row other counters and the district know: by ``uid`` (UUIDv7, made at
    creation, never changed), never by the local integer rowid. ``version`` and the outbox
    row of every change are written by triggers (migration 0003), whatever the call site."""

    uid: Mapped[str] = mapped_column(String(36), unique=True, default=uuid7)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


# --- enumerations (stored as short text) -------------------------------------------


class MemberKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class CardStatus(StrEnum):
    ACTIVE = "active"
    BLOCKED = "blocked"


class EntryKind(StrEnum):
    AWARD = "award"
    REDEMPTION = "redemption"
    REVERSAL = "reversal"
    ADJUSTMENT = "adjustment"
    EXPIRY = "expiry"


class StockKind(StrEnum):
    RECEIVE = "receive"
    REDEMPTION = "redemption"
    REVERSAL = "reversal"
    ADJUSTMENT = "adjustment"
    STOCKTAKE = "stocktake"  # a count session's adjustment (ref: the session)
    WRITEOFF = "writeoff"  # damaged, expired, lost (ref: the reason, note: the words)


class ItemKind(StrEnum):
    GOODS = "goods"  # 实物
    SERVICE = "service"  # 服务
    MERCHANT_OFFER = "merchant_offer"  # 商居联盟优惠


class LimitPeriod(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


# --- geography -----------------------------------------------------------------------


class Street(DistrictKeyed, Base):
    __tablename__ = "streets"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)


class Community(DistrictKeyed, Base):
    __tablename__ = "communities"
    id: Mapped[int] = mapped_column(primary_key=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("streets.id"))
    code: Mapped[str] = mapped_column(String(8), unique=True)  # card-code prefix
    name: Mapped[str] = mapped_column(String(64))


class Compound(DistrictKeyed, Base):
    __tablename__ = "compounds"  # 小区
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))


class Building(DistrictKeyed, Base):
    __tablename__ = "buildings"  # 楼栋
    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compounds.id"), index=True)
    name: Mapped[str] = mapped_column(String(32))


class Unit(DistrictKeyed, Base):
    __tablename__ = "units"  # 单元
    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"), index=True)
    name: Mapped[str] = mapped_column(String(32))


class Household(DistrictKeyed, Base):
    __tablename__ = "households"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    room: Mapped[str] = mapped_column(String(16))


class Counter(Base):
    __tablename__ = "counters"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    name: Mapped[str] = mapped_column(String(64))


# --- members ---------------------------------------------------------------------------


class Member(DistrictKeyed, Base):
    __tablename__ = "members"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(20))
    id_number: Mapped[str | None] = mapped_column(String(32))  # stored, shown masked
    birth_date: Mapped[date | None] = mapped_column(Date)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    compound_id: Mapped[int | None] = mapped_column(ForeignKey("compounds.id"), index=True)
    work_unit: Mapped[str | None] = mapped_column(String(128))  # 在职党员's employer
    address: Mapped[str | None] = mapped_column(String(128))  # organisations, merchants
    card_code: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=MemberStatus.ACTIVE)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Search keys, precomputed on write (see members.search_keys).
    name_pinyin: Mapped[str] = mapped_column(String(256), index=True)
    name_initials: Mapped[str] = mapped_column(String(64), index=True)
    phone_tail: Mapped[str | None] = mapped_column(String(4), index=True)

    __table_args__ = (Index("ix_members_phone", "phone"), Index("ix_members_name", "name"))

    account: Mapped[PointsAccount] = relationship(back_populates="member", uselist=False)


class MemberCard(DistrictKeyed, Base):
    """Every card ever issued; a replaced card stays here, blocked, so a scan explains itself."""

    __tablename__ = "member_cards"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=CardStatus.ACTIVE)
    issued_at: Mapped[datetime] = mapped_column(DateTime)


class PointsAccount(Base):
    __tablename__ = "points_accounts"
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    # The sum of this counter's own entries (0004: may be negative at a counter of a
    # district; what is available is sync.balances.available).
    balance: Mapped[int] = mapped_column(Integer, default=0)
    member: Mapped[Member] = relationship(back_populates="account")


# --- journals -------------------------------------------------------------------------


class JournalHead(Base):
    """Last sequence number and hash of each counter's journal (points or stock)."""

    __tablename__ = "journal_heads"
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    journal: Mapped[str] = mapped_column(String(16), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


class PointsEntry(Base):
    __tablename__ = "points_journal"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # UUIDv7
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    seq: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    delta: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    reverses_id: Mapped[str | None] = mapped_column(ForeignKey("points_journal.id"), unique=True)
    ref: Mapped[str | None] = mapped_column(String(64))  # receipt no, point item …
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # 1: the JSON payload of the first release; 2: journal.entry_hash_v2 (covers the digest);
    # 3: journal.entry_hash_v3 (format 2 over the district-wide uids of subject and operator).
    hash_format: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    detail_digest: Mapped[str | None] = mapped_column(String(64))  # receipt of a redemption/void
    # 3: what format 3 hashes for subject and operator (NULL on entries of formats 1/2).
    subject_uid: Mapped[str | None] = mapped_column(String(36))  # members.uid
    operator_uid: Mapped[str | None] = mapped_column(String(36))  # operators.uid
    __table_args__ = (
        UniqueConstraint("counter_id", "seq", name="uq_points_counter_seq"),
        Index("ix_points_member_time", "member_id", "created_at"),
        CheckConstraint("delta <> 0", name="ck_points_delta_nonzero"),
    )


class StockLevel(Base):
    __tablename__ = "stock_levels"
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("exchange_items.id"), primary_key=True)
    qty: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (CheckConstraint("qty >= 0", name="ck_stock_nonneg"),)


class StockEntry(Base):
    __tablename__ = "stock_journal"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    seq: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(ForeignKey("exchange_items.id"))
    delta: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    reverses_id: Mapped[str | None] = mapped_column(ForeignKey("stock_journal.id"), unique=True)
    ref: Mapped[str | None] = mapped_column(String(64))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # 1: the JSON payload of the first release; 2: journal.entry_hash_v2 (covers the digest);
    # 3: journal.entry_hash_v3 (format 2 over the district-wide uids of subject and operator).
    hash_format: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    detail_digest: Mapped[str | None] = mapped_column(String(64))  # receipt of a redemption/void
    subject_uid: Mapped[str | None] = mapped_column(String(36))  # exchange_items.uid
    operator_uid: Mapped[str | None] = mapped_column(String(36))  # operators.uid
    __table_args__ = (
        UniqueConstraint("counter_id", "seq", name="uq_stock_counter_seq"),
        Index("ix_stock_item_time", "item_id", "created_at"),
        CheckConstraint("delta <> 0", name="ck_stock_delta_nonzero"),
    )


# --- catalogue --------------------------------------------------------------------------


class ExchangeItem(DistrictKeyed, Base):
    __tablename__ = "exchange_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32))  # tile group: 粮油, 日用品, 服务 …
    name: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(8), default="件")
    points: Mapped[int] = mapped_column(Integer)
    tracks_stock: Mapped[bool] = mapped_column(default=True)  # services don't
    merchant: Mapped[str | None] = mapped_column(String(64))
    limit_qty: Mapped[int | None] = mapped_column(Integer)  # per member per period
    limit_period: Mapped[str | None] = mapped_column(String(16))
    min_age: Mapped[int | None] = mapped_column(Integer)  # e.g. 爱心餐 for 70+
    active: Mapped[bool] = mapped_column(default=True)
    # 0005 (stock issue): the merchant of an offer, a service's capacity per period shared
    # by all members, the low-stock threshold, a picture file, how long a voucher is valid.
    merchant_id: Mapped[int | None] = mapped_column(Integer)  # merchants.id, checked in code
    capacity_qty: Mapped[int | None] = mapped_column(Integer)
    capacity_period: Mapped[str | None] = mapped_column(String(16))
    low_stock: Mapped[int | None] = mapped_column(Integer)
    picture: Mapped[str | None] = mapped_column(Text)
    voucher_days: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (CheckConstraint("points > 0", name="ck_item_points_pos"),)


class ItemBarcode(DistrictKeyed, Base):
    __tablename__ = "item_barcodes"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("exchange_items.id"), index=True)


class PointCategory(DistrictKeyed, Base):
    __tablename__ = "point_categories"
    id: Mapped[int] = mapped_column(primary_key=True)
    scheme: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))


class PointItem(DistrictKeyed, Base):
    __tablename__ = "point_items"  # 积分项目
    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("point_categories.id"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    points: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(default=True)
    # 0006 (earning): who may earn it (comma-separated MemberCategory values; NULL = all) and
    # the range an award's value may take (NULL = exactly the value in force).
    eligible: Mapped[str | None] = mapped_column(String(128))
    min_points: Mapped[int | None] = mapped_column(Integer)
    max_points: Mapped[int | None] = mapped_column(Integer)


# --- redemptions ------------------------------------------------------------------------


class Redemption(Base):
    __tablename__ = "redemptions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    receipt_no: Mapped[str] = mapped_column(String(32), unique=True)
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    total_points: Mapped[int] = mapped_column(Integer)
    balance_before: Mapped[int] = mapped_column(Integer)
    points_entry_id: Mapped[str] = mapped_column(ForeignKey("points_journal.id"), unique=True)
    lines: Mapped[list[RedemptionLine]] = relationship(order_by="RedemptionLine.line_no")


class RedemptionLine(Base):
    __tablename__ = "redemption_lines"
    redemption_id: Mapped[str] = mapped_column(ForeignKey("redemptions.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("exchange_items.id"), index=True)
    item_name: Mapped[str] = mapped_column(String(64))  # as printed, even if renamed later
    qty: Mapped[int] = mapped_column(Integer)
    unit_points: Mapped[int] = mapped_column(Integer)
    stock_entry_id: Mapped[str | None] = mapped_column(ForeignKey("stock_journal.id"))
    # 0010: the item number the receipt digest covers, when not item_id (a receipt fetched
    # back by a rejoined counter: receipt_digest.py)
    digest_item_id: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (CheckConstraint("qty > 0", name="ck_line_qty_pos"),)


class RedemptionVoid(Base):
    """A voided receipt: who, when, why. Its points reversal's hash covers it (void_digest)."""

    __tablename__ = "redemption_voids"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    redemption_id: Mapped[str] = mapped_column(ForeignKey("redemptions.id"), unique=True)
    receipt_no: Mapped[str] = mapped_column(String(32))
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"))
    points_entry_id: Mapped[str] = mapped_column(ForeignKey("points_journal.id"), unique=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    requested_by: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


# --- operators and audit ---------------------------------------------------------------


class Operator(DistrictKeyed, Base):
    __tablename__ = "operators"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(String(128))
    failed_pins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(default=True)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    counter_id: Mapped[str | None] = mapped_column(String(16))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    action: Mapped[str] = mapped_column(String(48))
    detail: Mapped[str | None] = mapped_column(Text)  # JSON


class Setting(DistrictKeyed, Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --- district sync state (beside the journals, never on their rows) -----------------------


class OutboxEntry(Base):
    """One change of a register row, written by triggers in the changing transaction."""

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(32))
    row_uid: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)  # JSON: uids, never local rowids
    created_at: Mapped[str] = mapped_column(String(32))  # naive UTC text, SQLite's clock
    __table_args__ = (Index("ix_outbox_row", "table_name", "row_uid"),
                      {"sqlite_autoincrement": True})


class OutboxAcked(Base):
    __tablename__ = "outbox_acked"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    acked_seq: Mapped[int] = mapped_column(Integer, default=0)


class SyncState(Base):
    """Per counter and journal: the highest sequence the district acknowledged, its hash."""

    __tablename__ = "sync_state"
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    journal: Mapped[str] = mapped_column(String(16), primary_key=True)
    acked_seq: Mapped[int] = mapped_column(Integer, default=0)
    acked_hash: Mapped[str] = mapped_column(String(64))


class CardNumber(Base):
    """The last card number a counter issued (card_codes); moved with the card insert."""

    __tablename__ = "card_numbers"
    counter_id: Mapped[str] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


from counter_app.db import sync_models  # noqa: E402,F401  (district sync tables, 0004)
from counter_app.db import stock_models  # noqa: E402,F401  (stock issue: merchants, vouchers …)
from counter_app.db import day_models  # noqa: E402,F401  (issue 11: days, shifts, day closes)
from counter_app.db import earning_models  # noqa: E402,F401  (issue 10 tables)
from counter_app.db import receipt_sync_models  # noqa: E402,F401  (0010: receipts sync)
