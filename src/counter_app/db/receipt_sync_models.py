"""ORM classes of migration 0010 (receipts reach the district). See sync/receipts.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.db.models import Base


class SyncReceipts(Base):
    """pushed_seq: the highest own points sequence whose receipt or void the district holds;
    pull_cursor: pull_receipts' xid8 cursor."""

    __tablename__ = "sync_receipts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    pushed_seq: Mapped[int] = mapped_column(Integer, default=0)
    pull_cursor: Mapped[str | None] = mapped_column(String(32))
    __table_args__ = (CheckConstraint("id = 1", name="ck_sync_receipts_single_row"),)


class DistrictRedemptionLine(Base):
    """A redemption line of another counter of this community, as last pulled (the per-item
    limits count it, rules.py)."""

    __tablename__ = "district_redemption_lines"
    receipt_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    counter_id: Mapped[str] = mapped_column(String(16))
    member_uid: Mapped[str] = mapped_column(String(36))  # members.uid
    item_uid: Mapped[str] = mapped_column(String(36))  # exchange_items.uid
    qty: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (Index("ix_district_redemption_lines_member", "member_uid", "created_at"),
                      # 0012: the service capacity counts them by item
                      Index("ix_district_redemption_lines_item", "item_uid", "created_at"))
