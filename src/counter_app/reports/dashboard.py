"""Figures for the staff dashboard (看板): today at a glance, goods running low, and
points earned and redeemed per week.

Plain dataclasses out, SQL aggregates in; no Qt. Days and weeks are local calendar
periods (weeks start on Monday) turned into naive-UTC bounds, the only kind of
timestamp stored. Voided redemptions (whose points entry has a reversal) and reversed
awards count nowhere: they are mistakes put right, not activity.

Speed (100,000 members, ~570k journal rows): ``points_journal`` has no index on
``created_at``, but its primary key is a UUIDv7 that starts with the millisecond the
entry was written, in the same moment ``created_at`` was stamped (see ``ids.py``). A
lower bound on ``id`` a day before the period lets SQLite read only the recent part of
the primary-key index instead of the whole table; the exact ``created_at`` test then
decides. An id is never *older* than its ``created_at`` (the id is made after the
timestamp, and ``uuid7()`` never goes backwards), so the bound cannot drop a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.orm import Session

from counter_app import clock, localtime
from counter_app.db.models import EntryKind, ItemKind

LOW_STOCK_THRESHOLD = 10
WEEKS = 12
ID_SLACK = timedelta(days=1)  # how much older than created_at an id may look (clock jitter)


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TodayFigures:
    day: date  # the local calendar day
    redemptions: int  # receipts not voided
    points_redeemed: int
    points_awarded: int


@dataclass(frozen=True)
class LowStockRow:
    item_id: int
    name: str
    category: str
    unit: str
    qty: int


@dataclass(frozen=True)
class WeekTotals:
    start: date  # the local Monday the week begins on
    earned: int  # awards
    redeemed: int  # redemptions, voids excluded

    @property
    def end(self) -> date:
        """The Sunday the week ends on."""
        return self.start + timedelta(days=6)


@dataclass(frozen=True)
class Dashboard:
    today: TodayFigures
    low_stock: tuple[LowStockRow, ...]
    weeks: tuple[WeekTotals, ...]  # oldest first, the current week last
    threshold: int
    as_of: datetime  # naive UTC moment the figures describe
    counter_id: str | None = field(default=None)


# --- calendar -------------------------------------------------------------------------------


# The local-day conversions live in counter_app.localtime; these names stay for callers.
local_date = localtime.local_date
local_midnight_utc = localtime.day_start_utc


def week_starts(today: date, weeks: int = WEEKS) -> list[date]:
    """The Mondays of the last ``weeks`` weeks, oldest first; the last is this week's."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def id_floor(moment_utc: datetime) -> str:
    """A string that sorts at or below every UUIDv7 id made at or after ``moment_utc``
    minus ``ID_SLACK`` (its first 48 bits are Unix milliseconds, as lower-case hex)."""
    ms = max(0, int((moment_utc - ID_SLACK).replace(tzinfo=UTC).timestamp() * 1000))
    digits = f"{ms:012x}"
    return f"{digits[:8]}-{digits[8:]}"


# --- queries -----------------------------------------------------------------------------------

_NOT_REVERSED = "NOT EXISTS (SELECT 1 FROM points_journal r WHERE r.reverses_id = {col})"


def _counter_filter(column: str, counter_id: str | None) -> str:
    # The unary + keeps SQLite from preferring the (counter_id, seq) index, which would
    # walk the counter's whole journal instead of the recent range.
    return "" if counter_id is None else f" AND +{column} = :counter"


def _bucket_sql(bounds: list[datetime]) -> tuple[str, dict]:
    """SQL numbering the period [bounds[i], bounds[i+1]) a row's created_at falls in: a
    binary search of nested CASEs (four comparisons a row for twelve weeks, not twelve)."""

    def search(lo: int, hi: int) -> str:
        if hi - lo == 1:
            return str(lo)
        mid = (lo + hi) // 2
        return f"CASE WHEN created_at < :b{mid} THEN {search(lo, mid)} ELSE {search(mid, hi)} END"

    return search(0, len(bounds) - 1), {f"b{i}": b for i, b in enumerate(bounds)}


def _typed(sql: str, params: dict):
    """A text() statement whose datetime parameters are stored the way the ORM stores them."""
    stmt = text(sql)
    dates = [bindparam(k, type_=DateTime()) for k, v in params.items()
             if isinstance(v, datetime)]
    return stmt.bindparams(*dates) if dates else stmt


def _awards_by_period(session: Session, bounds: list[datetime],
                      counter_id: str | None) -> dict[int, int]:
    case, params = _bucket_sql(bounds)
    params.update(lo_id=id_floor(bounds[0]), kind=str(EntryKind.AWARD), counter=counter_id)
    sql = (f"SELECT {case} AS bucket, SUM(delta) FROM points_journal p "
           f"WHERE id >= :lo_id AND kind = :kind AND created_at >= :b0 "
           f"AND created_at < :b{len(bounds) - 1}{_counter_filter('counter_id', counter_id)} "
           f"AND {_NOT_REVERSED.format(col='p.id')} GROUP BY bucket")
    return {b: int(total) for b, total in session.execute(_typed(sql, params), params)}


def _redemptions_by_period(session: Session, bounds: list[datetime],
                           counter_id: str | None) -> dict[int, tuple[int, int]]:
    case, params = _bucket_sql(bounds)
    params["counter"] = counter_id
    sql = (f"SELECT {case} AS bucket, COUNT(*), SUM(total_points) FROM redemptions d "
           f"WHERE created_at >= :b0 AND created_at < :b{len(bounds) - 1}"
           f"{_counter_filter('counter_id', counter_id)} "
           f"AND {_NOT_REVERSED.format(col='d.points_entry_id')} GROUP BY bucket")
    return {b: (int(n), int(total))
            for b, n, total in session.execute(_typed(sql, params), params)}


def today_figures(session: Session, counter_id: str | None = None, *,
                  now: datetime | None = None, tz: tzinfo | None = None) -> TodayFigures:
    """Redemptions, points redeemed and points awarded on the local calendar day of ``now``
    (naive UTC, default: now)."""
    day = local_date(now or clock.now_utc(), tz)
    bounds = [local_midnight_utc(day, tz), local_midnight_utc(day + timedelta(days=1), tz)]
    count, redeemed = _redemptions_by_period(session, bounds, counter_id).get(0, (0, 0))
    awarded = _awards_by_period(session, bounds, counter_id).get(0, 0)
    return TodayFigures(day=day, redemptions=count, points_redeemed=redeemed,
                        points_awarded=awarded)


def weekly_totals(session: Session, counter_id: str | None = None, *, weeks: int = WEEKS,
                  now: datetime | None = None, tz: tzinfo | None = None) -> list[WeekTotals]:
    """Points earned and redeemed in each of the last ``weeks`` local weeks (Monday to
    Sunday), oldest first, the current week last; weeks without activity show zeros."""
    starts = week_starts(local_date(now or clock.now_utc(), tz), weeks)
    bounds = [local_midnight_utc(d, tz) for d in starts]
    bounds.append(local_midnight_utc(starts[-1] + timedelta(weeks=1), tz))
    earned = _awards_by_period(session, bounds, counter_id)
    redeemed = _redemptions_by_period(session, bounds, counter_id)
    return [WeekTotals(start=d, earned=earned.get(i, 0), redeemed=redeemed.get(i, (0, 0))[1])
            for i, d in enumerate(starts)]


_LOW_STOCK = text(
    "SELECT i.id, i.name, i.category, i.unit, COALESCE(l.qty, 0) AS qty "
    "FROM exchange_items i "
    "LEFT JOIN stock_levels l ON l.item_id = i.id AND l.counter_id = :counter "
    "WHERE i.community_id = (SELECT community_id FROM counters WHERE id = :counter) "
    "AND i.kind = :goods AND i.tracks_stock AND i.active "
    "AND COALESCE(l.qty, 0) <= COALESCE(i.low_stock, :threshold) "  # the item's own threshold
    "ORDER BY qty, i.category, i.name, i.id"
)


def low_stock(session: Session, counter_id: str,
              threshold: int = LOW_STOCK_THRESHOLD) -> list[LowStockRow]:
    """Active goods of the counter's community with their own low-stock threshold (else
    ``threshold``) or fewer in stock at the counter (none received counts as 0), fewest first."""
    rows = session.execute(_LOW_STOCK, {"counter": counter_id, "goods": str(ItemKind.GOODS),
                                        "threshold": threshold})
    return [LowStockRow(r.id, r.name, r.category, r.unit, r.qty) for r in rows]


def load(db, counter_id: str, *, threshold: int = LOW_STOCK_THRESHOLD, weeks: int = WEEKS,
         now: datetime | None = None, tz: tzinfo | None = None) -> Dashboard:
    """Everything the dashboard shows, read in one transaction (one consistent snapshot)."""
    now = now or clock.now_utc()
    with db.read() as s:
        return Dashboard(
            today=today_figures(s, counter_id, now=now, tz=tz),
            low_stock=tuple(low_stock(s, counter_id, threshold)),
            weeks=tuple(weekly_totals(s, counter_id, weeks=weeks, now=now, tz=tz)),
            threshold=threshold, as_of=now, counter_id=counter_id,
        )
