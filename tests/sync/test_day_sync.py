"""The day's hooks into the real sync: a day close triggers ``sync.run.sync_once`` and the
selftest calls ``sync.probe.probe``, against the real district server."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import timedelta

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
import pytest

from counter_app import clock, selftest
from counter_app.config import LocalSettings
from counter_app.day import day_close
from counter_app.district.urls import libpq_url
from counter_app.district_identity import join_district
from counter_app.sync import settings as sync_settings
from sync_helpers import configure, isolate_secrets, synced


@pytest.fixture(autouse=True)
def _secrets(monkeypatch, tmp_path):
    isolate_secrets(monkeypatch, tmp_path)


def _sync_result(counter) -> str:
    con = sqlite3.connect(counter.db.path)
    try:
        return con.execute("SELECT sync_result FROM day_closes ORDER BY id DESC").fetchone()[0]
    finally:
        con.close()


def test_a_counter_without_a_district_closes_without_syncing(counter):
    closed = day_close.close_day(counter.db, counter.admin)
    assert day_close.sync_after_close(counter.db, closed) == "未配置街道（单机柜台），未同步"
    join_district(counter.db, str(uuid.uuid4()))  # a district, but no address to reach it
    closed = day_close.close_day(counter.db, counter.admin, closed.report.day - timedelta(days=1))
    outcome = day_close.sync_after_close(counter.db, closed)
    assert outcome.startswith("同步未成功：本柜台还没有设置街道服务器"), outcome
    assert _sync_result(counter) == outcome


def test_closing_the_day_syncs_and_a_failed_sync_keeps_the_close(counter, world):
    configure(counter.db, world, "XF01")
    synced(counter.db, world)
    counter.member("孙八", points=20)
    closed = day_close.close_day(counter.db, counter.admin)
    outcome = day_close.sync_after_close(counter.db, closed)
    assert outcome.startswith("同步完成：上传积分记录 2 条"), outcome  # two awards of 10
    assert _sync_result(counter) == outcome
    with psycopg.connect(world.url) as conn:  # the award really reached the district
        assert conn.execute("SELECT count(*) FROM points_journal WHERE counter_id = 'XF01'"
                            ).fetchone()[0] > 0
    with counter.db.write() as s:  # the district moved away: the next sync fails
        sync_settings.put(s, sync_settings.URL, "postgresql://counter@127.0.0.1:1/nowhere")
    outcome = day_close.sync_after_close(counter.db, closed)
    assert outcome.startswith("同步未成功：") and outcome.endswith("（日结已保存，稍后会再同步）")
    assert day_close.stored_report(counter.db, closed.report.day) == closed.report


def test_selftest_probes_the_district_and_its_clock(counter, world):
    configure(counter.db, world, "XF01")
    synced(counter.db, world)
    report = selftest.run(counter.db.path, LocalSettings())
    checks = {c.name: c for c in report.checks}
    assert checks["街道服务器"].status == selftest.PASS, checks["街道服务器"].detail
    assert checks["街道账号"].status == selftest.PASS
    assert checks["电脑时间"].status == selftest.PASS and "与街道服务器一致" in checks["电脑时间"].detail
    # This PC's clock half an hour ahead of the district's.
    with clock.frozen(clock.now_utc() + timedelta(minutes=30)):
        report = selftest.run(counter.db.path, LocalSettings())
    checks = {c.name: c for c in report.checks}
    assert checks["电脑时间"].status == selftest.FAIL and "相差 30 分钟" in checks["电脑时间"].detail
    assert not report.ok


def test_selftest_names_a_district_that_refuses_the_counter(counter, world):
    configure(counter.db, world, "XF01")
    synced(counter.db, world)
    with counter.db.read() as s:  # logging in as a role the district has no counter for
        url = sync_settings.get(s, sync_settings.URL)
    opts = conninfo_to_dict(libpq_url(url))
    opts["user"] = "postgres"
    with counter.db.write() as s:
        sync_settings.put(s, sync_settings.URL, make_conninfo(**opts))
    report = selftest.run(counter.db.path, LocalSettings())
    checks = {c.name: c for c in report.checks}
    assert checks["街道服务器"].status == selftest.PASS
    assert checks["街道账号"].status == selftest.FAIL, checks["街道账号"].detail
    assert not report.ok
