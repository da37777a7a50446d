"""Points earned in a period: the one place the governance reports (notice, boards,
honours, work-unit reports, a member's points file) read what was earned.

What was earned is the awards register (earning, migration 0006), by the activity's date:
an *approved* award counts while its ledger entry stands; a *pending* one is shown apart
(it is in no balance yet); rejected, removed and revoked awards (an upheld objection)
count nowhere. Ledger ``award`` entries without an award row (written before the
register) count by the day they were written, unless reversed. The team of an award is
its activity's (or its claimed wish's) team; a party member's work unit is the one the
award recorded.

Performance: one grouped scan of ``awards`` for the period (100,000 members take well
under a second); member facts in one joined query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Date, DateTime, bindparam, text
from sqlalchemy.orm import Session

from counter_app.db.models import CATEGORY_LABELS, MemberCategory, MemberKind
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
    ref: str  # "A<award id>", or the ledger entry id of an award from before the register
    member_id: int
    day: date  # local day of the service
    item: str  # 志愿服务 · 微心愿
    points: int
    state: str
    team: str | None
    work_unit: str | None
    award_id: int | None = None  # the awards row (None: a ledger entry from before awards)

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
    # the sqlite3 cursor of the session's connection: 100,000 rows without SQLAlchemy's
    # per-row Row objects (about a third of the yearly honours)
    raw = session.connection().connection.dbapi_connection.cursor()
    try:
        raw.execute(_FACTS.text, {"community": community_id})
        for (mid, name, phone, kind, category, work_unit, status, card, compound_id,
             compound) in raw:
            if wanted is not None and mid not in wanted:
                continue
            out[mid] = MemberFacts(mid, name, mask_phone(phone), kind, category, compound_id,
                                   compound or NO_COMPOUND, work_unit, status, card)
    finally:
        raw.close()
    return out


def _typed(sql: str, **params):
    types = {datetime: DateTime(), date: Date()}
    params = {k: v for k, v in params.items() if f":{k}" in sql}
    stmt = text(sql).bindparams(*(bindparam(k, type_=types[type(v)]) for k, v in params.items()
                                  if type(v) in types))
    return stmt, params


# An approved award counts while its ledger entry stands (an upheld objection revokes it;
# an entry reversed by hand is no service either).
# Non-correlated NOT IN: SQLite reads the (unique-indexed) reversal ids once, not once an award.
_REVERSED = "(SELECT reverses_id FROM points_journal WHERE reverses_id IS NOT NULL)"
_STANDS = f"a.ledger_entry_id NOT IN {_REVERSED}"
_AWARDS = (f"FROM awards a NOT INDEXED JOIN members m ON m.id = a.member_id "
           f"WHERE a.activity_date >= :first AND a.activity_date <= :last "
           f"AND (a.status = 'pending' OR (a.status = 'approved' AND {_STANDS}))")
# Ledger awards without an award row (written before the awards register existed).
# NOT INDEXED: read the journal in order (the member index would visit it at random).
_LEGACY = ("FROM points_journal p NOT INDEXED JOIN members m ON m.id = p.member_id "
           "WHERE p.kind = 'award' AND p.created_at >= :lo AND p.created_at < :hi "
           f"AND p.id NOT IN {_REVERSED} "
           "AND p.id NOT IN (SELECT ledger_entry_id FROM awards WHERE ledger_entry_id IS NOT NULL)")


def _params(period, tz, community_id):
    return dict(first=period.first, last=period.last, lo=period.start_utc(tz),
                hi=period.end_utc(tz), community=community_id)


def _has_legacy(session: Session) -> bool:
    """Any ledger award without an award row? (One pass over the journal, no grouping.)"""
    stmt, params = _typed(f"SELECT 1 {_LEGACY.split(' WHERE ', 1)[0]} WHERE p.kind = 'award' "
                          "AND p.id NOT IN (SELECT ledger_entry_id FROM awards "
                          "WHERE ledger_entry_id IS NOT NULL) LIMIT 1")
    return session.execute(stmt, params).first() is not None


def _community(community_id) -> str:
    return "" if community_id is None else " AND m.community_id = :community"


def totals(session: Session, period, tz=None, community_id: int | None = None
           ) -> dict[int, Totals]:
    """Points earned per member for service on the days of ``period`` (its activity date):
    approved and pending apart; rejected, removed and revoked awards count nowhere."""
    where = _community(community_id)
    stmt, params = _typed(
        "SELECT a.member_id, SUM(CASE WHEN a.status = 'approved' THEN a.points ELSE 0 END), "
        f"SUM(CASE WHEN a.status = 'pending' THEN a.points ELSE 0 END), COUNT(*) {_AWARDS}{where} "
        "GROUP BY a.member_id", **_params(period, tz, community_id))
    out = {m: Totals(m, int(ok), int(wait), int(n)) for m, ok, wait, n in session.execute(stmt, params)}
    if not _has_legacy(session):
        return out
    stmt, params = _typed(f"SELECT p.member_id, SUM(p.delta), COUNT(*) {_LEGACY}{where} "
                          "GROUP BY p.member_id", **_params(period, tz, community_id))
    for m, points, n in session.execute(stmt, params):
        t = out.get(m, Totals(m, 0, 0, 0))
        out[m] = Totals(m, t.approved + int(points), t.pending, t.awards + int(n))
    return out


_TEAM = ("COALESCE(NULLIF(TRIM(act.team), ''), NULLIF(TRIM(w.claimant_team), ''))")


def team_totals(session: Session, period, tz=None,
                community_id: int | None = None) -> dict[str, tuple[int, int]]:
    """``{team: (participants, approved points)}`` of the activities (and claimed wishes)
    that name a volunteer team."""
    stmt, params = _typed(
        f"SELECT {_TEAM} AS team, COUNT(DISTINCT a.member_id), "
        "SUM(CASE WHEN a.status = 'approved' THEN a.points ELSE 0 END) "
        f"FROM awards a JOIN members m ON m.id = a.member_id "
        "LEFT JOIN activities act ON act.id = a.activity_id LEFT JOIN wishes w ON w.id = a.wish_id "
        + _AWARDS.split("JOIN members m ON m.id = a.member_id ", 1)[1]
        + f"{_community(community_id)} AND (a.activity_id IS NOT NULL OR a.wish_id IS NOT NULL) "
        f"AND {_TEAM} IS NOT NULL GROUP BY team",
        **_params(period, tz, community_id))
    return {team: (int(n), int(points)) for team, n, points in session.execute(stmt, params)}


def award_lines(session: Session, member_ids: Iterable[int], period, tz=None) -> list[AwardLine]:
    """Each award (approved or pending) of these members in the period, by day."""
    ids = sorted(set(member_ids))
    out: list[AwardLine] = []
    legacy = []
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        marks = ",".join(str(int(i)) for i in chunk)
        stmt, params = _typed(
            f"SELECT a.id, a.member_id, a.activity_date, pc.name || ' · ' || pi.name, a.points, "
            f"a.status, {_TEAM}, a.work_unit "
            "FROM awards a JOIN members m ON m.id = a.member_id "
            "JOIN point_items pi ON pi.id = a.item_id "
            "JOIN point_categories pc ON pc.id = pi.category_id "
            "LEFT JOIN activities act ON act.id = a.activity_id LEFT JOIN wishes w ON w.id = a.wish_id "
            + _AWARDS.split("JOIN members m ON m.id = a.member_id ", 1)[1]
            + f" AND a.member_id IN ({marks})", **_params(period, tz, None))
        for r in session.execute(stmt, params):
            day = r[2] if isinstance(r[2], date) else date.fromisoformat(str(r[2]))
            out.append(AwardLine(f"A{r[0]}", r[1], day, r[3], int(r[4]), r[5], r[6], r[7], r[0]))
        stmt, params = _typed(f"SELECT p.id, p.member_id, p.created_at, p.ref, p.note, p.delta, "
                              f"m.work_unit {_LEGACY} AND p.member_id IN ({marks})",
                              **_params(period, tz, None))
        if _has_legacy(session):
            legacy.extend(session.execute(stmt, params))
    names = source_names(session, [r.ref for r in legacy])
    for r in legacy:
        at = r.created_at if isinstance(r.created_at, datetime) else \
            datetime.fromisoformat(str(r.created_at))
        out.append(AwardLine(r.id, r.member_id, local_date(at, tz),
                             names.get(r.ref) or r.note or r.ref or "积分", int(r.delta), APPROVED,
                             None, r.work_unit, None))
    return sorted(out, key=lambda a: (a.day, a.member_id, a.ref))


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
    with db.read() as s:
        rules = report_rules.with_overrides(report_rules.load(s), **rule_overrides)
        got = totals(s, period, tz, info.community_id)
        facts = member_facts(s, info.community_id, None if all_members else got)
        teams = team_totals(s, period, tz, info.community_id)
    return PeriodEarnings(info.community, info.name, rules, got, facts, teams)
