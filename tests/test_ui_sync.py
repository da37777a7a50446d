"""The sync page, its runner and the status bar indicator against the real district server
(pytest-qt): the counter keeps redeeming while a sync runs on its own thread and connection."""

from __future__ import annotations

import sys
import threading
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtTest import QTest
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parent / "sync"))

from counter_app import clock, ledger, sync_schedule  # noqa: E402
from counter_app.sync.run import sync_once  # noqa: E402
from counter_app.ui.common.context import UiContext  # noqa: E402
from counter_app.ui.sync.runner import SyncRunner  # noqa: E402
from counter_app.ui.sync.sync_page import SyncPage, indicator_text  # noqa: E402
from sync_helpers import assert_invariants, configure, isolate_secrets, settle  # noqa: E402
from ui_helpers import counter_session, login, wedge_scan  # noqa: E402


@pytest.fixture(autouse=True)
def _secrets(monkeypatch, tmp_path):
    isolate_secrets(monkeypatch, tmp_path)


@pytest.fixture
def session(qtbot, counter, tmp_path):
    yield from counter_session(qtbot, counter, tmp_path)


def gated(world):
    """A sync_once that stops in the middle of its push (after the first acknowledged
    batch of points entries) until ``gate`` is set; ``inside`` is set when it got there."""
    inside, gate = threading.Event(), threading.Event()

    def run(path, progress):
        def hook(stage, done, total):
            progress(stage, done, total)
            if stage == "push_points" and not inside.is_set():
                inside.set()
                assert gate.wait(60), "the test never let the sync go on"
        settle(world)
        return sync_once(path, progress=hook)

    return run, inside, gate


def card_of(counter, mid):
    from counter_app.members import get_member

    with counter.db.read() as s:
        return get_member(s, mid).card_code


def test_checkout_commits_while_the_start_up_sync_is_in_progress(
        qtbot, session, counter, world, monkeypatch):
    from counter_app.ui.counter.counter_page import CounterPage

    # No modal question on any counter page this test reaches: in a long run the F9 went
    # to a page other than window.pages[0] once, and its real question box waited forever.
    monkeypatch.setattr(CounterPage, "confirm", lambda self, question: True)
    mid = counter.member("李四", points=40)
    configure(counter.db, world, "XF01")
    runner = SyncRunner.for_db(counter.db)
    runner.sync_fn, inside, gate = gated(world)
    try:
        window = login(qtbot, session, counter.admin.operator_id, "1234")
        qtbot.waitUntil(inside.is_set, timeout=60_000)  # the start-up sync, mid-push
        assert runner.running
        qtbot.waitUntil(lambda: "syncing" in window.sync_state.text()
                        or "同步中" in window.sync_state.text(), timeout=5000)
        page = window.pages[0]  # the counter page: a volunteer's checkout meanwhile
        qtbot.waitUntil(lambda: counter.soap in page.tiles.buttons, timeout=5000)
        with qtbot.waitSignal(page.member_shown, timeout=5000):
            wedge_scan(page.input, card_of(counter, mid))
        with qtbot.waitSignal(page.cart.changed, timeout=5000):
            page.tiles.buttons[counter.soap].click()
        with qtbot.waitSignal(page.checked_out, timeout=10_000) as done:
            QTest.keyClick(page.input, Qt.Key.Key_F9)
        assert done.args[0].balance_after == 35
        assert runner.running and not gate.is_set()  # committed while the sync waited
        with counter.db.read() as s:
            assert ledger.balance_of(s, mid) == 35
    finally:
        gate.set()
    qtbot.waitUntil(lambda: not runner.running, timeout=60_000)
    assert runner.last_report.ok, runner.last_report.error

    sync_page = window.page("sync")
    window.show_page(window.page_keys.index("sync"))
    runner.sync_fn = lambda path, progress: (settle(world), sync_once(path, progress=progress))[1]
    with qtbot.waitSignal(runner.status_loaded, timeout=60_000):
        QTest.keyClick(sync_page, Qt.Key.Key_F5)  # 立即同步
    qtbot.waitUntil(lambda: not runner.running and sync_page.button.isEnabled(), timeout=60_000)
    assert runner.last_report.ok, runner.last_report.error
    qtbot.waitUntil(lambda: runner.status.waiting_entries == {"points": 0, "stock": 0},
                    timeout=10_000)
    assert sync_page.values["last_success"].text() not in ("–", "从未", "never")
    assert sync_page.values["waiting"].text().startswith("0")
    assert not sync_page.error.isVisible()
    assert assert_invariants(world, counter.db) is None


def test_failure_is_shown_in_plain_chinese_and_entries_wait(qtbot, counter):
    from counter_app.sync import settings

    mid = counter.member("王五", points=20)
    settings.configure(counter.db, "postgresql://nobody@127.0.0.1:1/none")  # no password kept
    runner = SyncRunner(counter.db)
    page = SyncPage(UiContext(db=counter.db, counter=counter.info), runner=runner)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    with qtbot.waitSignal(runner.status_loaded, timeout=30_000):
        page.button.click()
    qtbot.waitUntil(lambda: page.button.isEnabled(), timeout=30_000)
    assert not runner.last_report.ok
    assert "密码" in page.error.text()  # NoPassword, in the words of the sync package
    assert page.values["waiting"].text().startswith("2")  # two awards wait
    text_, problem = indicator_text(runner.status, False)
    assert problem and "2" in text_
    assert mid
    runner.shutdown()


def test_nightly_timer_is_computed_from_the_one_clock(qtbot, counter):
    shanghai = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 3, 4, 17, 0)  # 01:00 in Shanghai
    assert sync_schedule.next_nightly(time(2, 30), now, shanghai) == datetime(2026, 3, 4, 18, 30)
    assert sync_schedule.next_nightly(time(0, 30), now, shanghai) == datetime(2026, 3, 5, 16, 30)
    sync_schedule.set_nightly_time(counter.db, "03:15")
    runner = SyncRunner(counter.db)
    with qtbot.waitSignal(runner.status_loaded, timeout=10_000):
        runner.refresh()
    assert runner.nightly_at == time(3, 15)
    with clock.frozen(datetime.now(UTC).replace(tzinfo=None)):
        target = sync_schedule.next_nightly(time(3, 15))
        ms = runner.arm_nightly()
        assert runner.nightly_target == target
        expected = (target - clock.now_utc()).total_seconds() * 1000
        assert ms == max(1000, min(6 * 3600 * 1000, int(expected)))
    assert runner.nightly.isActive()
    runner.shutdown()
    with pytest.raises(Exception, match="时:分"):
        sync_schedule.set_nightly_time(counter.db, "25:99")


def test_admin_sets_the_district_in_the_settings_dialog(qtbot, counter):
    from PySide6.QtCore import QTime

    from counter_app.sync import credentials
    from counter_app.sync.connection import account
    from counter_app.ui.shell.settings_dialog import SettingsDialog
    from counter_app.ui.sync import district_settings

    ctx = UiContext(db=counter.db, counter=counter.info, actor=counter.admin)
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loaded and dialog.district.loaded, timeout=20_000)
    assert dialog.district.counter.text() == "XF01"
    dialog.district.url.setText("postgresql://hpq_xf01@district.example/hpq")
    dialog.district.sslmode.setCurrentIndex(dialog.district.sslmode.findData("verify-full"))
    dialog.district.password.setText("s3cret")
    dialog.district.nightly.setTime(QTime(3, 45))
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.save()
    kept = district_settings.load(counter.db)
    assert (kept.url, kept.sslmode, kept.nightly) == (
        "postgresql://hpq_xf01@district.example/hpq", "verify-full", time(3, 45))
    url = kept.url
    assert credentials.load(account(url, "XF01")) == "s3cret"
    with counter.db.read() as s:  # never in the database
        from sqlalchemy import text

        assert "s3cret" not in str(s.execute(text("SELECT * FROM settings")).all())

    again = SettingsDialog(ctx)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.loaded and again.district.loaded, timeout=20_000)
    again.district.url.setText("http://wrong")
    again.save()
    qtbot.waitUntil(lambda: "postgresql://" in again.message.text(), timeout=20_000)
    assert district_settings.load(counter.db).url == url  # refused, nothing changed


def test_volunteer_gets_no_district_settings(qtbot, counter):
    from counter_app.ui.shell.settings_dialog import SettingsDialog

    dialog = SettingsDialog(UiContext(db=counter.db, counter=counter.info,
                                      actor=counter.volunteer))
    qtbot.addWidget(dialog)
    assert dialog.district is None


def test_server_errors_are_put_in_plain_words_with_the_detail_kept(qapp):
    from counter_app.ui.sync.sync_page import plain_error

    raw = ('同步在限定时间内没有完成：connection failed: connection to server at "127.0.0.1", '
           'port 5432 failed: FATAL:  role "hpq_xf01" does not exist')
    plain, detail = plain_error(raw)
    assert "password" in plain or "密码" in plain
    assert detail == raw  # nothing hidden: the technical line stays beneath
    plain, detail = plain_error("同步未完成：Connection refused")
    assert ("reach" in plain or "连不上" in plain) and detail
    chinese = "找不到柜台 XF01 的街道数据库密码"
    assert plain_error(chinese) == (chinese, "")  # already plain: shown as it is
