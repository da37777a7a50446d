"""Work-unit reports (反馈至党员所在单位): for each employer of in-service party members
(在职党员, ``members.work_unit``), a workbook (.xlsx) and a PDF of its members' service
and points in a period, for the employer's party committee; and for resident
organisations (驻区单位), the same per supervising department (主管部门: an
organisation's ``work_unit``; "（未登记主管部门）" when none is recorded).

Every member of the unit is listed, also those who did no service in the period (0
points): the employer wants to know who did not report to the community, too.
Files: ``DIR/在职党员/<单位>.xlsx|.pdf`` and ``DIR/驻区单位/<主管部门>.xlsx|.pdf``, written
into a hidden folder first and moved into place, so a failure leaves no half report set.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from counter_app import counters
from counter_app.db.models import MemberCategory
from counter_app.documents.paper import Column, Paper, Table, paper_pdf
from counter_app.reports import earned
from counter_app.reports.earned import AwardLine, MemberFacts
from counter_app.reports.export import export_sheets
from counter_app.reports.period import Period

NO_DEPARTMENT = "（未登记主管部门）"
PARTY_DIR, ORG_DIR = "在职党员", "驻区单位"
_BAD_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass(frozen=True)
class UnitMember:
    member: MemberFacts
    awards: tuple[AwardLine, ...]

    @property
    def points(self) -> int:
        return sum(a.points for a in self.awards)


@dataclass(frozen=True)
class UnitReport:
    kind: str  # 在职党员 / 驻区单位
    unit: str  # the employer / the supervising department
    members: tuple[UnitMember, ...]

    @property
    def points(self) -> int:
        return sum(m.points for m in self.members)


@dataclass(frozen=True)
class WorkUnitReports:
    community: str
    period: Period
    units: tuple[UnitReport, ...]


def build(db, period: Period, *, tz: tzinfo | None = None) -> WorkUnitReports:
    info = counters.local_counter(db)
    with db.read() as s:
        facts = earned.member_facts(s, info.community_id)
        wanted = {m: f for m, f in facts.items()
                  if f.category in (MemberCategory.PARTY_IN_SERVICE, MemberCategory.ORGANISATION)}
        lines = earned.award_lines(s, wanted, period, tz)
    by_member: dict[int, list[AwardLine]] = {}
    for line in lines:
        by_member.setdefault(line.member_id, []).append(line)
    groups: dict[tuple[str, str], list[UnitMember]] = {}
    for f in wanted.values():
        if f.category == MemberCategory.PARTY_IN_SERVICE:
            key = (PARTY_DIR, (f.work_unit or "").strip() or "（未登记工作单位）")
        else:
            key = (ORG_DIR, (f.work_unit or "").strip() or NO_DEPARTMENT)
        groups.setdefault(key, []).append(UnitMember(f, tuple(by_member.get(f.id, ()))))
    units = tuple(UnitReport(kind, unit, tuple(sorted(ms, key=lambda m: (-m.points, m.member.name,
                                                                          m.member.id))))
                  for (kind, unit), ms in sorted(groups.items()))
    return WorkUnitReports(info.community, period, units)


def file_stem(name: str) -> str:
    return _BAD_NAME.sub("_", name).strip(" .") or "_"


def _sheets(r: UnitReport, community: str):
    who = "单位名称" if r.kind == ORG_DIR else "姓名"
    summary = (f"{r.kind}汇总", [who, "手机", "小区", "服务次数", "积分"],
               [[m.member.name, m.member.phone_masked or None, m.member.compound, len(m.awards),
                 m.points] for m in r.members])
    detail = ("服务明细", [who, "日期", "积分项目", "积分", "状态"],
              [[m.member.name, a.day, a.item, a.points, a.state_label]
               for m in r.members for a in m.awards])
    return [summary, detail]


def paper(r: UnitReport, community: str, period: Period) -> Paper:
    who = "单位名称" if r.kind == ORG_DIR else "姓名"
    to = "主管部门" if r.kind == ORG_DIR else "所在单位党组织"
    summary = Table("一、汇总", (Column(who, 2.4), Column("手机", 1.5, "center"), Column("小区", 1.8),
                              Column("服务次数", 1, "right"), Column("积分", 1, "right")),
                    [(m.member.name, m.member.phone_masked or "—", m.member.compound,
                      str(len(m.awards)), str(m.points)) for m in r.members])
    detail = Table("二、服务明细", (Column(who, 2), Column("日期", 1.2, "center"),
                                 Column("积分项目", 3), Column("积分", 0.8, "right"),
                                 Column("状态", 0.9, "center")),
                   [(m.member.name, f"{a.day:%Y-%m-%d}", a.item, str(a.points), a.state_label)
                    for m in r.members for a in m.awards], empty="本期没有服务记录")
    return Paper(f"{r.unit} · {r.kind}社区服务情况",
                 [f"{community} 反馈{to} · {period.label}",
                  f"共 {len(r.members)} {'个单位' if r.kind == ORG_DIR else '名党员'}，"
                  f"服务 {sum(len(m.awards) for m in r.members)} 次，积分 {r.points} 分"],
                 (summary, detail), footer=f"{community} · {r.kind}社区服务反馈")


def write(reports: WorkUnitReports, out_dir: str | os.PathLike, *,
          progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Write every unit's .xlsx and .pdf under ``out_dir``; returns the files written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".work-units-", dir=out_dir))
    done: list[tuple[Path, Path]] = []
    try:
        used: set[Path] = set()
        for i, r in enumerate(reports.units):
            sub = staging / r.kind
            sub.mkdir(exist_ok=True)
            stem = file_stem(r.unit)
            n = 2
            while sub / stem in used:
                stem, n = f"{file_stem(r.unit)}-{n}", n + 1
            used.add(sub / stem)
            xlsx = export_sheets(sub / f"{stem}.xlsx", _sheets(r, reports.community))
            data, _pages = paper_pdf(paper(r, reports.community, reports.period))
            pdf = sub / f"{stem}.pdf"
            pdf.write_bytes(data)
            for f in (xlsx, pdf):
                done.append((f, out_dir / r.kind / f.name))
            if progress:
                progress(i + 1, len(reports.units))
        for src, dst in done:
            dst.parent.mkdir(exist_ok=True)
            os.replace(src, dst)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [dst for _src, dst in done]
