"""Points expiry policy: none by default; optionally points earned in a year expire at the
end of the following year (一年一清). Expiry runs as ledger entries (kind ``expiry``), and is
announced to the member a configurable number of days before (member panel, receipt).

Which points are whose: the oldest are spent first. So what is left of the points earned
up to year Y is ``max(0, balance - earned since 1 January of Y+1)``; earned = approved
awards (their ledger entries) net of their reversals. A run for year Y therefore expires,
per member, what is left of the points earned up to the end of Y, once (ref ``EXP<Y>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from counter_app import audit, ledger
from counter_app.db.models import EntryKind, PointsEntry, Setting
from counter_app.earning import catalogue
from counter_app.errors import InvalidInput
from counter_app.localtime import day_start_utc
from counter_app.operators import Actor, Permission, require

POLICY_KEY, NOTICE_KEY = "points_expiry", "expiry_notice_days"
NONE, NEXT_YEAR_END = "none", "next_year_end"
POLICY_LABELS = {NONE: "不过期", NEXT_YEAR_END: "当年积分次年年底过期"}
DEFAULT_NOTICE_DAYS = 60
REF = "EXP{year}"


@dataclass(frozen=True)
class Policy:
    mode: str = NONE
    notice_days: int = DEFAULT_NOTICE_DAYS

    @property
    def on(self) -> bool:
        return self.mode == NEXT_YEAR_END


def policy(session: Session) -> Policy:
    values = dict(session.execute(select(Setting.key, Setting.value)
                                  .where(Setting.key.in_((POLICY_KEY, NOTICE_KEY)))).all())
    days = values.get(NOTICE_KEY)
    return Policy(values.get(POLICY_KEY, NONE),
                  int(days) if days and days.isdigit() else DEFAULT_NOTICE_DAYS)


def set_policy(db, actor: Actor, mode: str, notice_days: int = DEFAULT_NOTICE_DAYS) -> Policy:
    require(actor, Permission.SETTINGS)
    if mode not in POLICY_LABELS:
        raise InvalidInput(detail=f"没有“{mode}”这种过期规则，可选：{'、'.join(POLICY_LABELS)}")
    if type(notice_days) is not int or not 0 <= notice_days <= 366:
        raise InvalidInput(detail=f"提前提醒天数须在 0 到 366 之间（收到 {notice_days}）")
    with db.write() as s:
        for key, value in ((POLICY_KEY, mode), (NOTICE_KEY, str(notice_days))):
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value=value))
            elif row.value != value:
                row.value = value
        audit.record(s, actor, "settings.expiry", mode=mode, notice_days=notice_days)
    return Policy(mode, notice_days)


# Approved awards since :start, net of the reversals of those awards, per member.
_EARNED = """
SELECT e.member_id, SUM(e.delta) + COALESCE(SUM(r.delta), 0)
  FROM points_journal e LEFT JOIN points_journal r ON r.reverses_id = e.id
 WHERE e.kind = 'award' AND e.created_at >= :start {member}
 GROUP BY e.member_id
"""


def _earned_since(session: Session, start: date, member_id: int | None = None) -> dict[int, int]:
    sql = _EARNED.format(member="AND e.member_id = :m" if member_id is not None else "")
    params = {"start": day_start_utc(start).isoformat(sep=" "), "m": member_id}
    return {m: v or 0 for m, v in session.execute(text(sql), params)}


def left_from_before(session: Session, member_id: int, year: int) -> int:
    """What is left of the member's points earned up to the end of ``year``."""
    earned = _earned_since(session, date(year + 1, 1, 1), member_id).get(member_id, 0)
    return max(0, ledger.balance_of(session, member_id) - earned)


def notice(session: Session, member_id: int, today: date | None = None) -> str | None:
    """The announcement the counter shows (member panel) and prints (receipt), or None:
    within ``notice_days`` before 31 December, the points due to expire then."""
    pol = policy(session)
    if not pol.on:
        return None
    today = today or catalogue.today()
    year_end = date(today.year, 12, 31)
    if (year_end - today).days > pol.notice_days:
        return None
    due = left_from_before(session, member_id, today.year - 1)
    if due <= 0:
        return None
    return f"您有 {due} 分积分将于 {year_end:%Y年%m月%d日} 到期，请在此前兑换"


@dataclass(frozen=True)
class ExpiryRun:
    year: int
    members: int
    points: int


def run(db, actor: Actor, year: int) -> ExpiryRun:
    """Expire what is left of the points earned up to ``year`` (due at the end of year+1):
    one ledger entry per member, all in one transaction, never twice for one year."""
    require(actor, Permission.CORRECT)
    with db.write() as s:
        pol = policy(s)
        if not pol.on:
            raise InvalidInput(detail="本社区的积分不过期（过期规则：不过期），无需执行")
        due_day = date(year + 1, 12, 31)
        if catalogue.today() <= due_day:
            raise InvalidInput(detail=f"{year} 年的积分 {due_day} 才到期，现在不能执行过期")
        ref = REF.format(year=year)
        done = set(s.scalars(select(PointsEntry.member_id).where(
            PointsEntry.kind == EntryKind.EXPIRY, PointsEntry.ref == ref)).all())
        earned = _earned_since(s, date(year + 1, 1, 1))
        balances = s.execute(text("SELECT member_id, balance FROM points_accounts "
                                  "WHERE balance > 0 ORDER BY member_id")).all()
        n = total = 0
        for member_id, balance in balances:
            due = balance - earned.get(member_id, 0)
            if due <= 0 or member_id in done:
                continue
            ledger.append(s, actor, member_id, -due, EntryKind.EXPIRY, ref=ref,
                          note=f"{year} 年及以前获得的积分于 {due_day} 到期")
            n, total = n + 1, total + due
        audit.record(s, actor, "points.expiry_run", year=year, members=n, points=total)
        return ExpiryRun(year, n, total)
