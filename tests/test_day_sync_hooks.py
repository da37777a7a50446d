"""The hooks into the sync package (issue 8 builds it): a day close triggers
``counter_app.sync.run.sync_once`` and the selftest calls ``counter_app.sync.probe.probe``
when they exist and the counter joined a district; otherwise they say 'not configured'.
The sync package is played here by a small real package first on counter_app's path
(the contract the sync helper's modules are called with)."""

import sqlite3
import sys
import textwrap
import uuid
from datetime import UTC, datetime, timedelta

import pytest

import counter_app
from counter_app import clock, selftest
from counter_app.config import LocalSettings
from counter_app.day import day_close
from counter_app.district_identity import join_district

RUN = """
from counter_app.errors import CounterError
CALLS = []
def sync_once(db):
    CALLS.append(db.path)
    if MODE == "fail":
        raise CounterError("街道服务器 127.0.0.1 连不上")
    return "上传 3 条"
MODE = "ok"
"""
PROBE = """
from datetime import timedelta
from counter_app import clock
SKEW = timedelta(0)
def probe(db):
    return {"reachable": True, "credentials_ok": CREDENTIALS, "detail": "",
            "server_time": clock.now_utc() + SKEW}
CREDENTIALS = True
"""


@pytest.fixture
def sync_package(tmp_path, monkeypatch):
    root = tmp_path / "plugin" / "counter_app"
    (root / "sync").mkdir(parents=True)
    (root / "sync" / "__init__.py").write_text("")
    (root / "sync" / "run.py").write_text(textwrap.dedent(RUN))
    (root / "sync" / "probe.py").write_text(textwrap.dedent(PROBE))
    # First on the path, and whatever counter_app.sync was imported put aside: once the
    # real sync package is merged, these tests still drive this stand-in.
    monkeypatch.setattr(counter_app, "__path__", [str(root), *counter_app.__path__])
    monkeypatch.delattr(counter_app, "sync", raising=False)  # put back after the test
    saved = {m: sys.modules.pop(m) for m in list(sys.modules) if m.startswith("counter_app.sync")}
    yield
    for name in [m for m in sys.modules if m.startswith("counter_app.sync")]:
        del sys.modules[name]
    sys.modules.update(saved)


def _sync_result(counter):
    con = sqlite3.connect(counter.db.path)
    try:
        return con.execute("SELECT sync_result FROM day_closes").fetchone()[0]
    finally:
        con.close()


def test_without_a_district_or_a_sync_package_the_close_says_not_configured(counter):
    closed = day_close.close_day(counter.db, counter.admin)
    assert day_close.sync_after_close(counter.db, closed) == "未配置街道（单机柜台），未同步"
    join_district(counter.db, str(uuid.uuid4()))
    closed = day_close.close_day(counter.db, counter.admin, closed.report.day - timedelta(days=1))
    assert day_close.sync_after_close(counter.db, closed).startswith("未配置同步")


def test_closing_the_day_syncs_and_a_failed_sync_keeps_the_close(counter, sync_package):
    join_district(counter.db, str(uuid.uuid4()))
    closed = day_close.close_day(counter.db, counter.admin)
    assert day_close.sync_after_close(counter.db, closed) == "已同步：上传 3 条"
    from counter_app.sync import run

    assert run.CALLS == [counter.db.path] and _sync_result(counter) == "已同步：上传 3 条"
    run.MODE = "fail"
    outcome = day_close.sync_after_close(counter.db, closed)
    assert outcome == "同步未成功：街道服务器 127.0.0.1 连不上（日结已保存，稍后会再同步）"
    assert day_close.stored_report(counter.db, closed.report.day) == closed.report


def test_selftest_probes_the_district_and_its_clock(counter, sync_package):
    join_district(counter.db, str(uuid.uuid4()))
    report = selftest.run(counter.db.path, LocalSettings())
    checks = {c.name: c for c in report.checks}
    assert checks["街道服务器"].status == selftest.PASS
    assert checks["街道账号"].status == selftest.PASS and report.ok
    from counter_app.sync import probe

    probe.CREDENTIALS, probe.SKEW = False, timedelta(minutes=30)
    with clock.frozen(datetime.now(UTC)):
        report = selftest.run(counter.db.path, LocalSettings())
    checks = {c.name: c for c in report.checks}
    assert checks["街道账号"].status == selftest.FAIL
    assert checks["电脑时间"].status == selftest.FAIL and "相差 30 分钟" in checks["电脑时间"].detail
    assert not report.ok
