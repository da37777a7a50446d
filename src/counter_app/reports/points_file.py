"""A member's points file (积分档案) for a year: who they are, the points they earned
(item by item), what they redeemed (voided receipts marked), their balance at the start
and end of the year, and the honours of that year (积分之星 rank, when they are one).

Kept by the community office and handed to the member: the phone and the ID number are
masked as on the member page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import DateTime, bindparam, select, text

from counter_app import counters
from counter_app.db.models import Member, Redemption, RedemptionLine, RedemptionVoid
from counter_app.documents.paper import Column, Paper, Paragraph, Table, paper_pdf
from counter_app.errors import UnknownMember
from counter_app.localtime import local_date
from counter_app.members import get_member, mask_id_number
from counter_app.reports import earned
from counter_app.reports.period import Period, year


@dataclass(frozen=True)
class RedemptionLineFacts:
    day: date
    receipt_no: str
    items: str
    points: int
    voided: bool


@dataclass(frozen=True)
class PointsFile:
    community: str
    period: Period
    member_id: int
    name: str
    card_code: str
    category: str
    phone_masked: str
    id_masked: str
    address: str
    work_unit: str | None
    opening: int
    closing: int
    awards: tuple[earned.AwardLine, ...]
    redemptions: tuple[RedemptionLineFacts, ...]
    honours: tuple[str, ...]

    @property
    def earned(self) -> int:
        return sum(a.points for a in self.awards if a.state == earned.APPROVED)

    @property
    def pending(self) -> int:
        return sum(a.points for a in self.awards if a.state == earned.PENDING)

    @property
    def redeemed(self) -> int:
        return sum(r.points for r in self.redemptions if not r.voided)


_BALANCE_BEFORE = text("SELECT COALESCE(SUM(delta), 0) FROM points_journal "
                       "WHERE member_id = :m AND created_at < :t").bindparams(
    bindparam("t", type_=DateTime()))


def _redemptions(s, member_id: int, lo: datetime, hi: datetime) -> list[RedemptionLineFacts]:
    rows = s.execute(select(Redemption.id, Redemption.receipt_no, Redemption.created_at,
                            Redemption.total_points, RedemptionVoid.id.label("void"))
                     .outerjoin(RedemptionVoid, RedemptionVoid.redemption_id == Redemption.id)
                     .where(Redemption.member_id == member_id, Redemption.created_at >= lo,
                            Redemption.created_at < hi)
                     .order_by(Redemption.created_at)).all()
    names: dict[str, list[str]] = {}
    if rows:
        for rid, name, qty in s.execute(
                select(RedemptionLine.redemption_id, RedemptionLine.item_name, RedemptionLine.qty)
                .where(RedemptionLine.redemption_id.in_([r.id for r in rows]))
                .order_by(RedemptionLine.redemption_id, RedemptionLine.line_no)):
            names.setdefault(rid, []).append(f"{name}×{qty}")
    return [RedemptionLineFacts(local_date(r.created_at), r.receipt_no,
                                "、".join(names.get(r.id, [])), r.total_points, r.void is not None)
            for r in rows]


def build(db, member_id: int, year_value, *, tz: tzinfo | None = None) -> PointsFile:
    period = year_value if isinstance(year_value, Period) else year(year_value)
    info = counters.local_counter(db)
    lo, hi = period.start_utc(tz), period.end_utc(tz)
    with db.read() as s:
        row = get_member(s, member_id)
        member = s.get(Member, row.id)
        if member is None:
            raise UnknownMember(member_id=member_id)
        opening = int(s.execute(_BALANCE_BEFORE, {"m": row.id, "t": lo}).scalar())
        closing = int(s.execute(_BALANCE_BEFORE, {"m": row.id, "t": hi}).scalar())
        awards = earned.award_lines(s, [row.id], period, tz)
        redemptions = _redemptions(s, row.id, lo, hi)
        id_masked = mask_id_number(member.id_number)
    from counter_app.reports import honours

    honours_list = []
    h = honours.build(db, period, tz=tz)
    for star in h.stars:
        if star.member.id == row.id:
            honours_list.append(f"{period.first.year}年度积分之星（第 {star.rank} 名，{star.points} 分）")
    for org in h.organisations:
        if org.member.id == row.id:
            honours_list.append(f"{period.first.year}年度驻区单位排名第 {org.rank} 名")
    return PointsFile(info.community, period, row.id, row.name, row.card_code, row.category_label,
                      row.phone_masked, id_masked, row.address, row.work_unit, opening, closing,
                      tuple(awards), tuple(redemptions), tuple(honours_list))


def paper(f: PointsFile) -> Paper:
    who = [f"{f.community} · {f.name}（{f.category}） · 卡号 {f.card_code}",
           "  ".join(x for x in (f"手机 {f.phone_masked}" if f.phone_masked else "",
                                 f"身份证 {f.id_masked}" if f.id_masked else "",
                                 f.address, f"工作单位 {f.work_unit}" if f.work_unit else "") if x)]
    summary = Paragraph(f"年初余额 {f.opening} 分，本年获得 {f.earned} 分，兑换 {f.redeemed} 分，"
                        f"年末余额 {f.closing} 分。"
                        + (f"另有 {f.pending} 分待审核。" if f.pending else ""), bold=True)
    awards = Table("一、获得积分", (Column("日期", 1.2, "center"), Column("积分项目", 3.6),
                                Column("积分", 0.8, "right"), Column("状态", 1, "center")),
                   [(f"{a.day:%Y-%m-%d}", a.item, str(a.points), a.state_label) for a in f.awards],
                   empty="本年度没有获得积分的记录")
    redeemed = Table("二、兑换记录", (Column("日期", 1.2, "center"), Column("小票号", 1.6),
                                 Column("兑换物品", 3), Column("积分", 0.8, "right")),
                     [(f"{r.day:%Y-%m-%d}", r.receipt_no,
                       ("（已作废）" if r.voided else "") + r.items, str(r.points))
                      for r in f.redemptions], empty="本年度没有兑换记录")
    honours = Table("三、荣誉", (Column("荣誉", 1),), [(x,) for x in f.honours],
                    empty="本年度暂无")
    return Paper(f"积分档案（{f.period.first.year}年度）", who,
                 (summary, awards, redeemed, honours), footer=f"{f.community} · 积分档案 · {f.name}")


def pdf(f: PointsFile) -> tuple[bytes, int]:
    return paper_pdf(paper(f))
