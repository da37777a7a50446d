"""Objections to a published notice (公示异议), recorded against one award.

An objection names the award, who objects and why; it is a register (``objections``,
migration 0009 / district d0009), so the community office's counter sees the objections
recorded at the others. It is decided once, by a reviewer: *upheld* reverses the award's
ledger entry (a reversal entry, ledger.reverse_in) and revokes the award (已撤销) in the
same transaction; *dismissed* leaves it. Both are decided at the counter whose ledger
holds the award's entry (a counter reverses only its own entries; and with one deciding
counter two offline counters cannot decide one objection two ways). Taken only until the
end of the notice's deadline day (``deadline`` given by the caller, e.g. notice.Notice).
Every step is also in the audit log (earning.review.trail shows it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session, aliased

from counter_app import audit, clock, ledger
from counter_app.db.earning_models import (
    AWARD_STATUS_LABELS, Award, AwardStatus, Objection as ObjectionRow, ObjectionOutcome,
)
from counter_app.db.models import Member, Operator, PointsEntry
from counter_app.db.sync_models import DistrictEntry
from counter_app.errors import CounterError, InvalidInput, NotFound
from counter_app.localtime import local_date
from counter_app.operators import Actor, Permission, require
from counter_app.user_text import clean_text

RAISED, UPHELD, DISMISSED = "award.objection", "award.objection_upheld", "award.objection_dismissed"
OUTCOME_LABELS = {ObjectionOutcome.UPHELD: "已采纳", ObjectionOutcome.DISMISSED: "未采纳"}


class ObjectionClosed(CounterError):
    message = "公示期已过（异议截止 {deadline}），不能再对“{who}”的这条积分提出异议"


class ObjectionDecided(CounterError):
    message = "这条异议已经处理过了（{outcome}）"


class DecideElsewhere(CounterError):
    message = ("“{who}”的这条积分由柜台 {counter} 审核入账，异议须在柜台 {counter} 处理"
               "（冲正只能由入账柜台做；本柜台是 {here}）")


@dataclass(frozen=True)
class Objection:
    id: str  # the objection's uid (district-wide)
    award_id: int
    award_uid: str
    member: str
    points: int
    raised_by: str
    reason: str
    raised_at: datetime
    outcome: str | None  # None (open), "upheld", "dismissed"
    note: str | None
    counter_id: str = ""  # where it was recorded
    decided_at: datetime | None = None
    decided_counter: str | None = None
    decided_by: str | None = None

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, "待处理")


def _award(s: Session, award_id: int) -> tuple[Award, str]:
    award = s.get(Award, award_id)
    if award is None:
        raise NotFound(what=f"积分记录（编号 {award_id}）")
    return award, s.scalar(select(Member.name).where(Member.id == award.member_id))


def _state(status: str) -> str:
    return AWARD_STATUS_LABELS.get(status, status)


def raise_objection(db, actor: Actor, award_id: int, raised_by: str, reason: str, *,
                    deadline: date | None = None) -> str:
    """Record an objection; returns its id (uid). Refused after ``deadline`` (local day)."""
    require(actor, Permission.LOOKUP)
    raised_by, reason = clean_text(raised_by, "提出人"), clean_text(reason, "异议理由")
    if not raised_by or not reason:
        raise InvalidInput(detail="请填写提出人（实名）和异议理由")
    with db.write() as s:
        award, who = _award(s, award_id)
        if deadline is not None and local_date(clock.now_utc()) > deadline:
            raise ObjectionClosed(deadline=deadline, who=who)
        if award.status != AwardStatus.APPROVED:
            raise InvalidInput(detail=f"“{who}”的这条积分现在是{_state(award.status)}，"
                                      "只能对已审核通过的积分提出异议")
        row = ObjectionRow(award_id=award.id, raised_by=raised_by, reason=reason,
                           raised_at=clock.now_utc(), counter_id=actor.counter_id,
                           recorded_by=actor.operator_id)
        s.add(row)
        s.flush()
        audit.record(s, actor, RAISED, objection=row.uid, award=award.uid,
                     member_id=award.member_id, raised_by=raised_by, reason=reason)
        return row.uid


def entry_counter(s: Session, entry_id: str) -> str | None:
    """The counter whose chain holds a points entry (this file's, or a pulled one)."""
    here = s.scalar(select(PointsEntry.counter_id).where(PointsEntry.id == entry_id))
    if here is not None:
        return here
    return s.scalar(select(DistrictEntry.counter_id).where(DistrictEntry.id == entry_id))


# decided once: a second decision (here, or pulled meanwhile) finds none to change
_DECIDE = text("UPDATE objections SET outcome = :outcome, note = :note, decided_by = :op, "
               "decided_at = :at, decided_counter = :counter WHERE uid = :uid "
               "AND outcome IS NULL")


def decide(db, actor: Actor, objection_id: str, upheld: bool, note: str) -> Objection:
    """Uphold (reverse the award's entry, revoke the award) or dismiss, with a note."""
    require(actor, Permission.REVIEW)
    if upheld:
        require(actor, Permission.CORRECT)
    note = clean_text(note, "处理意见")
    if not note:
        raise InvalidInput(detail="请填写处理意见")
    with db.write() as s:
        found = _find(s, objection_id)
        if found.outcome:
            raise ObjectionDecided(outcome=found.outcome_label)
        award, who = _award(s, found.award_id)
        counter = entry_counter(s, award.ledger_entry_id) if award.ledger_entry_id else None
        if counter is not None and counter != actor.counter_id:
            raise DecideElsewhere(who=who, counter=counter, here=actor.counter_id)
        if upheld:
            if award.status != AwardStatus.APPROVED:
                raise InvalidInput(detail=f"“{who}”的这条积分已是{_state(award.status)}"
                                          "（另一条异议已采纳），只能不予采纳")
            entry = ledger.reverse_in(s, actor, award.ledger_entry_id,
                                      f"公示异议成立：{found.reason}（{note}）")
            award.status = AwardStatus.REVOKED
            award.reason = f"公示异议成立：{note}"
            audit.record(s, actor, "award.revoke", award=award.uid, reversal=entry["id"])
        now = clock.now_utc()
        done = s.execute(_DECIDE, {
            "outcome": str(ObjectionOutcome.UPHELD if upheld else ObjectionOutcome.DISMISSED),
            "note": note, "op": actor.operator_id, "counter": actor.counter_id,
            "at": now.isoformat(sep=" ", timespec="microseconds"), "uid": objection_id}).rowcount
        if done != 1:
            raise ObjectionDecided(outcome="刚刚已被处理")
        audit.record(s, actor, UPHELD if upheld else DISMISSED, objection=objection_id,
                     award=award.uid, note=note)
        s.expire_all()
        return _find(s, objection_id)


def objections(session: Session, *, month_awards: tuple[date, date] | None = None,
               uid: str | None = None) -> list[Objection]:
    """Every objection (or those against awards dated in ``month_awards`` = [first, last]),
    oldest first, with its outcome."""
    dec = aliased(Operator)
    q = (select(ObjectionRow.uid, Award.id, Award.uid, Member.name, Award.points,
                ObjectionRow.raised_by, ObjectionRow.reason, ObjectionRow.raised_at,
                ObjectionRow.outcome, ObjectionRow.note, ObjectionRow.counter_id,
                ObjectionRow.decided_at, ObjectionRow.decided_counter, dec.name)
         .join(Award, Award.id == ObjectionRow.award_id)
         .join(Member, Member.id == Award.member_id)
         .outerjoin(dec, dec.id == ObjectionRow.decided_by)
         .order_by(ObjectionRow.raised_at, ObjectionRow.id))
    if month_awards is not None:
        q = q.where(Award.activity_date.between(*month_awards))
    if uid is not None:
        q = q.where(ObjectionRow.uid == uid)
    return [Objection(*r) for r in session.execute(q)]


def _find(s: Session, objection_id: str) -> Objection:
    for o in objections(s, uid=objection_id):
        return o
    raise NotFound(what=f"异议 {objection_id}")
