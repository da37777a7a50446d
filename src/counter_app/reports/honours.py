"""Yearly honours (一年一评选): 积分之星, 荣誉小区, the ranking of resident organisations
(驻区单位) and of volunteer teams, as a printable list and certificates.

Rules (printed on the list, tested in tests/test_reports_honours.py):

- 积分之星: the ``stars_top`` persons (not organisations) with the most points earned in
  the year; everyone tied with the last star is a star too. Blocked members are left out.
- 荣誉小区: the compound whose residents (persons living there, by household or by the
  member's own compound) earned the most points in the year together. **Ties**: among
  compounds with the same highest total, the one with more residents who earned points
  wins (broader participation); if that is equal too, each of them is 荣誉小区 (并列).
  A compound with 0 points is never honoured.
- organisations and teams: ranked by points earned in the year (equal points, equal rank).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date, tzinfo

from counter_app import clock
from counter_app.db.models import MemberStatus
from counter_app.documents.paper import Column, Paper, Paragraph, Table, paper_pdf
from counter_app.localtime import local_date
from counter_app.reports import earned
from counter_app.reports.earned import MemberFacts, RankedMember as Star
from counter_app.reports.notice import GroupLine, group_lines
from counter_app.reports.period import Period, year
from counter_app.reports.ranking import ranked, top_with_ties

TIE_RULE = ("荣誉小区评选规则：小区居民本年度获得积分合计最高者当选；合计相同时，获得积分的居民人数多者当选；"
            "人数也相同时并列当选。")


@dataclass(frozen=True)
class CompoundLine:
    rank: int
    compound_id: int
    name: str
    participants: int
    points: int


@dataclass(frozen=True)
class Honours:
    community: str
    counter_name: str
    period: Period
    issued: date
    stars: tuple[Star, ...]
    stars_top: int
    compounds: tuple[CompoundLine, ...]  # all compounds with points, ranked by the tie rule
    honour_compounds: tuple[CompoundLine, ...]  # 荣誉小区 (more than one only when tied)
    organisations: tuple[Star, ...]
    teams: tuple[GroupLine, ...]


def compound_ranking(points: dict[int, int], facts: dict[int, MemberFacts]) -> list[CompoundLine]:
    """Compounds by total, then by residents who earned points, then by name; equal
    (total, participants) share a rank."""
    sums: dict[int, list] = {}
    for member_id, pts in points.items():
        f = facts.get(member_id)
        if f is None or not f.is_person or f.compound_id is None or pts <= 0:
            continue
        g = sums.setdefault(f.compound_id, [f.compound, 0, 0])
        g[1] += 1
        g[2] += pts
    ordered = sorted(sums.items(), key=lambda kv: (-kv[1][2], -kv[1][1], kv[1][0], kv[0]))
    out, rank, last = [], 0, None
    for i, (cid, (name, n, pts)) in enumerate(ordered, start=1):
        if (pts, n) != last:
            rank, last = i, (pts, n)
        out.append(CompoundLine(rank, cid, name, n, pts))
    return out


def honour_compounds(ranking: list[CompoundLine]) -> tuple[CompoundLine, ...]:
    return tuple(c for c in ranking if c.rank == 1 and c.points > 0)


def build(db, year_value, *, stars_top: int | None = None, tz: tzinfo | None = None,
          issued: date | None = None) -> Honours:
    period = year_value if isinstance(year_value, Period) else year(year_value)
    e = earned.read_period(db, period, tz, stars_top=stars_top)
    got, facts, rules = e.totals, e.facts, e.rules
    points = {m: t.approved for m, t in got.items() if m in facts}
    active = [facts[m] for m, p in points.items()
              if p > 0 and facts[m].status == MemberStatus.ACTIVE]
    persons = [f for f in active if f.is_person]
    # only those who can be a star are sorted: a rank counts the members with more points,
    # and all of them have at least the n-th highest points
    cut = min(heapq.nlargest(rules.stars_top, (points[f.id] for f in persons)), default=0)
    stars = top_with_ties(ranked([f for f in persons if points[f.id] >= cut],
                                 lambda f: points[f.id], lambda f: (f.name, f.id)),
                          rules.stars_top)
    orgs = ranked([f for f in active if f.is_organisation], lambda f: points[f.id],
                  lambda f: (f.name, f.id))
    ranking = compound_ranking(points, facts)
    return Honours(e.community, e.counter_name, period,
                   issued or local_date(clock.now_utc(), tz),
                   tuple(Star(r, f, points[f.id]) for r, f in stars), rules.stars_top,
                   tuple(ranking), honour_compounds(ranking),
                   tuple(Star(r, f, points[f.id]) for r, f in orgs), group_lines(e.teams))


def paper(h: Honours) -> Paper:
    y = h.period.first.year
    honoured = "、".join(c.name for c in h.honour_compounds) or "（本年度无）"
    blocks = [
        Table(f"一、{y}年度积分之星", (Column("名次", 0.7, "center"), Column("姓名", 2),
                                   Column("手机", 1.6, "center"), Column("小区", 2),
                                   Column("年度积分", 1.1, "right")),
              [(str(s.rank), s.member.name, s.member.phone_masked or "—", s.member.compound,
                str(s.points)) for s in h.stars],
              note=f"本年度获得积分前 {h.stars_top} 名（同分并列）", color=(0.72, 0.07, 0.07),
              empty="本年度没有获得积分的记录"),
        Paragraph(f"二、{y}年度荣誉小区：{honoured}", size=13, bold=True, color=(0.72, 0.07, 0.07)),
        Paragraph(TIE_RULE, size=9, color=(0.35, 0.35, 0.35)),
        Table("各小区积分", (Column("名次", 0.7, "center"), Column("小区", 3),
                         Column("获得积分居民", 1.4, "right"), Column("积分合计", 1.4, "right")),
              [(str(c.rank), c.name, str(c.participants), str(c.points)) for c in h.compounds]),
        Table("三、驻区单位排名", (Column("名次", 0.7, "center"), Column("单位", 3.2),
                             Column("小区", 1.8), Column("年度积分", 1.1, "right")),
              [(str(o.rank), o.member.name, o.member.compound, str(o.points))
               for o in h.organisations], empty="本年度没有驻区单位获得积分"),
        Table("四、志愿服务队排名", (Column("名次", 0.7, "center"), Column("服务队", 3),
                              Column("参加人数", 1.4, "right"), Column("积分合计", 1.4, "right")),
              [(str(t.rank), t.name, str(t.participants), str(t.points)) for t in h.teams],
              empty="本年度没有按服务队记录的活动"),
    ]
    return Paper(f"{y}年度积分评选结果", [f"{h.community} · {h.issued:%Y-%m-%d} 公布"], blocks,
                 footer=f"{h.community} · 一年一评选", author=h.counter_name)


def pdf(h: Honours, certificates: bool = True) -> tuple[bytes, int]:
    """The list, and (``certificates``) one certificate a page after it."""
    if not certificates:
        return paper_pdf(paper(h))
    from counter_app.documents.certificates import Certificate, certificate_pages

    y = h.period.first.year
    certs = [Certificate(s.member.name, f"在{y}年度积分超市志愿服务中表现突出，获得积分 {s.points} 分，",
                         "积分之星") for s in h.stars]
    certs += [Certificate(c.name, f"在{y}年度积分超市活动中，小区居民共获得积分 {c.points} 分，",
                          "荣誉小区") for c in h.honour_compounds]
    certs += [Certificate(o.member.name, f"在{y}年度积分超市共建活动中获得积分 {o.points} 分，"
                          f"位列驻区单位第 {o.rank} 名，", "优秀驻区单位")
              for o in h.organisations if o.rank <= 3]
    certs += [Certificate(t.name, f"在{y}年度志愿服务中获得积分 {t.points} 分，位列第 {t.rank} 名，",
                          "优秀志愿服务队") for t in h.teams if t.rank <= 3]
    return paper_pdf(paper(h), certificate_pages(certs, h.community, h.issued))
