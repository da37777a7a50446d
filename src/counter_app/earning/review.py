"""The weekly review (一周一审核): a queue grouped by week and activity; approve, reject.

Only an approved award reaches the ledger, and exactly once: the approving transaction
(BEGIN IMMEDIATE, so two reviewers' transactions run one after the other, also from two
processes) moves the award from pending to approved with a conditional UPDATE and writes
its one ledger entry (``awards.ledger_entry_id`` is UNIQUE; a trigger makes an approved
award final). A batch is all-or-nothing: one award already decided, recorded by the
reviewer themself, or of a member blocked since, and nothing of the batch is written.
Every decision is in the audit log with who and when.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from counter_app import audit, clock, ledger
from counter_app.db.earning_models import AWARD_STATUS_LABELS, Award, AwardStatus
from counter_app.db.models import AuditEntry, Member, MemberStatus, Operator, PointItem
from counter_app.earning.awards import ActivityRow, AwardRow, activity, award_rows
from counter_app.earning import claims
from counter_app.earning.errors import (
    AlreadyReviewed, BlockedEarner, ClaimNeeded, ReviewElsewhere, SelfApproval, UnknownAward,
)
from counter_app.errors import CounterError, InvalidInput
from counter_app.ids import uuid7
from counter_app.operators import Actor, Permission, require
from counter_app.point_sources import award_ref
from counter_app.user_text import clean_text, whole_number


def week_of(day: date) -> date:
    """The Monday starting ``day``'s week (the review's unit)."""
    return day - timedelta(days=day.weekday())


@dataclass
class QueueGroup:
    week: date  # Monday
    activity: ActivityRow | None  # None: awards recorded one by one
    awards: list[AwardRow] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(a.points for a in self.awards)

    @property
    def title(self) -> str:
        if self.activity is None:
            return "单项记录"
        a = self.activity
        return "，".join(x for x in (a.title or a.item, str(a.activity_date), a.place, a.team) if x)


def queue(session: Session, statuses=(AwardStatus.PENDING,)) -> list[QueueGroup]:
    """Awards in ``statuses`` grouped by week (of the activity date) and activity."""
    rows = award_rows(session, Award.status.in_([str(s) for s in statuses]),
                      order=(Award.activity_date, Award.activity_id, Award.id))
    groups: dict[tuple, QueueGroup] = {}
    activities: dict[int, ActivityRow] = {}
    for r in rows:
        key = (week_of(r.activity_date), r.activity_id or 0)
        g = groups.get(key)
        if g is None:
            act = None
            if r.activity_id is not None:
                act = activities.get(r.activity_id) or activity(session, r.activity_id)
                activities[r.activity_id] = act
            g = groups[key] = QueueGroup(key[0], act)
        g.awards.append(r)
    return [groups[k] for k in sorted(groups)]


def pending_count(session: Session) -> int:
    return session.scalar(text("SELECT count(*) FROM awards WHERE status = 'pending'"))


@dataclass(frozen=True)
class Decision:
    award_ids: tuple[int, ...]
    points: int
    ledger_entry_ids: tuple[str, ...] = ()


def _ids(award_ids) -> list[int]:
    ids = sorted({whole_number(i, "积分记录编号") for i in award_ids})
    if not ids:
        raise InvalidInput(detail="没有选中要审核的积分记录")
    return ids


def _load(s: Session, ids: list[int]) -> list[tuple[Award, str, str]]:
    rows = s.execute(select(Award, Member.name, Member.status, PointItem.name)
                     .join(Member, Member.id == Award.member_id)
                     .join(PointItem, PointItem.id == Award.item_id)
                     .where(Award.id.in_(ids)).order_by(Award.id)).all()
    found = {r[0].id for r in rows}
    for i in ids:
        if i not in found:
            raise UnknownAward(award_id=i)
    return rows


def _refuse_decided(award: Award, who: str, item: str) -> None:
    if award.status != AwardStatus.PENDING:
        label = AWARD_STATUS_LABELS.get(award.status, award.status).removeprefix("已")
        raise AlreadyReviewed(who=who, item=item, day=award.activity_date, state=label)


# The conditional move (pending -> approved): a second reviewer's transaction finds none.
_APPROVE = text("UPDATE awards SET status = 'approved', reviewed_by = :op, reviewed_at = :at, "
                "ledger_entry_id = :entry WHERE id = :id AND status = 'pending'")
_AUDIT = text("INSERT INTO audit_log (id, at, counter_id, operator_id, action, detail) "
              "VALUES (:id, :at, :counter, :op, :action, :detail)")


def audit_many(s: Session, actor: Actor, action: str, at: str, details: list[dict]) -> None:
    """One audit row per decided award, in one statement (audit.record's row format)."""
    s.execute(_AUDIT, [{"id": uuid7(), "at": at, "counter": actor.counter_id,
                        "op": actor.operator_id, "action": action,
                        "detail": json.dumps(d, ensure_ascii=False, default=str)}
                       for d in details])


def review_right(db, actor: Actor, ids: list[int], claim: claims.Claim | None) -> None:
    """Refuse awards another counter reviews; claim at the district those left to any
    counter (earning.claims) — before the write, since the claim needs the network."""
    with db.read() as s:
        rows = _load(s, ids)
    open_ = {}
    for award, who, _status, item in rows:
        _refuse_decided(award, who, item)
        if award.review_counter is None:
            open_[award.uid] = (award, who, item)
        elif award.review_counter != actor.counter_id:
            raise ReviewElsewhere(who=who, item=item, day=award.activity_date,
                                  counter=award.review_counter, here=actor.counter_id)
    if not open_:
        return
    claim = claim or claims.via_district(db, actor.counter_id)
    try:
        reply = claim(list(open_))
    except CounterError as exc:  # not configured, no password, district unreachable
        award, who, item = next(iter(open_.values()))
        raise ClaimNeeded(who=who, item=item, day=award.activity_date, detail=str(exc)) from exc
    claims.check_reply(reply, {uid: who for uid, (_a, who, _i) in open_.items()})


def approve(db, actor: Actor, award_ids, *, claim: claims.Claim | None = None) -> Decision:
    """Approve pending awards (one, some, or a whole week): each gets its one ledger entry.
    ``claim``: how awards left to any counter are claimed (default: at this counter's
    district)."""
    require(actor, Permission.REVIEW)
    ids = _ids(award_ids)
    review_right(db, actor, ids, claim)
    with db.write() as s:
        rows = _load(s, ids)
        for award, who, status, item in rows:
            _refuse_decided(award, who, item)
            if award.recorded_by is not None and award.recorded_by == actor.operator_id:
                raise SelfApproval(who=who, item=item, day=award.activity_date)
            if status != MemberStatus.ACTIVE:
                raise BlockedEarner(name=who, where=f"{item}，{award.activity_date}；请驳回")
        now = clock.now_utc()
        entries = ledger.credit_many(
            s, actor, [(a.member_id, a.points, award_ref(a.item_id, a.uid), item)
                       for a, _who, _status, item in rows], created_at=now)
        stamp = now.isoformat(sep=" ", timespec="microseconds")  # as the ORM stores DateTime
        done = s.execute(_APPROVE, [
            {"op": actor.operator_id, "at": stamp, "entry": e["id"], "id": a.id}
            for (a, *_), e in zip(rows, entries)]).rowcount
        if done != len(rows):  # decided by someone else inside this very transaction: impossible
            raise AlreadyReviewed(who=rows[0][1], item=rows[0][3], day=rows[0][0].activity_date,
                                  state="审核")
        audit_many(s, actor, "award.approve", stamp, [
            {"award": a.uid, "member_id": a.member_id, "points": a.points, "entry": e["id"]}
            for (a, *_), e in zip(rows, entries)])
        entries = [e["id"] for e in entries]
        return Decision(tuple(ids), sum(a.points for a, *_ in rows), tuple(entries))


def reject(db, actor: Actor, award_ids, reason: str, *,
           claim: claims.Claim | None = None) -> Decision:
    """Reject pending awards with a reason; the recorder may correct and resubmit them.
    Reviewed where approving would be (review_right)."""
    require(actor, Permission.REVIEW)
    reason = clean_text(reason or "", "驳回原因")
    if not reason:
        raise InvalidInput(detail="请填写驳回原因")
    ids = _ids(award_ids)
    review_right(db, actor, ids, claim)
    with db.write() as s:
        rows = _load(s, ids)
        now = clock.now_utc()
        for award, who, _status, item in rows:
            _refuse_decided(award, who, item)
        for award, *_ in rows:
            award.status, award.reason = AwardStatus.REJECTED, reason
            award.reviewed_by, award.reviewed_at = actor.operator_id, now
            audit.record(s, actor, "award.reject", at=now, award=award.uid,
                         member_id=award.member_id, reason=reason)
        return Decision(tuple(ids), sum(a.points for a, *_ in rows))


@dataclass(frozen=True)
class TrailRow:
    at: datetime
    operator: str | None
    counter_id: str | None
    action: str
    detail: dict


ACTION_LABELS = {"award.record": "录入", "award.correct": "修改", "award.resubmit": "改后重新提交",
                 "award.remove": "移出名单", "award.approve": "审核通过", "award.reject": "驳回",
                 "award.revoke": "撤销"}


def trail(session: Session, award_id: int) -> list[TrailRow]:
    """Every recorded step of one award (who and when), oldest first."""
    uid = session.scalar(select(Award.uid).where(Award.id == award_id))
    if uid is None:
        raise UnknownAward(award_id=award_id)
    q = (select(AuditEntry.at, Operator.name, AuditEntry.counter_id, AuditEntry.action,
                AuditEntry.detail)
         .outerjoin(Operator, Operator.id == AuditEntry.operator_id)
         .where(AuditEntry.action.like("award.%"), AuditEntry.detail.like(f'%"{uid}"%'))
         .order_by(AuditEntry.at, AuditEntry.id))
    return [TrailRow(at, op, c, a, json.loads(d) if d else {}) for at, op, c, a, d in
            session.execute(q)]
