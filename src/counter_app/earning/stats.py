"""Figures the earning pages chart: points earned per category per month (approved awards,
by activity date) and the review backlog (pending awards per week)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app.db.earning_models import Award, AwardStatus
from counter_app.db.models import PointCategory, PointItem
from counter_app.earning import catalogue
from counter_app.earning.review import week_of


def _month_back(day: date, n: int) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 - n, 12)
    return date(y, m + 1, 1)


@dataclass(frozen=True)
class CategoryMonths:
    months: tuple[date, ...]  # first days, oldest first
    per_category: dict[str, tuple[int, ...]]  # category -> points per month


def points_by_category_month(session: Session, months: int = 6,
                             today: date | None = None) -> CategoryMonths:
    today = today or catalogue.today()
    firsts = tuple(_month_back(today, n) for n in range(months - 1, -1, -1))
    month = func.strftime("%Y-%m", Award.activity_date)
    rows = session.execute(
        select(PointCategory.name, month, func.sum(Award.points))
        .join(PointItem, PointItem.id == Award.item_id)
        .join(PointCategory, PointCategory.id == PointItem.category_id)
        .where(Award.status == AwardStatus.APPROVED, Award.activity_date >= firsts[0])
        .group_by(PointCategory.id, month).order_by(PointCategory.id)).all()
    keys = [f"{d:%Y-%m}" for d in firsts]
    out: dict[str, list[int]] = {}
    for category, ym, points in rows:
        if ym in keys:
            out.setdefault(category, [0] * months)[keys.index(ym)] = int(points)
    return CategoryMonths(firsts, {k: tuple(v) for k, v in out.items()})


@dataclass(frozen=True)
class BacklogWeek:
    week: date
    awards: int
    points: int


def backlog(session: Session) -> list[BacklogWeek]:
    """Pending awards per week of their activity date, oldest first."""
    rows = session.execute(select(Award.activity_date, Award.points)
                           .where(Award.status == AwardStatus.PENDING)).all()
    weeks: dict[date, list[int]] = {}
    for day, points in rows:
        w = weeks.setdefault(week_of(day), [0, 0])
        w[0] += 1
        w[1] += points
    return [BacklogWeek(k, *weeks[k]) for k in sorted(weeks)]
