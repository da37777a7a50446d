"""The page registry: one list of pages, filtered by what the operator may do."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton, QWidget

from counter_app.db.models import Role
from counter_app.ui.pages import PAGE_KEYS, PAGES, RESERVED_KEYS, shortcuts_for, visible_pages
from ui_helpers import counter_session, login


def test_page_keys_never_take_the_counter_pages_own_keys():
    assert not RESERVED_KEYS & set(PAGE_KEYS)
    assert len(set(PAGE_KEYS)) == len(PAGE_KEYS) >= 12


def test_keys_are_unique_and_stable():
    keys = [spec.key for spec in PAGES]
    assert len(keys) == len(set(keys))
    assert {"counter", "members", "dashboard"} <= set(keys)


def test_a_volunteer_sees_only_the_counter():
    assert [s.key for s in visible_pages(Role.VOLUNTEER)] == ["counter"]


def test_an_administrator_sees_every_page():
    assert [s.key for s in visible_pages(Role.ADMIN)] == [s.key for s in PAGES]


def test_stock_staff_do_not_see_the_counter_or_members():
    keys = [s.key for s in visible_pages(Role.STOCK)]
    assert "counter" not in keys and "members" not in keys and "dashboard" in keys


def test_the_first_visible_page_is_always_f1():
    for role in Role:
        specs = visible_pages(role)
        assert shortcuts_for(specs)[:1] == (["F1"] if specs else [])


@pytest.fixture
def session(qtbot, counter, tmp_path):
    yield from counter_session(qtbot, counter, tmp_path)


def _nav_texts(window):
    return [b.text() for b in window.findChildren(QPushButton) if b.objectName().startswith("nav_")]


def test_window_shows_a_volunteer_only_their_pages_and_rebuilds_for_an_admin(
        session, counter, qtbot):
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    assert window.page_keys == ["counter"]
    assert window.page("members") is None
    assert len(_nav_texts(window)) == 1
    assert window.findChild(QWidget, "page_column") is None  # one page: in the top bar
    session._logout()
    window = login(qtbot, session, counter.admin.operator_id, "1234")
    assert window.page_keys == [s.key for s in PAGES]  # every page (sync included)
    column = window.findChild(QWidget, "page_column")  # many pages: a column on the left
    assert column is not None
    assert len([b for b in column.findChildren(QPushButton)
                if b.objectName().startswith("nav_")]) == len(PAGES)
    assert window.page_keys[:3] == ["counter", "members", "dashboard"]
    assert window.page("members") is window.pages[1]


def test_an_administrators_pages_are_built_when_first_needed(session, counter, qtbot):
    """A log-in waits for the counter page only; each other page is built when shown."""
    window = login(qtbot, session, counter.admin.operator_id, "1234")
    assert window.pages.built() == [window.pages[0]]  # the counter page, nothing else
    assert window.stack.currentWidget() is window.pages[0]
    members_key = window.page_keys.index("members")
    window.page_buttons.button(members_key).click()  # as a click or F2 does
    members = window.stack.currentWidget()
    assert type(members).__name__ == "MembersPage"
    assert window.pages.built() == [window.pages[0], members]
    assert window.pages[members_key] is members  # built once, the same page again
    window.show_page(0)
    sync = window.page("sync")  # asked for: built, and in its place in the stack
    assert window.stack.indexOf(sync) == window.page_keys.index("sync")
    assert len(window.pages.built()) == 3
