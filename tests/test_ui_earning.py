"""The earning pages (pytest-qt): an activity's participants scanned one after another ->
the weekly review approves them -> the balances move; a duplicate scan is refused; the
items page sets a dated value; the wishes page posts, claims and completes a wish."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtTest import QAbstractItemModelTester

from counter_app import ledger, members
from counter_app.db.models import PointItem, Role
from counter_app.earning import catalogue
from counter_app.operators import Actor
from counter_app.ui.common.context import UiContext
from counter_app.ui.earning.items_page import ItemsPage
from counter_app.ui.earning.record_page import RecordPage
from counter_app.ui.earning.review_page import ReviewPage
from counter_app.ui.earning.wishes_page import WishesPage
from ui_helpers import shown, wedge_scan


@pytest.fixture
def show(qtbot):
    return lambda cls, db, info, actor: shown(qtbot, cls(UiContext(db, info, actor)))


def card(counter, mid) -> str:
    with counter.db.read() as s:
        return members.get_member(s, mid).card_code


def balance(counter, mid) -> int:
    with counter.db.read() as s:
        return ledger.balance_of(s, mid)


def test_scanned_participants_are_reviewed_into_balances(qtbot, counter, show):
    grid = Actor(None, "网格员", Role.GRID_WORKER, counter.info.id)
    people = [counter.member(n) for n in ("甲一", "乙二", "丙三")]
    page = show(RecordPage, counter.db, counter.info, grid)
    page.activate()
    qtbot.waitUntil(lambda: page.item.count() == 2, timeout=10_000)
    page.item.setCurrentIndex(page.item.findData(counter.big_point_item))
    page.place.setText("幸福路")
    page.team.setText("红袖标")
    with qtbot.waitSignal(page.opened, timeout=10_000):
        page.open_button.click()
    for mid in people:  # one after another, as a wedge scanner types them
        with qtbot.waitSignal(page.scanned, timeout=10_000):
            wedge_scan(page.scan, card(counter, mid))
    with qtbot.waitSignal(page.refused, timeout=10_000) as refused:
        wedge_scan(page.scan, card(counter, people[0]))
    assert "甲一 已在本次活动名单上（第 1 位）" in refused.args[0]
    tester = QAbstractItemModelTester(page.model)  # noqa: F841  (kept alive for the test)
    assert [page.model.row_at(i).member_name for i in range(3)] == ["甲一", "乙二", "丙三"]
    assert "3" in page.state.text()
    assert [balance(counter, m) for m in people] == [0, 0, 0]  # pending

    review = show(ReviewPage, counter.db, counter.info, counter.reviewer)
    with qtbot.waitSignal(review.loaded, timeout=20_000) as loaded:
        review.activate()
    assert loaded.args[0] == 3
    assert review.model.data(review.model.index(0, 7)) == counter.info.id  # reviewed here
    sel = review.table.selectionModel()
    for row in (0, 2):
        sel.select(review.model.index(row, 0),
                   QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    with qtbot.waitSignal(review.decided, timeout=20_000) as decided:
        review.approve_selected()
    assert decided.args[0].points == 30
    assert [balance(counter, m) for m in people] == [15, 0, 15]
    review.table.selectRow(0)
    review.reason.setText("未到场")
    with qtbot.waitSignal(review.decided, timeout=20_000):
        review.reject_selected()
    assert review.model.rowCount() == 0 and balance(counter, people[1]) == 0
    assert review._charts[0].series()  # the category chart shows the approved points


def test_items_page_sets_a_dated_value(qtbot, counter, show):
    page = show(ItemsPage, counter.db, counter.info, counter.admin)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activate()
    assert not page.preset_a.isVisible()  # there are items already
    page.table.selectRow(0)
    page.points.setValue(12)
    page.note.setText("上调")
    with qtbot.waitSignal(page.value_set, timeout=10_000):
        page.set_value()
    assert page.model.row_at(0).points == 12
    assert [v.points for v in page.values._rows] == [12]


def test_wishes_page_posts_claims_and_completes(qtbot, counter, show):
    helper = counter.member("丁四")
    with counter.db.read() as s:
        category = s.get(PointItem, counter.point_item).category_id
    catalogue.add_item(counter.db, counter.admin, category, "完成微心愿", 20)
    page = show(WishesPage, counter.db, counter.info, counter.admin)
    page.what.setText("帮忙取快递")
    page.who.setText("王奶奶")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.post()
    page.table.selectRow(0)
    page.card.setText(card(counter, helper))
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.claim()
    assert page.model.row_at(0).claimant == "丁四"
    page.table.selectRow(0)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.complete()
    assert page.model.row_at(0).status_label == "已完成"
    assert "等待每周审核" in page.message.text() or "weekly review" in page.message.text()
    assert balance(counter, helper) == 0  # its award waits for the review


def test_grid_workers_see_recording_and_wishes_reviewers_the_review():
    from counter_app.ui.pages import visible_pages

    assert [s.key for s in visible_pages(Role.GRID_WORKER)] == ["earning_record",
                                                                 "earning_wishes"]
    assert "earning_review" in [s.key for s in visible_pages(Role.REVIEWER)]
    assert "earning_items" not in [s.key for s in visible_pages(Role.REVIEWER)]


def test_member_panel_announces_points_due_to_expire(qtbot, counter):
    from datetime import datetime

    from counter_app import member_details
    from counter_app.earning import expiry
    from counter_app.ui.counter.member_panel import MemberPanel
    from earning_helpers import credit

    mid = counter.member("褚老")
    from counter_app import clock

    with clock.frozen(datetime(2025, 6, 1, 4)):
        credit(counter.db, counter.reviewer, mid, counter.point_item)
    expiry.set_policy(counter.db, counter.admin, "next_year_end", notice_days=60)
    panel = shown(qtbot, MemberPanel(), 500, 600)
    panel.show_details(member_details.load(counter.db, mid, counter.info,
                                           now=datetime(2026, 12, 1, 4)))
    assert panel.expiry.isVisible() and "10 分积分将于 2026年12月31日 到期" in panel.expiry.text()
    panel.show_details(member_details.load(counter.db, mid, counter.info,
                                           now=datetime(2026, 6, 1, 4)))
    assert not panel.expiry.isVisible()  # months before the year end: nothing to say yet


def test_one_member_by_scan_with_a_chosen_value_for_a_ranged_item(qtbot, counter, show):
    from counter_app.earning import awards as award_rows

    with counter.db.read() as s:
        category = s.get(PointItem, counter.point_item).category_id
    gift = catalogue.add_item(counter.db, counter.admin, category, "爱心捐赠", 10,
                              effective_from=date(2020, 1, 1), min_points=5, max_points=30)
    mid = counter.member("戊五")
    page = show(RecordPage, counter.db, counter.info, counter.admin)
    page.activate()
    qtbot.waitUntil(lambda: page.item.count() == 3, timeout=10_000)
    page.item.setCurrentIndex(page.item.findData(counter.point_item))
    assert not page.points.isEnabled()  # a fixed value: the one in force
    page.item.setCurrentIndex(page.item.findData(gift))
    assert page.points.isEnabled()
    page.points.setValue(25)
    with qtbot.waitSignal(page.scanned, timeout=10_000) as scanned:
        wedge_scan(page.scan, card(counter, mid))
    with counter.db.read() as s:
        row = award_rows.get_award(s, scanned.args[0])
    assert (row.member_name, row.points, row.status) == ("戊五", 25, "pending")
    page.points.setValue(31)
    with qtbot.waitSignal(page.refused, timeout=10_000) as refused:
        wedge_scan(page.scan, card(counter, mid))
    assert "不能多于 30 分" in refused.args[0]


def test_the_expiry_rule_is_set_on_the_point_items_page(qtbot, counter, show):
    from counter_app.earning import expiry

    page = show(ItemsPage, counter.db, counter.info, counter.admin)
    panel = page.expiry
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        page.activate()
    assert panel.mode.currentData() == "none" and panel.days.value() == 60  # the defaults
    panel.mode.setCurrentIndex(panel.mode.findData("next_year_end"))
    panel.days.setValue(30)
    with qtbot.waitSignal(panel.saved, timeout=10_000):
        panel.save_button.click()
    with counter.db.read() as s:
        assert expiry.policy(s) == expiry.Policy("next_year_end", 30)
    assert "30" in panel.message.text()


def test_only_an_administrator_changes_the_expiry_rule(qtbot, counter, show):
    page = show(ItemsPage, counter.db, counter.info, counter.reviewer)
    assert not page.expiry.save_button.isEnabled() and not page.expiry.mode.isEnabled()


def test_an_award_left_to_any_counter_is_recorded_so_from_the_page(qtbot, counter, show):
    from counter_app.db.earning_models import Award

    grid = Actor(None, "网格员", Role.GRID_WORKER, counter.info.id)
    here, anywhere = counter.member("甲一"), counter.member("乙二")
    page = show(RecordPage, counter.db, counter.info, grid)
    page.activate()
    qtbot.waitUntil(lambda: page.item.count() == 2, timeout=10_000)
    # nothing chosen yet: a scan records nothing and asks for the item (trial)
    assert page.item.currentIndex() == -1
    wedge_scan(page.scan, card(counter, here))
    qtbot.waitUntil(lambda: page.message.text() == page.tr("Choose a point item first"),
                    timeout=3000)
    with counter.db.read() as s:
        assert s.query(Award).count() == 0
    page.item.setCurrentIndex(0)
    with qtbot.waitSignal(page.scanned, timeout=10_000) as first:
        wedge_scan(page.scan, card(counter, here))
    page.anywhere.setChecked(True)
    with qtbot.waitSignal(page.scanned, timeout=10_000) as second:
        wedge_scan(page.scan, card(counter, anywhere))
    with counter.db.read() as s:
        assert s.get(Award, first.args[0]).review_counter == counter.info.id  # reviewed here
        assert s.get(Award, second.args[0]).review_counter is None  # claimed by its reviewer
