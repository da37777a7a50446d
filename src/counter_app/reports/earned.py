"""Points earned in a period: the one place the governance reports (notice, boards,
honours, work-unit reports, a member's points file) read what was earned.

Today an earned point is an ``award`` entry of the points ledger that has not been
reversed (a reversed award is a mistake put right, not service); its point item is named
by the entry's ``ref`` (``PI<id>``, point_sources) and note. Such entries are approved by
construction: the ledger holds only what a reviewer let through. When the awards register
(pending / approved / rejected, activity, team, work unit) is there, only this module
changes: the reports ask for ``Totals`` and ``AwardLine`` rows, never for ledger rows.

Performance: one grouped scan of ``points_journal`` for the period (100,000 members and
~600k entries take well under a second); member facts in one joined query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.orm import Session

from counter_app.db.models import CATEGORY_LABELS, EntryKind, MemberCategory, MemberKind
from counter_app.localtime import local_date
from counter_app.members import mask_phone
from counter_app.point_sources import source_names

APPROVED = "approved"
PENDING = "pending"
STATE_LABELS = {APPROVED: "已审核", PENDING: "待审核"}
NO_COMPOUND = "（未登记小区）"
PARTY = (MemberCategory.PARTY_IN_SERVICE, MemberCategory.PARTY_NO_POST)


@dataclass(frozen=True)
class MemberFacts:
    """What a report may say about a member: never the phone in full, never the ID number."""

    id: int
    name: str
    phone_masked: str
    kind: str
    category: str
    compound_id: int | None
    compound: str
    work_unit: str | None  # 在职党员: employer; 驻区单位: supervising department (主管部门)
    status: str
    card_code: str

    @property
    def category_label(self) -> str:
        try:
            return CATEGORY_LABELS[MemberCategory(self.category)]
        except ValueError:
            return self.category

    @property
    def is_person(self) -> bool:
        return self.kind == MemberKind.PERSON

    @property
    def is_party(self) -> bool:
        return self.category in PARTY

    @property
    def is_organisation(self) -> bool:
        return self.category == MemberCategory.ORGANISATION


@dataclass(frozen=True)
class Totals:
    member_id: int
    approved: int  # points approved in the period (they are in the ledger)
    pending: int  # points recorded, not yet reviewed (not in any balance)
    awards: int  # how many awards

    @property
    def state(self) -> str:
        return PENDING if self.pending else APPROVED

    @property
    def state_label(self) -> str:
        if self.pending and self.approved:
            return f"已审核，另有 {self.pending} 分待审核"
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class RankedMember:
    """A place on a list: rank (1, 2, 2, 4 …), the member, the points that put them there."""

    rank: int
    member: MemberFacts
    points: int


@dataclass(frozen=True)
class AwardLine:
    ref: str  # the ledger entry id (what an objection or a reversal names)
    member_id: int
    day: date  # local day of the service
    item: str  # 志愿服务 · 微心愿
    points: int
    state: str
    team: str | None
    work_unit: str | None

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


_FACTS = text("""
SELECT m.id, m.name, m.phone, m.kind, m.category, m.work_unit, m.status, m.card_code,
       COALESCE(c.id, c2.id) AS compound_id, COALESCE(c.name, c2.name) AS compound
FROM members m
LEFT JOIN households h ON h.id = m.household_id
LEFT JOIN units u ON u.id = h.unit_id
LEFT JOIN buildings b ON b.id = u.building_id
LEFT JOIN compounds c ON c.id = b.compound_id
LEFT JOIN compounds c2 ON c2.id = m.compound_id
WHERE m.community_id = :community
""")


def member_facts(session: Session, community_id: int,
                 ids: Iterable[int] | None = None) -> dict[int, MemberFacts]:
    """Facts of the community's members (all, or those in ``ids``)."""
    wanted = None if ids is None else set(ids)
    out = {}
    for r in session.execute(_FACTS, {"community": community_id}):
        if wanted is not None and r.id not in wanted:
            continue
        out[r.id] = MemberFacts(r.id, r.name, mask_phone(r.phone), r.kind, r.category,
                                r.compound_id, r.compound or NO_COMPOUND, r.work_unit, r.status,
                                r.card_code)
    return out


def _typed(sql: str, **params):
    stmt = text(sql).bindparams(*(bindparam(k, type_=DateTime()) for k, v in params.items()
                                  if isinstance(v, datetime)))
    return stmt, params


_NOT_REVERSED = "NOT EXISTS (SELECT 1 FROM points_journal r WHERE r.reverses_id = p.id)"


def totals(session: Session, start_utc: datetime, end_utc: datetime,
           community_id: int | None = None) -> dict[int, Totals]:
    """Points earned per member with service in [start_utc, end_utc)."""
    where = "" if community_id is None else \
        " AND p.member_id IN (SELECT id FROM members WHERE community_id = :community)"
    stmt, params = _typed(
        "SELECT p.member_id, SUM(p.delta), COUNT(*) FROM points_journal p "
        "WHERE p.kind = :kind AND p.created_at >= :lo AND p.created_at < :hi"
        f"{where} AND {_NOT_REVERSED} GROUP BY p.member_id",
        kind=str(EntryKind.AWARD), lo=start_utc, hi=end_utc, community=community_id)
    return {m: Totals(m, int(points), 0, int(n)) for m, points, n in session.execute(stmt, params)}


def team_totals(session: Session, start_utc: datetime, end_utc: datetime,
                community_id: int | None = None) -> dict[str, tuple[int, int]]:
    """``{team: (participants, points)}``. The ledger does not know teams: empty until the
    awards register records an activity's team."""
    return {}


def award_lines(session: Session, member_ids: Iterable[int], start_utc: datetime,
                end_utc: datetime) -> list[AwardLine]:
    """Each award of these members in the period, oldest first."""
    ids = sorted(set(member_ids))
    if not ids:
        return []
    out: list[AwardLine] = []
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        marks = ",".join(str(int(i)) for i in chunk)
        stmt, params = _typed(
            "SELECT p.id, p.member_id, p.created_at, p.ref, p.note, p.delta, m.work_unit "
            "FROM points_journal p JOIN members m ON m.id = p.member_id "
            f"WHERE p.kind = :kind AND p.member_id IN ({marks}) "
            f"AND p.created_at >= :lo AND p.created_at < :hi AND {_NOT_REVERSED}",
            kind=str(EntryKind.AWARD), lo=start_utc, hi=end_utc)
        out.extend(session.execute(stmt, params))
    names = source_names(session, [r.ref for r in out])
    lines = []
    for r in sorted(out, key=lambda r: (r.created_at, r.id)):
        at = r.created_at if isinstance(r.created_at, datetime) else \
            datetime.fromisoformat(str(r.created_at))
        item = names.get(r.ref) or r.note or r.ref or "积分"
        lines.append(AwardLine(r.id, r.member_id, local_date(at), item, int(r.delta), APPROVED,
                               None, r.work_unit))
    return lines


@dataclass(frozen=True)
class PeriodEarnings:
    """One consistent read of a period for a paper: who earned what, and the rules."""

    community: str
    counter_name: str
    rules: object  # report_rules.ReportRules, with the caller's overrides
    totals: dict[int, Totals]
    facts: dict[int, MemberFacts]  # of the earners, or of every member (``all_members``)
    teams: dict[str, tuple[int, int]]


def read_period(db, period, tz=None, *, all_members: bool = False,
                **rule_overrides) -> PeriodEarnings:
    from counter_app import counters
    from counter_app.reports import report_rules

    info = counters.local_counter(db)
    lo, hi = period.start_utc(tz), period.end_utc(tz)
    with db.read() as s:
        rules = report_rules.with_overrides(report_rules.load(s), **rule_overrides)
        got = totals(s, lo, hi, info.community_id)
        facts = member_facts(s, info.community_id, None if all_members else got)
        teams = team_totals(s, lo, hi, info.community_id)
    return PeriodEarnings(info.community, info.name, rules, got, facts, teams)
