"""Geography on the members page (pytest-qt): a compound, building, unit and household
added in the 住址 dialog, the open member registered there (the details show the
address); an empty or duplicate name is refused in red and nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from counter_app.db.models import Compound
from counter_app.ui.common.ops import wait_idle
from counter_app.ui.members.geography_dialog import GeographyDialog

from test_ui_members import TIMEOUT, make_page, open_member, wait_dialog

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("This plugin does not support")]


@pytest.fixture
def page(qtbot, counter):
    counter.member("张三", "13812345678")
    yield make_page(qtbot, counter)
    wait_idle()


def _add(qtbot, dialog, level, name):
    lst = dialog.lists[level]
    before = lst.count()
    dialog.names[level].setText(name)
    with qtbot.waitSignal(dialog.changed, timeout=TIMEOUT):
        dialog.add(level)
    qtbot.waitUntil(lambda: lst.count() == before + 1 and lst.currentItem() is not None,
                    timeout=TIMEOUT)


def test_add_places_and_register_the_member_there(qtbot, counter, page):
    open_member(qtbot, page, "张三")
    page.geography_button.click()
    dialog = wait_dialog(qtbot, page, GeographyDialog)
    for level, name in (("compound", "新苑"), ("building", "3栋"), ("unit", "2单元"),
                        ("household", "501")):
        _add(qtbot, dialog, level, name)
    assert dialog.move_button.isVisible()
    with qtbot.waitSignal(page.member_loaded, timeout=TIMEOUT):
        dialog.move_member()
    qtbot.waitUntil(lambda: "新苑" in page.fields["address"].text(), timeout=TIMEOUT)
    assert "3栋" in page.fields["address"].text() and "501" in page.fields["address"].text()


def test_empty_and_duplicate_names_are_refused(qtbot, counter, page):
    page.geography_button.click()
    dialog = wait_dialog(qtbot, page, GeographyDialog)
    _add(qtbot, dialog, "compound", "新苑")
    dialog.names["compound"].setText("新苑")
    dialog.add("compound")
    qtbot.waitUntil(lambda: "已经有了" in dialog.error.text(), timeout=TIMEOUT)
    dialog.names["compound"].setText("  ")
    dialog.add("compound")
    qtbot.waitUntil(lambda: "不能为空" in dialog.error.text(), timeout=TIMEOUT)
    with counter.db.read() as s:
        assert s.scalar(select(func.count()).where(Compound.name == "新苑")) == 1
    dialog.accept()
    qtbot.waitUntil(lambda: page.dialog is None, timeout=TIMEOUT)
