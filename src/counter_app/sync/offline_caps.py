"""Offline caps: how much a counter of a district may hand out between two syncs, when it
cannot know what other counters did meanwhile (settings.Caps; none apply to a standalone
counter). Checked inside the checkout's write transaction (redemption.checkout):

* points of one redemption;
* points a member redeems in one local day, at this counter and (as of the last pull) at
  the others;
* points redeemed here that the district has not acknowledged yet;
* days since the last successful sync: then a redemption needs an administrator (the
  volunteer's supervisor enters the PIN: ``approved_by`` an authenticated admin Actor).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

from counter_app.db.models import Role
from counter_app.localtime import day_start_utc, local_date
from counter_app.sync import settings
from counter_app.sync.errors import CapExceeded, SyncOverdue


def _in_district(s: Session) -> bool:
    return settings.get(s, "district_id") is not None


def _spent_today(s: Session, counter_id: str, member_id: int, now: datetime) -> int:
    day = local_date(now)
    start, end = day_start_utc(day), day_start_utc(day + timedelta(days=1))
    own = s.execute(text(
        "SELECT coalesce(-sum(delta), 0) FROM points_journal WHERE member_id = :m "
        "AND kind = 'redemption' AND created_at >= :a AND created_at < :b"),
        {"m": member_id, "a": start, "b": end}).scalar()
    others = s.execute(text(
        "SELECT coalesce(-sum(e.delta), 0) FROM district_entries e JOIN members m "
        "ON m.uid = e.subject_uid WHERE m.id = :m AND e.counter_id <> :c "
        "AND e.kind = 'redemption' AND e.created_at >= :a AND e.created_at < :b"),
        {"m": member_id, "c": counter_id, "a": start, "b": end}).scalar()
    return int(own) + int(others)


def _unsynced(s: Session, counter_id: str) -> int:
    return int(s.execute(text(
        "SELECT coalesce(-sum(delta), 0) FROM points_journal WHERE counter_id = :c "
        "AND kind = 'redemption' AND seq > coalesce((SELECT acked_seq FROM sync_state "
        "WHERE counter_id = :c AND journal = 'points'), 0)"), {"c": counter_id}).scalar())


def last_success(s: Session) -> datetime | None:
    t = s.execute(text("SELECT max(finished_at) FROM sync_runs WHERE ok")).scalar()
    return datetime.fromisoformat(t) if t else None


def check(s: Session, actor, member_id: int, total: int, now: datetime,
          approved_by=None) -> None:
    """Raise CapExceeded (or SyncOverdue) when this redemption goes over a cap."""
    if not _in_district(s):
        return
    caps = settings.caps(s)
    if caps.per_redemption and total > caps.per_redemption:
        raise CapExceeded(detail=f"未同步期间每次兑换最多 {caps.per_redemption} 分，"
                                 f"这次共 {total} 分：请分开兑换，或先同步")
    if caps.per_member_day:
        spent = _spent_today(s, actor.counter_id, member_id, now)
        if spent + total > caps.per_member_day:
            raise CapExceeded(detail=f"这位会员今天已兑换 {spent} 分（含其他柜台上次同步时的记录），"
                                     f"每天最多 {caps.per_member_day} 分，这次 {total} 分超出了")
    if caps.unsynced_total:
        waiting = _unsynced(s, actor.counter_id)
        if waiting + total > caps.unsynced_total:
            raise CapExceeded(detail=f"本柜台还有 {waiting} 分的兑换没有同步到街道（上限 "
                                     f"{caps.unsynced_total} 分）：请先同步，再兑换")
    if caps.days_without_sync:
        last = last_success(s)
        if last is not None:
            days = (now - last).days
            admin = (approved_by is not None and approved_by.role == Role.ADMIN) \
                or actor.role == Role.ADMIN
            if days >= caps.days_without_sync and not admin:
                raise SyncOverdue(days=days, limit=caps.days_without_sync)
