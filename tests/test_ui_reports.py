"""The reports page (pytest-qt): the monthly notice written from the page with the
participation chart; a roster with bad rows lists every one and imports nothing; a good
one imports after the check, the progress bar moving."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest
from PySide6.QtTest import QAbstractItemModelTester
from sqlalchemy import func, select

from counter_app.db.models import Member
from counter_app.ui.common.context import UiContext
from counter_app.ui.reports.reports_page import ReportsPage

from documents_fixtures import nfkc, pdftotext
from reports_fixtures import award, compound
from ui_helpers import shown


@pytest.fixture
def page(qtbot, counter, tmp_path):
    p = shown(qtbot, ReportsPage(UiContext(counter.db, counter.info, counter.admin)))
    p.folder.setText(str(tmp_path / "out"))
    return p


def _members(counter) -> int:
    with counter.db.read() as s:
        return s.scalar(select(func.count()).select_from(Member))


def test_notice_from_the_page_with_the_compound_chart(qtbot, counter, page):
    homes = compound(counter, "阳光花园")
    award(counter, counter.member("张三", "13812345678", household_id=homes[0]), 30,
          datetime(2026, 11, 14, 3))
    page.month.setText("2026-11")
    with qtbot.waitSignal(page.done, timeout=20_000) as done:
        page.notice()
    path = done.args[0]
    assert path.name == "积分公示-2026-11.pdf" and nfkc("张三") in pdftotext(path)
    assert page.chart().labels() == ["阳光花园"]
    assert [s.values for s in page.chart().series()] == [(1,)]
    assert str(path) in page.message.text()


def test_a_bad_roster_lists_every_bad_row_and_imports_nothing(qtbot, counter, page, tmp_path):
    path = tmp_path / "r.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["姓名", "手机", "身份证号"], ["张三", "123", ""],
                                 ["李四", "", "110101199003074515"], ["王五", "", ""]])
    before = _members(counter)
    page.roster.setText(str(path))
    tester = QAbstractItemModelTester(page.problems)  # noqa: F841 (kept alive for the test)
    page.check_roster()
    qtbot.waitUntil(lambda: page.problems.rowCount() == 2, timeout=20_000)
    rows = [page.problems.data(page.problems.index(r, 0)) for r in range(2)]
    assert rows == ["2", "3"] and not page.import_button.isEnabled()
    assert "第 2 行" in page.message.text() and _members(counter) == before


def test_a_good_roster_imports_after_the_check(qtbot, counter, page, tmp_path):
    path = tmp_path / "r.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["姓名", "小区", "楼栋", "单元", "门牌"],
                                 *[[f"居民{i}", "新苑", "1栋", "1单元", str(100 + i)]
                                   for i in range(5)]])
    before = _members(counter)
    page.roster.setText(str(path))
    page.check_roster()
    qtbot.waitUntil(page.import_button.isEnabled, timeout=20_000)
    with qtbot.waitSignal(page.done, timeout=20_000):
        page.import_roster()
    assert _members(counter) == before + 5
    assert page.bar.maximum() == 5 and page.bar.value() == 5
    assert "已导入 5 名会员" in page.message.text()


def test_an_objection_recorded_and_upheld_on_the_page(qtbot, counter, page):
    from sqlalchemy import select as sel

    from counter_app import ledger
    from counter_app.db.earning_models import Award, AwardStatus

    mid = counter.member("张三", "13812345678")
    award(counter, mid, 10, datetime(2026, 11, 14, 3))
    with counter.db.read() as s:
        award_id = s.scalar(sel(Award.id).where(Award.member_id == mid))
    page.award.setText(str(award_id))
    page.objector.setText("居民甲")
    page.objection_reason.setText("那天他不在")
    with qtbot.waitSignal(page.done, timeout=20_000):
        page.record_objection()
    assert page.objections.rowCount() == 1
    page.objections_table.selectRow(0)
    page.decision_note.setText("经核实属实")
    with qtbot.waitSignal(page.done, timeout=20_000):
        page.decide_objection(True)
    with counter.db.read() as s:
        assert s.get(Award, award_id).status == AwardStatus.REVOKED
        assert ledger.balance_of(s, mid) == 0
    assert page.objections.data(page.objections.index(0, 5)) == "XF01"  # where it was raised
    assert "经核实属实" in page.objections.data(page.objections.index(0, 6))
