"""Quarterly red/black boards (红黑榜) of party members and, separately, of resident
organisations (驻区单位), by the community's rule (report_rules):

- red board: the ``*_red_top`` with the most points earned in the quarter (more than 0);
  everyone tied with the last place on it is on it too;
- black board: active members of the group who earned fewer than ``*_black_below`` points
  in the quarter (0 included), fewest first; ``*_black_below`` = 0 means no black board.

Party members are 在职党员 and 无职党员; blocked members appear on neither board.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from counter_app.db.models import MemberStatus
from counter_app.documents.paper import Column, Paper, Table, paper_pdf
from counter_app.reports import earned
from counter_app.reports.earned import MemberFacts, RankedMember as BoardLine
from counter_app.reports.period import Period, quarter
from counter_app.reports.ranking import ranked, top_with_ties

RED = (0.72, 0.07, 0.07)


@dataclass(frozen=True)
class Board:
    group: str  # 党员 / 驻区单位
    red: tuple[BoardLine, ...]
    black: tuple[BoardLine, ...]
    red_top: int
    black_below: int
    members: int  # how many the group has


@dataclass(frozen=True)
class Boards:
    community: str
    counter_name: str
    period: Period
    party: Board
    organisations: Board


def board(group: str, facts: list[MemberFacts], points: dict[int, int], red_top: int,
          black_below: int) -> Board:
    active = [f for f in facts if f.status == MemberStatus.ACTIVE]
    earners = [f for f in active if points.get(f.id, 0) > 0]
    red = top_with_ties(ranked(earners, lambda f: points[f.id], lambda f: (f.name, f.id)), red_top)
    low = [f for f in active if points.get(f.id, 0) < black_below]
    black = sorted(low, key=lambda f: (points.get(f.id, 0), f.name, f.id))
    return Board(group, tuple(BoardLine(r, f, points[f.id]) for r, f in red),
                 tuple(BoardLine(i, f, points.get(f.id, 0)) for i, f in enumerate(black, 1)),
                 red_top, black_below, len(active))


def build(db, quarter_text: str | Period, *, tz: tzinfo | None = None, **overrides) -> Boards:
    period = quarter_text if isinstance(quarter_text, Period) else quarter(quarter_text)
    e = earned.read_period(db, period, tz, all_members=True, **overrides)
    got, facts, rules = e.totals, e.facts, e.rules
    points = {m: t.approved for m, t in got.items()}
    party = [f for f in facts.values() if f.is_party]
    orgs = [f for f in facts.values() if f.is_organisation]
    return Boards(e.community, e.counter_name, period,
                  board("党员", party, points, rules.party_red_top, rules.party_black_below),
                  board("驻区单位", orgs, points, rules.org_red_top, rules.org_black_below))


def _tables(b: Board, extra: str, extra_of) -> list[Table]:
    cols = (Column("名次", 0.7, "center"), Column("名称" if b.group == "驻区单位" else "姓名", 2.2),
            Column(extra, 2.4), Column("季度积分", 1.1, "right"))
    red = Table(f"{b.group}红榜", cols,
                [(str(l.rank), l.member.name, extra_of(l.member), str(l.points)) for l in b.red],
                note=f"规则：本季度获得积分前 {b.red_top} 名（同分并列）", color=RED,
                empty="本季度没有获得积分的记录")
    out = [red]
    if b.black_below > 0:
        out.append(Table(f"{b.group}黑榜", (Column("序号", 0.7, "center"), *cols[1:]),
                         [(str(l.rank), l.member.name, extra_of(l.member), str(l.points))
                          for l in b.black],
                         note=f"规则：本季度获得积分少于 {b.black_below} 分（共 {b.members} 个在册，"
                              f"{len(b.black)} 个上榜）", empty="无"))
    return out


def paper(b: Boards) -> Paper:
    party = _tables(b.party, "类别 / 工作单位",
                    lambda f: f"{f.category_label}" + (f" · {f.work_unit}" if f.work_unit else ""))
    orgs = _tables(b.organisations, "小区", lambda f: f.compound)
    return Paper(f"{b.period.label}红黑榜", [f"{b.community} · {b.period.first:%Y-%m-%d} 至 "
                                           f"{b.period.last:%Y-%m-%d}"],
                 (*party, *orgs), footer=f"{b.community} · 红黑榜", author=b.counter_name)


def pdf(b: Boards) -> tuple[bytes, int]:
    return paper_pdf(paper(b))
