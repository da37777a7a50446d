"""Objections to a published notice (公示异议), recorded against one award.

An objection names the award, who objects and why; it is decided by a reviewer:
*upheld* reverses the award's ledger entry (a reversal entry, ledger.reverse_in, at the
counter that approved it — a counter reverses only its own entries) and marks the award
revoked (已撤销) in the same transaction; *dismissed* leaves it. Taken only until the end
of the notice's deadline day (``deadline`` given by the caller, e.g. notice.Notice).

Stored in the audit log (``award.objection`` / ``award.objection_upheld`` /
``award.objection_dismissed`` with the award's uid, so earning.review.trail shows them):
there is no objections register yet, so an objection raised at one counter is decided
there; the district sees its outcome (the award's status and the reversal entry).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app import audit, clock, ledger
from counter_app.db.earning_models import Award, AwardStatus
from counter_app.db.models import AuditEntry, Member
from counter_app.errors import CounterError, InvalidInput, NotFound
from counter_app.ids import uuid7
from counter_app.localtime import local_date
from counter_app.operators import Actor, Permission, require
from counter_app.user_text import clean_text

RAISED, UPHELD, DISMISSED = "award.objection", "award.objection_upheld", "award.objection_dismissed"


class ObjectionClosed(CounterError):
    message = "公示期已过（异议截止 {deadline}），不能再对“{who}”的这条积分提出异议"


class ObjectionDecided(CounterError):
    message = "这条异议已经处理过了（{outcome}）"


@dataclass(frozen=True)
class Objection:
    id: str
    award_id: int
    award_uid: str
    member: str
    points: int
    raised_by: str
    reason: str
    raised_at: datetime
    outcome: str | None  # None (open), "upheld", "dismissed"
    note: str | None


def _award(s: Session, award_id: int) -> tuple[Award, str]:
    award = s.get(Award, award_id)
    if award is None:
        raise NotFound(what=f"积分记录（编号 {award_id}）")
    return award, s.scalar(select(Member.name).where(Member.id == award.member_id))


def raise_objection(db, actor: Actor, award_id: int, raised_by: str, reason: str, *,
                    deadline: date | None = None) -> str:
    """Record an objection; returns its id. Refused after ``deadline`` (local day)."""
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
        oid = uuid7()
        audit.record(s, actor, RAISED, objection=oid, award=award.uid, member_id=award.member_id,
                     raised_by=raised_by, reason=reason)
        return oid


def _state(status: str) -> str:
    from counter_app.db.earning_models import AWARD_STATUS_LABELS

    return AWARD_STATUS_LABELS.get(status, status)


def decide(db, actor: Actor, objection_id: str, upheld: bool, note: str) -> Objection:
    """Uphold (reverse the award's entry, revoke the award) or dismiss, with a note."""
    require(actor, Permission.REVIEW)
    require(actor, Permission.CORRECT) if upheld else None
    note = clean_text(note, "处理意见")
    if not note:
        raise InvalidInput(detail="请填写处理意见")
    with db.write() as s:
        found = _find(s, objection_id)
        if found.outcome:
            raise ObjectionDecided(outcome="已采纳" if found.outcome == "upheld" else "未采纳")
        award, _who = _award(s, found.award_id)
        if upheld:
            entry = ledger.reverse_in(s, actor, award.ledger_entry_id,
                                      f"公示异议成立：{found.reason}（{note}）")
            award.status = AwardStatus.REVOKED
            award.reason = f"公示异议成立：{note}"
            audit.record(s, actor, "award.revoke", award=award.uid, reversal=entry["id"])
        audit.record(s, actor, UPHELD if upheld else DISMISSED, objection=objection_id,
                     award=award.uid, note=note)
        return _find(s, objection_id)


def _rows(s: Session, objection_id: str | None = None):
    q = (select(AuditEntry.action, AuditEntry.at, AuditEntry.detail)
         .where(AuditEntry.action.in_((RAISED, UPHELD, DISMISSED))))
    if objection_id:
        q = q.where(AuditEntry.detail.like(f'%"{objection_id}"%'))
    return s.execute(q.order_by(AuditEntry.at, AuditEntry.id)).all()


def objections(session: Session) -> list[Objection]:
    """Every objection, oldest first, with its outcome."""
    raised: dict[str, dict] = {}
    outcomes: dict[str, tuple[str, str]] = {}
    for action, at, detail in _rows(session):
        d = json.loads(detail)
        if action == RAISED:
            raised[d["objection"]] = {**d, "at": at}
        else:
            outcomes[d["objection"]] = ("upheld" if action == UPHELD else "dismissed", d.get("note"))
    uids = {d["award"] for d in raised.values()}
    awards = {a.uid: a for a in session.scalars(select(Award).where(Award.uid.in_(uids)))}
    names = dict(session.execute(select(Member.id, Member.name).where(
        Member.id.in_({a.member_id for a in awards.values()}))).all())
    out = []
    for oid, d in raised.items():
        a = awards[d["award"]]
        outcome, note = outcomes.get(oid, (None, None))
        out.append(Objection(oid, a.id, a.uid, names.get(a.member_id, ""), a.points,
                             d["raised_by"], d["reason"], d["at"], outcome, note))
    return out


def _find(s: Session, objection_id: str) -> Objection:
    for o in objections(s):
        if o.id == objection_id:
            return o
    raise NotFound(what=f"异议 {objection_id}")
