"""Dashboard figures (reports.dashboard): today, low stock, points per week."""

import sqlite3
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from earning_helpers import credit  # noqa: E402
from counter_app import catalogue, ledger, redemption, stock
from counter_app import clock as core_clock
from counter_app.db.models import ItemKind
from counter_app.demo import build_demo
from counter_app.ids import uuid7, uuid7_at
from counter_app.redemption import CartLine
from counter_app.reports import dashboard
from counter_app.reports.dashboard import LowStockRow, TodayFigures, WeekTotals

SHANGHAI = ZoneInfo("Asia/Shanghai")  # UTC+8 all year
BERLIN = ZoneInfo("Europe/Berlin")  # summer time from 2026-03-29


def utc(*args) -> datetime:
    return datetime(*args)


@pytest.fixture
def clock():
    """Stamp the journal entries the services write with a chosen naive-UTC time."""
    with core_clock.frozen(datetime(2026, 1, 1)) as fixed:
        yield fixed.set


def checkout(counter, mid, item, qty=1):
    return redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(item, qty)])


# --- calendar ----------------------------------------------------------------------------------


def test_weeks_start_on_monday_and_end_with_the_current_week():
    wednesday, monday, sunday = date(2026, 3, 4), date(2026, 3, 2), date(2026, 3, 8)
    assert dashboard.week_starts(wednesday, 3) == [date(2026, 2, 16), date(2026, 2, 23), monday]
    assert dashboard.week_starts(monday, 1) == [monday]
    assert dashboard.week_starts(sunday, 1) == [monday]
    assert len(dashboard.week_starts(sunday)) == 12
    with pytest.raises(ValueError):
        dashboard.week_starts(sunday, 0)


def test_local_days_in_utc_including_a_summer_time_change():
    assert dashboard.local_midnight_utc(date(2026, 3, 4), SHANGHAI) == utc(2026, 3, 3, 16)
    assert dashboard.local_date(utc(2026, 3, 3, 15, 59, 59), SHANGHAI) == date(2026, 3, 3)
    assert dashboard.local_date(utc(2026, 3, 3, 16), SHANGHAI) == date(2026, 3, 4)
    assert dashboard.local_midnight_utc(date(2026, 3, 29), BERLIN) == utc(2026, 3, 28, 23)
    assert dashboard.local_midnight_utc(date(2026, 3, 30), BERLIN) == utc(2026, 3, 29, 22)


def test_id_floor_never_drops_an_entry_of_the_period():
    start = utc(2026, 3, 3, 16)
    ms = int(start.replace(tzinfo=UTC).timestamp() * 1000)
    floor = dashboard.id_floor(start)
    day_ms = 86_400_000
    for rand in (0, 1, (1 << 74) - 1):
        assert uuid7_at(ms, rand) >= floor  # made at the start of the period
        assert uuid7_at(ms - day_ms, rand) >= floor  # a day of clock slack
        assert uuid7_at(ms - day_ms - 1, rand) < floor  # older: may be skipped
    assert uuid7() >= dashboard.id_floor(datetime.now(UTC).replace(tzinfo=None))


# --- today ---------------------------------------------------------------------------------


def test_today_counts_the_local_day_without_voids_or_reversed_awards(counter, clock):
    clock(utc(2026, 3, 3, 15, 59, 59))  # 23:59:59 in Shanghai, the day before
    mid = counter.member("李四", points=40)
    checkout(counter, mid, counter.soap)  # 5
    clock(utc(2026, 3, 3, 16))  # local midnight: today begins
    credit(counter.db, counter.reviewer, mid, counter.big_point_item)  # 15
    checkout(counter, mid, counter.rice)  # 20
    checkout(counter, mid, counter.soap, 2)  # 10
    wrong = checkout(counter, mid, counter.haircut)  # 10, voided below
    clock(utc(2026, 3, 4, 3))
    redemption.void(counter.db, counter.admin, wrong.receipt_no, "拿错了")
    mistake = credit(counter.db, counter.reviewer, mid, counter.point_item)
    ledger.reverse(counter.db, counter.admin, mistake["id"], "记错了")
    ledger.adjust(counter.db, counter.admin, mid, 7, "迁移补录")  # an adjustment is no award
    clock(utc(2026, 3, 4, 16))  # local midnight: tomorrow
    credit(counter.db, counter.reviewer, mid, counter.point_item)
    checkout(counter, mid, counter.soap)

    with counter.db.read() as s:
        today = dashboard.today_figures(s, "XF01", now=utc(2026, 3, 4, 4), tz=SHANGHAI)
        assert today == TodayFigures(day=date(2026, 3, 4), redemptions=2, points_redeemed=30,
                                     points_awarded=15)
        late = dashboard.today_figures(s, "XF01", now=utc(2026, 3, 4, 15, 59), tz=SHANGHAI)
        assert late == today
        yesterday = dashboard.today_figures(s, "XF01", now=utc(2026, 3, 3, 12), tz=SHANGHAI)
        assert yesterday == TodayFigures(date(2026, 3, 3), 1, 5, 40)
        tomorrow = dashboard.today_figures(s, "XF01", now=utc(2026, 3, 4, 16), tz=SHANGHAI)
        assert tomorrow == TodayFigures(date(2026, 3, 5), 1, 5, 10)
        # The whole database, or another counter's share of it.
        assert dashboard.today_figures(s, None, now=utc(2026, 3, 4, 4), tz=SHANGHAI) == today
        assert dashboard.today_figures(s, "XF99", now=utc(2026, 3, 4, 4), tz=SHANGHAI) == \
            TodayFigures(date(2026, 3, 4), 0, 0, 0)


def test_an_empty_day_is_all_zeros(counter):
    with counter.db.read() as s:
        figures = dashboard.today_figures(s, "XF01")
    assert (figures.redemptions, figures.points_redeemed, figures.points_awarded) == (0, 0, 0)
    assert figures.day == datetime.now().date()


# --- weeks --------------------------------------------------------------------------------------


def test_weekly_totals_bucket_by_local_monday_with_zero_weeks(counter, clock):
    clock(utc(2026, 2, 8, 15))  # Sunday 23:00 local, before the four weeks
    mid = counter.member("王五", points=10)
    clock(utc(2026, 2, 8, 16))  # Monday 9 Feb 00:00 local
    credit(counter.db, counter.reviewer, mid, counter.point_item)
    clock(utc(2026, 2, 22, 15, 59))  # Sunday 22 Feb 23:59 local
    credit(counter.db, counter.reviewer, mid, counter.big_point_item)
    checkout(counter, mid, counter.soap)
    clock(utc(2026, 2, 22, 16))  # Monday 23 Feb 00:00 local: its only receipt is voided
    voided = checkout(counter, mid, counter.soap, 2)
    clock(utc(2026, 3, 3, 2))
    credit(counter.db, counter.reviewer, mid, counter.point_item)
    checkout(counter, mid, counter.haircut)
    redemption.void(counter.db, counter.admin, voided.receipt_no, "重复录入")

    with counter.db.read() as s:
        weeks = dashboard.weekly_totals(s, "XF01", weeks=4, now=utc(2026, 3, 4, 4), tz=SHANGHAI)
        assert weeks == [
            WeekTotals(date(2026, 2, 9), earned=10, redeemed=0),
            WeekTotals(date(2026, 2, 16), earned=15, redeemed=5),
            WeekTotals(date(2026, 2, 23), earned=0, redeemed=0),
            WeekTotals(date(2026, 3, 2), earned=10, redeemed=10),
        ]
        assert weeks[1].end == date(2026, 2, 22)
        twelve = dashboard.weekly_totals(s, "XF01", now=utc(2026, 3, 4, 4), tz=SHANGHAI)
        assert len(twelve) == 12 and twelve[-4:] == weeks
        assert twelve[-5] == WeekTotals(date(2026, 2, 2), earned=10, redeemed=0)  # 8 Feb
        assert all(w.earned == w.redeemed == 0 for w in twelve[:-5])
        assert [b.start - a.start for a, b in zip(twelve, twelve[1:])] == [timedelta(7)] * 11
        one = dashboard.weekly_totals(s, "XF01", weeks=1, now=utc(2026, 3, 4, 4), tz=SHANGHAI)
        assert one == weeks[-1:]


def test_a_week_with_a_summer_time_change_keeps_local_mondays(counter, clock):
    clock(utc(2026, 3, 29, 21, 59))  # Sunday 29 Mar 23:59 CEST
    mid = counter.member(points=10)
    clock(utc(2026, 3, 29, 22))  # Monday 30 Mar 00:00 CEST
    credit(counter.db, counter.reviewer, mid, counter.big_point_item)
    with counter.db.read() as s:
        weeks = dashboard.weekly_totals(s, "XF01", weeks=2, now=utc(2026, 3, 31), tz=BERLIN)
    assert weeks == [WeekTotals(date(2026, 3, 23), 10, 0), WeekTotals(date(2026, 3, 30), 15, 0)]


# --- low stock ---------------------------------------------------------------------------------


def test_low_stock_lists_goods_at_or_below_the_threshold_fewest_first(counter):
    def goods(name, category="日用品", qty=0, active=True):
        item = catalogue.add_item(counter.db, counter.stock_staff,
                                  community_id=counter.info.community_id, name=name,
                                  kind=ItemKind.GOODS, category=category, points=5, unit="瓶")
        if qty:
            stock.receive(counter.db, counter.stock_staff, item, qty)
        if not active:
            catalogue.set_active(counter.db, counter.stock_staff, item, False)
        return item

    soy = goods("酱油", "粮油")  # never delivered: 0
    detergent = goods("洗衣液", qty=3)
    towel = goods("毛巾", qty=3)  # same stock: 日用品 sorts by name, 毛巾 < 洗衣液 by code point
    goods("旧牙膏", active=False)  # withdrawn goods do not need restocking
    goods("纸巾", qty=11)  # above the threshold
    stock.adjust(counter.db, counter.stock_staff, counter.soap, -95, "破损")  # 5 left

    with counter.db.read() as s:
        rows = dashboard.low_stock(s, "XF01")
        assert [(r.name, r.qty) for r in rows] == [
            ("酱油", 0), ("毛巾", 3), ("洗衣液", 3), ("香皂", 5), ("大米 5kg", 10)]
        assert rows[0] == LowStockRow(soy, "酱油", "粮油", "瓶", 0)
        assert {rows[1].item_id, rows[2].item_id} == {towel, detergent}
        assert [r.name for r in dashboard.low_stock(s, "XF01", threshold=3)] == [
            "酱油", "毛巾", "洗衣液"]
        assert dashboard.low_stock(s, "XF01", threshold=-1) == []
        # Services (爱心餐, 义剪) never appear; another counter has received nothing at all.
        assert all(r.item_id not in (counter.meal, counter.haircut) for r in rows)


def test_load_reads_everything_at_once(counter):
    mid = counter.member(points=30)
    checkout(counter, mid, counter.rice)
    board = dashboard.load(counter.db, "XF01", threshold=9, weeks=3)
    assert (board.today.redemptions, board.today.points_redeemed,
            board.today.points_awarded) == (1, 20, 30)
    assert [(r.name, r.qty) for r in board.low_stock] == [("大米 5kg", 9)]
    assert len(board.weeks) == 3 and (board.weeks[-1].earned, board.weeks[-1].redeemed) == (30, 20)
    assert board.threshold == 9 and board.counter_id == "XF01"


# --- against a brute-force count of six months of demo history ----------------------------------


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from counter_app.db import open_database

    path = tmp_path_factory.mktemp("dashdemo") / "demo.db"
    build_demo(path, members=400, seed=1, as_of=date(2026, 3, 4))
    db = open_database(path)
    yield db
    db.dispose()


def brute_force(path, tz, day_of):
    """Per-period (earned, redeemed, receipts) computed in Python from every row."""
    con = sqlite3.connect(path)
    try:
        reversed_ids = {r for (r,) in con.execute(
            "SELECT reverses_id FROM points_journal WHERE reverses_id IS NOT NULL")}
        totals = defaultdict(lambda: [0, 0, 0])
        for eid, kind, delta, at in con.execute(
                "SELECT id, kind, delta, created_at FROM points_journal"):
            if kind == "award" and eid not in reversed_ids:
                totals[day_of(dashboard.local_date(datetime.fromisoformat(at), tz))][0] += delta
        for entry_id, points, at in con.execute(
                "SELECT points_entry_id, total_points, created_at FROM redemptions"):
            if entry_id not in reversed_ids:
                t = totals[day_of(dashboard.local_date(datetime.fromisoformat(at), tz))]
                t[1] += points
                t[2] += 1
        return totals
    finally:
        con.close()


def test_figures_match_a_brute_force_count_of_demo_history(demo_db):
    now = utc(2026, 3, 3, 4)  # the demo's last day of history, at noon in Shanghai
    weekly = brute_force(demo_db.path, SHANGHAI, lambda d: d - timedelta(days=d.weekday()))
    daily = brute_force(demo_db.path, SHANGHAI, lambda d: d)
    with demo_db.read() as s:
        weeks = dashboard.weekly_totals(s, "XF01", weeks=30, now=now, tz=SHANGHAI)
        assert [(w.earned, w.redeemed) for w in weeks] == [
            tuple(weekly[w.start][:2]) for w in weeks]
        assert weeks[0].earned == weeks[0].redeemed == 0  # before the history began
        assert sum(w.redeemed > 0 for w in weeks) >= 20
        for back in range(0, 40, 3):
            moment = now - timedelta(days=back)
            today = dashboard.today_figures(s, "XF01", now=moment, tz=SHANGHAI)
            earned, redeemed, receipts = daily[today.day]
            assert (today.points_awarded, today.points_redeemed, today.redemptions) == (
                earned, redeemed, receipts)
    con = sqlite3.connect(demo_db.path)
    voids = con.execute("SELECT COUNT(*) FROM points_journal WHERE kind = 'reversal'").fetchone()
    con.close()
    assert voids[0] >= 2  # the demo voids some receipts, so exclusion was exercised


def test_journal_queries_never_scan_whole_tables(demo_db):
    """At 100,000 members the journal holds ~600k rows: the figures must come from index
    ranges (the UUIDv7 primary key, redemptions.created_at), not full scans."""
    statements = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    event.listen(demo_db.engine, "before_cursor_execute", capture)
    try:
        dashboard.load(demo_db, "XF01", now=utc(2026, 3, 3, 4), tz=SHANGHAI)
    finally:
        event.remove(demo_db.engine, "before_cursor_execute", capture)
    journal = [(q, p) for q, p in statements
               if "FROM points_journal p" in q or "FROM redemptions" in q]
    assert len(journal) == 4  # today and weeks, each awards and redemptions
    con = sqlite3.connect(demo_db.path)
    try:
        for query, params in journal:
            plan = [row[3] for row in con.execute("EXPLAIN QUERY PLAN " + query, params)]
            assert not [step for step in plan if step.startswith("SCAN")], (query, plan)
    finally:
        con.close()
