"""Recording awards (记录积分): for one member, or for an activity's participants.

Every award is *pending* until a reviewer decides (earning.review); a pending award never
changes a balance. Grid workers (网格员) and staff record; the checks run here, in the
recording transaction, so nothing half-written is left: a blocked member, a category that
may not earn the item, an activity date in the future or before the item existed, a value
outside the item's range are each refused with a Chinese message naming what and where.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from counter_app import audit, bounds, clock, members
from counter_app.db.earning_models import (
    AWARD_STATUS_LABELS, Activity, Award, AwardStatus, StatusLabelled,
)
from counter_app.db.models import (
    CATEGORY_LABELS, Member, MemberCategory, MemberStatus, Operator, PointCategory, PointItem,
)
from counter_app.earning import catalogue
from counter_app.earning.errors import (
    BadActivityDate, BlockedEarner, CannotEarn, DuplicateParticipant, NotEditable,
    PointsOutOfRange, UnknownAward, UnknownPointItem,
)
from counter_app.errors import InvalidInput, NotFound, UnknownMember
from counter_app.operators import Actor, Permission, require
from counter_app.user_text import clean_optional, clean_text, whole_number


@dataclass(frozen=True)
class AwardRow(StatusLabelled):
    LABELS: ClassVar[dict] = AWARD_STATUS_LABELS
    id: int
    uid: str
    member_id: int
    member_name: str
    card_code: str
    item_id: int
    category: str
    item: str
    activity_id: int | None
    activity_date: date
    points: int
    status: str
    note: str | None
    work_unit: str | None
    recorded_by: int | None
    recorder: str | None
    recorded_at: datetime
    reviewed_by: int | None
    reviewer: str | None
    reviewed_at: datetime | None
    reason: str | None
    ledger_entry_id: str | None
    wish_id: int | None
    review_counter: str | None = None  # None: any counter, after a claim (earning.claims)


def row_query():
    rec, rev = aliased(Operator), aliased(Operator)
    return (select(Award.id, Award.uid, Award.member_id, Member.name, Member.card_code,
                   Award.item_id, PointCategory.name, PointItem.name, Award.activity_id,
                   Award.activity_date, Award.points, Award.status, Award.note, Award.work_unit,
                   Award.recorded_by, rec.name, Award.recorded_at, Award.reviewed_by, rev.name,
                   Award.reviewed_at, Award.reason, Award.ledger_entry_id, Award.wish_id,
                   Award.review_counter)
            .join(Member, Member.id == Award.member_id)
            .join(PointItem, PointItem.id == Award.item_id)
            .join(PointCategory, PointCategory.id == PointItem.category_id)
            .outerjoin(rec, rec.id == Award.recorded_by)
            .outerjoin(rev, rev.id == Award.reviewed_by))


def award_rows(session: Session, *where, order=None) -> list[AwardRow]:
    q = row_query().where(*where).order_by(*(order or (Award.activity_date, Award.id)))
    return [AwardRow(*r) for r in session.execute(q)]


def get_award(session: Session, award_id: int) -> AwardRow:
    rows = award_rows(session, Award.id == award_id)
    if not rows:
        raise UnknownAward(award_id=award_id)
    return rows[0]


def _where(member: Member, item: PointItem, day: date) -> str:
    return f"{item.name}，{day}"


def check_day(s: Session, item: PointItem, day: date) -> None:
    """An activity's date: a date, not in the future, not before the item existed."""
    if not isinstance(day, date) or isinstance(day, datetime):
        raise InvalidInput(detail=f"活动日期应为日期（收到 {day!r}）")
    today = catalogue.today()
    if day > today:
        raise BadActivityDate(day=day, detail=f"在今天（{today}）之后，活动还没有发生")
    start = catalogue.first_day(s, item.id)
    if start is not None and day < start:
        raise BadActivityDate(day=day, detail=f"积分项目“{item.name}”从 {start} 起才有")


def check_award(s: Session, member: Member, item: PointItem, day: date,
                points: int | None) -> int:
    """Every check an award must pass; returns its value (the one in force on ``day`` when
    ``points`` is None)."""
    where = _where(member, item, day)
    if member.status != MemberStatus.ACTIVE:
        raise BlockedEarner(name=member.name, where=where)
    if not item.active:
        raise InvalidInput(detail=f"积分项目“{item.name}”已停用，不能记录积分")
    allowed = catalogue.parse_eligible(item.eligible)
    if allowed is not None and member.category not in allowed:
        raise CannotEarn(member=member.name,
                         category=CATEGORY_LABELS.get(MemberCategory(member.category),
                                                      member.category),
                         item=item.name, allowed=catalogue.eligible_labels(item.eligible))
    check_day(s, item, day)
    in_force = catalogue.value_on(s, item.id, day)
    if points is None:
        return in_force
    if type(points) is not int or points <= 0 or abs(points) > bounds.MAX_AMOUNT:
        raise PointsOutOfRange(item=item.name, points=points, detail="须为正整数")
    if item.min_points is None and item.max_points is None:
        if points != in_force:
            raise PointsOutOfRange(item=item.name, points=points,
                                   detail=f"{day} 的分值是 {in_force} 分，不能改")
    else:
        catalogue.check_range(item.name, points, item.min_points, item.max_points)
    return points


def _get(s: Session, model, value, what: str, missing):
    row_id = whole_number(value, what)
    row = s.get(model, row_id)
    if row is None:
        raise missing(row_id)
    return row


def member_by_id(s: Session, member_id) -> Member:
    return _get(s, Member, member_id, "会员编号", lambda i: UnknownMember(member_id=i))


def _item(s: Session, item_id) -> PointItem:
    return _get(s, PointItem, item_id, "积分项目编号", lambda i: UnknownPointItem(item_id=i))


def _work_unit(member: Member) -> str | None:
    """在职党员到社区报到: their service is reported to their employer, so the award keeps the
    work unit it was earned under (a later change of employer does not move it)."""
    if member.category == MemberCategory.PARTY_IN_SERVICE:
        return member.work_unit
    return None


def add_in(s: Session, actor: Actor, member: Member, item: PointItem, day: date,
           points: int | None = None, note: str | None = None, activity_id: int | None = None,
           wish_id: int | None = None, review_anywhere: bool = False) -> Award:
    """``review_anywhere``: left to any counter of the community (reviewed after a claim at
    the district, earning.claims); else reviewed here, also offline."""
    value = check_award(s, member, item, day, points)
    award = Award(member_id=member.id, item_id=item.id, activity_id=activity_id, wish_id=wish_id,
                  activity_date=day, points=value, status=AwardStatus.PENDING, note=note,
                  work_unit=_work_unit(member), counter_id=actor.counter_id,
                  recorded_by=actor.operator_id, recorded_at=clock.now_utc(),
                  review_counter=None if review_anywhere else actor.counter_id)
    s.add(award)
    s.flush()
    audit.record(s, actor, "award.record", award=award.uid, member_id=member.id, item=item.id,
                 day=day, points=value, activity=activity_id)
    return award


def record(db, actor: Actor, member_id: int, item_id: int, activity_date: date | None = None, *,
           points: int | None = None, note: str | None = None,
           review_anywhere: bool = False) -> AwardRow:
    """A pending award for one member (default date: today)."""
    require(actor, Permission.AWARD)
    note = clean_optional(note, "备注") or None
    with db.write() as s:
        award = add_in(s, actor, member_by_id(s, member_id), _item(s, item_id),
                       activity_date or catalogue.today(), points, note,
                       review_anywhere=review_anywhere)
        return get_award(s, award.id)


# --- activities ------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityRow:
    id: int
    uid: str
    item_id: int
    item: str
    activity_date: date
    title: str | None
    place: str | None
    organiser: str | None
    team: str | None
    created_at: datetime


def open_activity(db, actor: Actor, item_id: int, activity_date: date, *, title: str | None = None,
                  place: str | None = None, organiser: str | None = None,
                  team: str | None = None) -> ActivityRow:
    """Open an activity (item, date, place, organiser, team); participants are added by scan."""
    require(actor, Permission.AWARD)
    fields = {k: (clean_optional(v, label) or None) for k, v, label in (
        ("title", title, "活动名称"), ("place", place, "地点"),
        ("organiser", organiser, "组织者"), ("team", team, "队伍"))}
    with db.write() as s:
        item = _item(s, item_id)
        if not item.active:
            raise InvalidInput(detail=f"积分项目“{item.name}”已停用，不能开活动")
        check_day(s, item, activity_date)
        act = Activity(item_id=item.id, activity_date=activity_date, counter_id=actor.counter_id,
                       created_by=actor.operator_id, created_at=clock.now_utc(), **fields)
        s.add(act)
        s.flush()
        audit.record(s, actor, "activity.open", activity=act.uid, item=item.id,
                     day=activity_date, **fields)
        return activity(s, act.id)


def activity(session: Session, activity_id: int) -> ActivityRow:
    r = session.execute(select(Activity.id, Activity.uid, Activity.item_id, PointItem.name,
                               Activity.activity_date, Activity.title, Activity.place,
                               Activity.organiser, Activity.team, Activity.created_at)
                        .join(PointItem, PointItem.id == Activity.item_id)
                        .where(Activity.id == activity_id)).first()
    if r is None:
        raise NotFound(what=f"活动（编号 {activity_id}）")
    return ActivityRow(*r)


def recent_activities(session: Session, limit: int = 30) -> list[ActivityRow]:
    ids = session.scalars(select(Activity.id).order_by(Activity.id.desc()).limit(limit)).all()
    return [activity(session, i) for i in ids]


def participants(session: Session, activity_id: int, *, include_removed: bool = False
                 ) -> list[AwardRow]:
    """The running list, in the order scanned."""
    where = [Award.activity_id == activity_id]
    if not include_removed:
        where.append(Award.status != AwardStatus.REMOVED)
    return award_rows(session, *where, order=(Award.id,))


def add_participant(db, actor: Actor, activity_id: int, scanned: str | int,
                    points: int | None = None, *, review_anywhere: bool = False) -> AwardRow:
    """One scanned card (or a member id) joins the activity's list, as a pending award.
    The same member twice is refused, naming their place on the list."""
    require(actor, Permission.AWARD)
    with db.write() as s:
        act = s.get(Activity, activity_id)
        if act is None:
            raise NotFound(what=f"活动（编号 {activity_id}）")
        if isinstance(scanned, int):
            member = member_by_id(s, scanned)
        else:
            member = member_by_id(s, members.lookup_card(s, scanned).id)
        listed = s.scalars(select(Award.member_id).where(
            Award.activity_id == activity_id, Award.status != AwardStatus.REMOVED)
            .order_by(Award.id)).all()
        if member.id in listed:
            raise DuplicateParticipant(name=member.name, position=listed.index(member.id) + 1)
        award = add_in(s, actor, member, s.get(PointItem, act.item_id), act.activity_date,
                       points, None, activity_id=activity_id, review_anywhere=review_anywhere)
        return get_award(s, award.id)


def remove_participant(db, actor: Actor, award_id: int, reason: str) -> AwardRow:
    """Take a participant off the list (still pending or rejected), with a reason."""
    require(actor, Permission.AWARD)
    reason = clean_text(reason or "", "移除原因")
    if not reason:
        raise InvalidInput(detail="请填写移除原因")
    with db.write() as s:
        award = s.get(Award, award_id)
        if award is None:
            raise UnknownAward(award_id=award_id)
        _editable(s, award)
        award.status, award.reason = AwardStatus.REMOVED, reason
        audit.record(s, actor, "award.remove", award=award.uid, reason=reason)
        return get_award(s, award.id)


def _editable(s: Session, award: Award) -> None:
    if award.status not in (AwardStatus.PENDING, AwardStatus.REJECTED):
        row = get_award(s, award.id)
        raise NotEditable(who=row.member_name, item=row.item, day=row.activity_date,
                          state=f"已{row.status_label.removeprefix('已')}")


def correct(db, actor: Actor, award_id: int, *, item_id: int | None = None,
            activity_date: date | None = None, points: int | None = None,
            note: str | None = None) -> AwardRow:
    """Correct a pending or rejected award; a rejected one goes back to pending (resubmitted)
    and its rejection stays in the audit log."""
    require(actor, Permission.AWARD)
    note = clean_optional(note, "备注") or None
    with db.write() as s:
        award = s.get(Award, award_id)
        if award is None:
            raise UnknownAward(award_id=award_id)
        _editable(s, award)
        member = member_by_id(s, award.member_id)
        item = _item(s, item_id if item_id is not None else award.item_id)
        day = activity_date or award.activity_date
        if points is None and item.id == award.item_id and day == award.activity_date and (
                item.min_points is not None or item.max_points is not None):
            points = award.points  # keep a ranged value the recorder chose
        value = check_award(s, member, item, day, points)
        was = award.status
        award.item_id, award.activity_date, award.points = item.id, day, value
        if note is not None:
            award.note = note
        award.status = AwardStatus.PENDING
        award.reviewed_by = award.reviewed_at = None
        award.recorded_by, award.recorded_at = actor.operator_id, clock.now_utc()
        audit.record(s, actor, "award.resubmit" if was == AwardStatus.REJECTED else "award.correct",
                     award=award.uid, item=item.id, day=day, points=value,
                     previous_reason=award.reason if was == AwardStatus.REJECTED else None)
        award.reason = None
        return get_award(s, award.id)
