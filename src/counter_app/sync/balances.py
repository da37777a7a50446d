"""Points available at this counter.

    available = points_accounts.balance            (sum of this counter's own entries)
              + district balance − own_included    (what the district adds: other counters'
                                                    entries and the opening balance)

``own_included`` is the part of the pulled district balance that is this counter's own
entries (seq <= sync_pull.own_seq), so every own entry is counted once: in the district
balance once the pull has it, locally until then. A member the district never sent has
no district row: available = the local sum (a standalone counter works as before).

The pulled balance may be negative (two counters redeemed offline beyond it): it is stored
as it is, and shown; ledger.append refuses only new spending below zero.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from counter_app.db.models import Member, PointsAccount
from counter_app.db.sync_models import DistrictBalance, DistrictHotlist

# SQL of the district part for one member (:m = members.id), 0 without a district row.
DISTRICT_PART_SQL = ("coalesce((SELECT d.balance - d.own_included FROM district_balances d "
                     "JOIN members mm ON mm.uid = d.member_uid WHERE mm.id = :m), 0)")


def district_part_column():
    """A column expression (outer-joined DistrictBalance) for member queries."""
    return func.coalesce(DistrictBalance.balance - DistrictBalance.own_included, 0)


def join_district(query):
    """Outer-join a member query (selecting from Member) to its pulled district balance."""
    return query.outerjoin(DistrictBalance, DistrictBalance.member_uid == Member.uid)


def available(session: Session, member_id: int) -> int | None:
    """Points available, or None for no such member account."""
    own = session.scalar(select(PointsAccount.balance).where(PointsAccount.member_id == member_id))
    if own is None:
        return None
    return own + session.execute(text("SELECT " + DISTRICT_PART_SQL), {"m": member_id}).scalar()


def overdrawn_notice(session: Session, member_id: int) -> str | None:
    """Plain words for the member panel when the district lists the member as overdrawn."""
    row = session.execute(
        select(DistrictHotlist.balance).join(Member, Member.uid == DistrictHotlist.member_uid)
        .where(Member.id == member_id, DistrictHotlist.kind == "overdrawn",
               DistrictHotlist.active.is_(True))).first()
    if row is None:
        return None
    return (f"积分透支：几个柜台在离线时都给这位会员兑换了，街道合计余额为 {row.balance} 分。"
            f"已兑换的都有效；补足积分前不能再兑换。")


def others_history(member_id: int):
    """Other counters' pulled entries of a member, in ledger.JournalRow's column order
    (id, created_at, kind, delta, ref, note, reverses_id) + counter_id; ledger.history
    adds its filters."""
    from counter_app.db.sync_models import DistrictEntry as E

    return (select(E.id, E.created_at, E.kind, E.delta, E.ref, E.note, E.reverses_id,
                   E.counter_id)
            .join(Member, Member.uid == E.subject_uid).where(Member.id == member_id)), E
