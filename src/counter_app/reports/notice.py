"""The monthly public notice (一月一公示): points earned in a month per member (ranked),
per compound and per volunteer team, with the review state and the deadline for
objections. Public paper: names and masked phones (138****5678) only — never a full phone
number, never an ID number (MemberFacts carries neither).

The notice is published on ``published`` (default: today, or the day after the month if
the month is not over) and stays up ``objection_days`` days (report_rules); objections are
taken until the end of the deadline day (objections.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from counter_app import clock
from counter_app.documents.paper import Column, Paper, Paragraph, Table, paper_pdf
from counter_app.localtime import local_date
from counter_app.reports import earned, objections
from counter_app.reports.earned import MemberFacts, Totals
from counter_app.reports.period import Period, month
from counter_app.reports.ranking import ranked


@dataclass(frozen=True)
class MemberLine:
    rank: int
    member: MemberFacts
    totals: Totals


@dataclass(frozen=True)
class GroupLine:
    rank: int
    name: str
    participants: int
    points: int


@dataclass(frozen=True)
class Notice:
    community: str
    counter_name: str
    period: Period
    published: date
    deadline: date
    objection_days: int
    members: tuple[MemberLine, ...]
    compounds: tuple[GroupLine, ...]
    teams: tuple[GroupLine, ...]
    objections: tuple = ()  # reports.objections.Objection against this month's awards

    @property
    def total_points(self) -> int:
        return sum(m.totals.approved for m in self.members)

    @property
    def pending_points(self) -> int:
        return sum(m.totals.pending for m in self.members)


def default_published(period: Period, today: date) -> date:
    return max(today, period.last + timedelta(days=1))


def group_lines(groups: dict[str, tuple[int, int]]) -> tuple[GroupLine, ...]:
    rows = ranked(groups.items(), lambda kv: kv[1][1], lambda kv: (kv[0],))
    return tuple(GroupLine(rank, name, n, pts) for rank, (name, (n, pts)) in rows)


def compound_groups(lines, facts: dict[int, MemberFacts]) -> dict[str, tuple[int, int]]:
    """``{compound: (participants, points)}`` over persons (organisations are not residents)."""
    groups: dict[str, list[int]] = {}
    for member_id, points in lines:
        f = facts.get(member_id)
        if f is None or not f.is_person:
            continue
        g = groups.setdefault(f.compound, [0, 0])
        g[0] += 1
        g[1] += points
    return {k: (v[0], v[1]) for k, v in groups.items()}


def build(db, month_text: str | Period, *, published: date | None = None,
          objection_days: int | None = None, tz: tzinfo | None = None) -> Notice:
    period = month_text if isinstance(month_text, Period) else month(month_text)
    e = earned.read_period(db, period, tz, objection_days=objection_days)
    got, facts, rules = e.totals, e.facts, e.rules
    published = published or default_published(period, local_date(clock.now_utc(), tz))
    rows = [t for t in got.values() if t.member_id in facts and (t.approved or t.pending)]
    members = tuple(MemberLine(rank, facts[t.member_id], t) for rank, t in ranked(
        rows, lambda t: t.approved, lambda t: (facts[t.member_id].name, t.member_id)))
    compounds = group_lines(compound_groups(((t.member_id, t.approved) for t in rows), facts))
    with db.read() as s:
        raised = tuple(objections.objections(s, month_awards=(period.first, period.last)))
    return Notice(e.community, e.counter_name, period, published,
                  published + timedelta(days=rules.objection_days), rules.objection_days,
                  members, compounds, group_lines(e.teams), raised)


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def paper(n: Notice) -> Paper:
    head = [f"{n.community} · 公示期 {_day(n.published)} 至 {_day(n.deadline)}（{n.objection_days} 天）",
            f"本月共 {len(n.members)} 名会员获得积分 {n.total_points} 分"
            + (f"，另有 {n.pending_points} 分待审核（审核通过后计入）" if n.pending_points else "")]
    deadline = Paragraph(
        f"对公示内容有异议的，请于 {_day(n.deadline)} 前（含当日）向社区考评监督小组实名提出，"
        "并说明对哪一条积分记录有异议；逾期无异议的，积分即为确认。", bold=True, color=(0.72, 0.07, 0.07))
    members = Table(
        "一、会员积分排名",
        (Column("名次", 0.7, "center"), Column("姓名", 1.6), Column("手机", 1.5, "center"),
         Column("小区", 1.8), Column("类别", 1.1, "center"), Column("积分", 0.9, "right"),
         Column("审核状态", 1.6, "center")),
        [(str(m.rank), m.member.name, m.member.phone_masked or "—", m.member.compound,
          m.member.category_label, str(m.totals.approved), m.totals.state_label)
         for m in n.members],
        empty="本月没有获得积分的记录")
    compounds = Table(
        "二、各小区积分", (Column("名次", 0.7, "center"), Column("小区", 3),
                     Column("获得积分人数", 1.5, "right"), Column("积分合计", 1.5, "right")),
        [(str(g.rank), g.name, str(g.participants), str(g.points)) for g in n.compounds],
        note="按居住小区统计居民（驻区单位不计入小区）", empty="本月没有小区居民获得积分")
    teams = Table(
        "三、各志愿服务队积分", (Column("名次", 0.7, "center"), Column("服务队", 3),
                        Column("参加人数", 1.5, "right"), Column("积分合计", 1.5, "right")),
        [(str(g.rank), g.name, str(g.participants), str(g.points)) for g in n.teams],
        empty="本月没有按服务队记录的活动")
    # who objected stays off public paper; the member, the points and the outcome do not
    raised = Table(
        "四、异议及处理", (Column("姓名", 1.6), Column("积分", 0.9, "right"),
                      Column("提出日期", 1.5, "center"), Column("处理结果", 3)),
        [(o.member, str(o.points), f"{local_date(o.raised_at):%Y-%m-%d}",
          o.outcome_label + (f"：{o.note}" if o.note else "")) for o in n.objections],
        empty="目前没有异议")
    return Paper(f"{n.period.label}积分公示", head,
                 (deadline, members, compounds, teams, raised, deadline),
                 footer=f"{n.community} · 一月一公示 · {n.published:%Y-%m-%d} 发布",
                 author=n.counter_name)


def pdf(n: Notice) -> tuple[bytes, int]:
    return paper_pdf(paper(n))
