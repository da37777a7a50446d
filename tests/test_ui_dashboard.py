"""The dashboard page (看板), its low-stock table model and its bar chart (pytest-qt)."""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, QLocale, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QAbstractItemModelTester, QTest

from counter_app import redemption
from counter_app.demo import build_demo
from counter_app.errors import NotFound
from counter_app.redemption import CartLine
from counter_app.reports.dashboard import LowStockRow
from counter_app.ui.common.context import UiContext
from counter_app.ui.dashboard.low_stock_model import (
    COL_CATEGORY, COL_NAME, COL_QTY, OUT_OF_STOCK, LowStockModel,
)
from counter_app.ui.dashboard.dashboard_page import DashboardPage
from counter_app.ui.dashboard.weekly_chart import BarChart, Series, nice_ticks


@pytest.fixture
def make_page(qtbot):
    def make(db, info, **kw):
        page = DashboardPage(UiContext(db=db, counter=info), **kw)
        qtbot.addWidget(page)
        page.resize(1200, 760)
        page.show()
        qtbot.waitExposed(page)
        return page
    return make


def activate(qtbot, page):
    with qtbot.waitSignal(page.loaded, timeout=10_000) as blocker:
        page.activate()
    return blocker.args[0]


def checkout(counter, mid, item, qty=1):
    return redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(item, qty)])


def short_date(d: date) -> str:
    return QLocale().toString(QDate(d.year, d.month, d.day), "M/d")


# --- the page ----------------------------------------------------------------------------


def test_page_shows_today_low_stock_and_the_weekly_chart(qtbot, counter, make_page):
    mid = counter.member("李四", points=50)
    checkout(counter, mid, counter.soap, 2)  # 10 points
    wrong = checkout(counter, mid, counter.rice)  # voided: not counted, rice back to 10
    redemption.void(counter.db, counter.admin, wrong.receipt_no, "拿错了")
    page = make_page(counter.db, counter.info)
    assert page.redemptions_tile.value.text() == "–"  # nothing until loaded

    board = activate(qtbot, page)
    assert page.redemptions_tile.value.text() == "1"
    assert page.redeemed_tile.value.text() == "10"
    assert page.awarded_tile.value.text() == "50"
    assert page.low_tile.value.text() == "1"
    assert page.title.text().startswith("Today, ")
    assert page.message.isHidden()

    model = page.low_model
    assert model.rowCount() == 1
    assert model.data(model.index(0, COL_NAME)) == "大米 5kg"
    assert model.data(model.index(0, COL_QTY)) == "10 袋"
    assert model.data(model.index(0, COL_NAME), Qt.ItemDataRole.UserRole) == counter.rice
    assert not page.low_view.isHidden() and page.low_empty.isHidden()

    today = date.today()
    monday = today - timedelta(days=today.weekday())
    mondays = [monday - timedelta(weeks=n) for n in range(11, -1, -1)]
    assert page.chart.labels() == [short_date(d) for d in mondays]
    earned, redeemed = page.chart.series()
    assert (earned.name, redeemed.name) == ("Earned", "Redeemed")
    assert earned.values == (0,) * 11 + (50,)
    assert redeemed.values == (0,) * 11 + (10,)
    assert page.chart.ticks()[-1] >= 50
    assert "50" in page.week_summary.text() and "10" in page.week_summary.text()
    assert page.chart.tooltip_at(page.chart.bar_rects()[0][11].center()).splitlines() == [
        f"Week {short_date(monday)} – {short_date(monday + timedelta(days=6))}",
        "Earned: 50 points", "Redeemed: 10 points"]
    assert board.today.points_awarded == 50 and not page.is_loading()


def test_nothing_low_and_a_quiet_week(qtbot, counter, make_page):
    page = make_page(counter.db, counter.info, threshold=5, weeks=4)
    board = activate(qtbot, page)
    assert board.threshold == 5 and len(board.weeks) == 4
    assert [t.value.text() for t in (page.redemptions_tile, page.redeemed_tile,
                                     page.awarded_tile, page.low_tile)] == ["0"] * 4
    assert page.low_view.isHidden() and not page.low_empty.isHidden()
    assert page.low_title.text() == "Goods with 5 or fewer left"
    assert page.chart.is_empty() and len(page.chart.labels()) == 4
    assert not page.grab().isNull()  # paints the "no points" notice without complaint


def test_refresh_button_f5_and_requests_while_loading(qtbot, counter, make_page):
    page = make_page(counter.db, counter.info)
    activate(qtbot, page)
    mid = counter.member(points=30)
    checkout(counter, mid, counter.rice)

    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh_button.click()
    assert page.redeemed_tile.value.text() == "20"

    page.activateWindow()
    page.setFocus()
    qtbot.waitUntil(page.hasFocus)
    checkout(counter, mid, counter.soap)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        QTest.keyClick(page, Qt.Key.Key_F5)
    assert page.redeemed_tile.value.text() == "25"

    loads = []
    page.loaded.connect(loads.append)
    page.refresh()
    assert page.is_loading() and not page.refresh_button.isEnabled()
    page.refresh()
    page.refresh()  # three presses while loading: one more load after the first, not three
    qtbot.waitUntil(lambda: len(loads) == 2 and not page.is_loading(), timeout=10_000)
    qtbot.wait(100)
    assert len(loads) == 2 and page.refresh_button.isEnabled()


def test_auto_refresh_only_while_on_screen(qtbot, counter, make_page):
    page = make_page(counter.db, counter.info)
    activate(qtbot, page)
    page.hide()
    page._tick()
    assert not page.is_loading()
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page._tick()


def test_a_failed_load_says_so_and_keeps_the_last_figures(qtbot, counter, make_page,
                                                          monkeypatch):
    mid = counter.member(points=20)
    page = make_page(counter.db, counter.info)
    activate(qtbot, page)

    def broken(*_args, **_kw):
        raise NotFound(what="数据库")

    monkeypatch.setattr("counter_app.reports.dashboard.load", broken)
    with qtbot.waitSignal(page.load_failed, timeout=10_000) as failed:
        page.refresh()
    assert "数据库" in failed.args[0] and "F5" in failed.args[0]
    assert not page.message.isHidden() and page.message.text() == failed.args[0]
    assert page.awarded_tile.value.text() == "20" and page.refresh_button.isEnabled()

    monkeypatch.setattr("counter_app.reports.dashboard.load", lambda *a, **k: 1 / 0)
    with qtbot.waitSignal(page.load_failed, timeout=10_000) as failed:
        page.refresh()
    assert "log file" in failed.args[0]

    monkeypatch.undo()
    checkout(counter, mid, counter.soap)
    activate(qtbot, page)
    assert page.message.isHidden() and page.redeemed_tile.value.text() == "5"


def test_page_renders_a_demo_history(qtbot, tmp_path, make_page):
    from counter_app.counters import local_counter
    from counter_app.db import open_database

    build_demo(tmp_path / "demo.db", members=200, seed=5, as_of=date.today())
    db = open_database(tmp_path / "demo.db")
    try:
        page = make_page(db, local_counter(db))
        board = activate(qtbot, page)
        earned, redeemed = page.chart.series()
        assert earned.values == tuple(w.earned for w in board.weeks)
        assert redeemed.values == tuple(w.redeemed for w in board.weeks)
        assert sum(earned.values) > 0 and sum(redeemed.values) > 0
        assert page.low_model.rowCount() == len(board.low_stock)
        image = page.grab()
        assert image.save(str(tmp_path / "dashboard.png"))
        assert (tmp_path / "dashboard.png").stat().st_size > 10_000
    finally:
        db.dispose()


# --- the low-stock model ------------------------------------------------------------------------


def test_low_stock_model_under_the_model_tester(qtbot):
    model = LowStockModel()
    # kept alive for the whole test; a broken model fails it through a Qt warning
    tester = QAbstractItemModelTester(  # noqa: F841
        model, QAbstractItemModelTester.FailureReportingMode.Warning)
    assert model.rowCount() == 0 and model.columnCount() == 3
    model.set_rows([LowStockRow(7, "酱油", "粮油", "瓶", 0),
                    LowStockRow(3, "洗衣液 2kg", "日用品", "瓶", 4)])
    assert model.rowCount() == 2
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)]
    assert headers == ["Item", "Group", "In stock"]
    first, second = (lambda c: model.index(0, c)), (lambda c: model.index(1, c))
    assert (model.data(first(COL_NAME)), model.data(first(COL_CATEGORY))) == ("酱油", "粮油")
    assert model.data(first(COL_QTY)) == "None left"
    assert model.data(second(COL_QTY)) == "4 瓶"
    assert QColor(model.data(first(COL_NAME), Qt.ItemDataRole.ForegroundRole)) == OUT_OF_STOCK
    assert model.data(first(COL_QTY), Qt.ItemDataRole.FontRole).bold()
    assert model.data(second(COL_NAME), Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(second(COL_QTY), Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.data(second(COL_NAME), Qt.ItemDataRole.UserRole) == 3
    assert model.row_at(1).name == "洗衣液 2kg" and model.row_at(2) is None
    model.set_rows([])
    assert model.rowCount() == 0


# --- the chart ----------------------------------------------------------------------------------


@pytest.mark.parametrize("top, ticks", [
    (0, [0, 1]), (1, [0, 1]), (3, [0, 1, 2, 3]), (7, [0, 2, 4, 6, 8]),
    (10, [0, 2, 4, 6, 8, 10]), (4000, [0, 1000, 2000, 3000, 4000]),
    (3940, [0, 1000, 2000, 3000, 4000]), (194_315, [0, 50_000, 100_000, 150_000, 200_000]),
])
def test_grid_lines_fall_on_round_numbers(top, ticks):
    assert nice_ticks(top) == ticks


def shown_chart(qtbot, width, height) -> BarChart:
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.resize(width, height)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


def test_bars_are_as_tall_as_their_values(qtbot):
    chart = shown_chart(qtbot, 600, 400)
    a = Series("Earned", QColor("blue"), (100, 50, 0))
    b = Series("Redeemed", QColor("orange"), (25, 0, 75))
    chart.set_data(["1/5", "1/12", "1/19"], [a, b], ["w1", "w2", "w3"], highlight=2)
    assert chart.series() == [a, b] and chart.labels() == ["1/5", "1/12", "1/19"]
    assert chart.ticks() == [0, 20, 40, 60, 80, 100]
    # what pyqtgraph draws: one bar item per series, its heights, colours, positions
    earned, redeemed = chart.bar_items()
    assert list(earned.opts["height"]) == [100, 50, 0]
    assert list(redeemed.opts["height"]) == [25, 0, 75]
    assert QColor(earned.opts["brush"]) == QColor("blue")
    assert QColor(redeemed.opts["brush"]) == QColor("orange")
    assert all(e < r for e, r in zip(earned.opts["x"], redeemed.opts["x"]))  # grouped
    assert list(chart._shade.opts["x"]) == [2]  # this week shaded
    left_ticks = chart.getPlotItem().getAxis("left")._tickLevels[0]
    assert [v for v, _ in left_ticks] == [0, 20, 40, 60, 80, 100]
    bottom = chart.getPlotItem().getAxis("bottom")._tickLevels[0]
    assert [label for _, label in bottom] == ["1/5", "1/12", "1/19"]
    assert [item.text for _sample, item in chart._legend.items] == ["Earned", "Redeemed"]
    (a1, a2, a3), (b1, b2, b3) = chart.bar_rects()
    assert a1.height() == pytest.approx(2 * a2.height())
    assert a1.height() == pytest.approx(4 * b1.height())
    assert b3.height() == pytest.approx(3 * b1.height())
    assert a3.height() == 0 and b2.height() == 0
    assert a1.bottom() == pytest.approx(b3.bottom())  # one baseline
    assert a1.right() <= b1.left() + 0.01 and b1.right() < a2.left()  # grouped, in order
    assert chart.tooltip_at(a2.center()) == "w2"
    assert chart.tooltip_at(QPointF(b3.center().x(), b3.bottom() + 5)) == "w3"  # the label
    assert chart.tooltip_at(QPointF(1, 1)) == ""
    assert not chart.is_empty()
    assert "1/12: Earned 50, Redeemed 0" in chart.accessibleDescription()
    assert not chart.grab().isNull()


def test_chart_without_details_and_with_wrong_lengths(qtbot):
    chart = shown_chart(qtbot, 500, 300)
    chart.set_data(["A", "B"], [Series("S", QColor("red"), (1200, 0))])
    first = chart.bar_rects()[0][0]
    assert chart.tooltip_at(first.center()) == f"A\nS: {QLocale().toString(1200)}"
    with pytest.raises(ValueError):
        chart.set_data(["A"], [Series("S", QColor("red"), (1, 2))])
    chart.set_data([], [])
    assert chart.is_empty() and chart.bar_rects() == [] and chart.bar_items() == []
    assert chart.category_at(QPointF(50, 50)) is None
    assert not chart.grab().isNull()


@pytest.mark.parametrize("height", [140, 220, 400])
def test_the_legend_never_covers_a_bar(qtbot, height):
    """Trial: on the weekly review at 768 px the legend sat on the tallest bars."""
    chart = shown_chart(qtbot, 420, height)
    a = Series("获得积分", QColor("blue"), (100, 96, 99, 100))
    b = Series("兑出积分", QColor("orange"), (98, 100, 97, 95))
    chart.set_data(["1/5", "1/12", "1/19", "1/26"], [a, b], ["w1", "w2", "w3", "w4"])
    qtbot.wait(50)
    legend = chart.legend_rect()
    assert legend.height() > 0
    for bars in chart.bar_rects():
        for bar in bars:
            assert not legend.intersects(bar), (legend, bar)
