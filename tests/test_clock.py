"""One injectable clock (counter_app.clock): every timestamp a service stores follows it."""

from datetime import UTC, datetime

from sqlalchemy import text

from earning_helpers import credit  # noqa: E402
from counter_app import clock, ledger, redemption, stock
from counter_app.redemption import CartLine


def test_checkout_award_stock_and_audit_take_the_clock(counter):
    moment = datetime(2025, 2, 3, 4, 5, 6, 789000)
    mid = counter.member(points=30)
    with clock.frozen(moment) as fixed:
        receipt = redemption.checkout(counter.db, counter.volunteer, mid,
                                      [CartLine(counter.rice, 1)])
        fixed.advance(hours=1)
        credit(counter.db, counter.reviewer, mid, counter.point_item)
        stock.receive(counter.db, counter.stock_staff, counter.soap, 3)
        ledger.adjust(counter.db, counter.admin, mid, 1, "测试")
    later = datetime(2025, 2, 3, 5, 5, 6, 789000)
    assert receipt.created_at == moment
    with counter.db.read() as s:
        stamps = lambda sql: [r[0] for r in s.execute(text(sql))]  # noqa: E731
        assert stamps("SELECT created_at FROM redemptions") == [moment.isoformat(" ")]
        points = stamps("SELECT created_at FROM points_journal ORDER BY seq")
        assert points[-3:] == [moment.isoformat(" "), later.isoformat(" "), later.isoformat(" ")]
        assert stamps("SELECT created_at FROM stock_journal ORDER BY seq")[-2:] == [
            moment.isoformat(" "), later.isoformat(" ")]
        audit = stamps("SELECT at FROM audit_log WHERE at < '2026-01-01'")
        # the award: recorded + approved (two rows), stock, adjustment; the checkout
        assert sorted(audit) == sorted([later.isoformat(" ")] * 4 + [moment.isoformat(" ")])


def test_the_system_clock_is_back_after_the_block():
    with clock.frozen(datetime(2000, 1, 1)):
        assert clock.now_utc() == datetime(2000, 1, 1)
    assert abs((clock.now_utc() - datetime.now(UTC).replace(tzinfo=None)).total_seconds()) < 5
    assert clock.now_utc().tzinfo is None


def test_dashboard_today_follows_the_clock(counter):
    from zoneinfo import ZoneInfo

    from counter_app.reports import dashboard

    mid = counter.member(points=30)
    shanghai = ZoneInfo("Asia/Shanghai")
    with clock.frozen(datetime(2025, 6, 30, 17)):  # 01:00 on 1 July in Shanghai
        redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 1)])
        figures = dashboard.load(counter.db, counter.info.id, tz=shanghai)
    assert figures.as_of == datetime(2025, 6, 30, 17)
    assert (figures.today.day.isoformat(), figures.today.redemptions) == ("2025-07-01", 1)
