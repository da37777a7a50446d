"""Parts of the counter's sync that need no district server: offline caps, the password's
home, status of a counter that never synced, the restore flag."""

from __future__ import annotations

import json
import os
import stat
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text

from counter_app import clock
from counter_app.district_identity import join_district
from counter_app.redemption import CartLine, checkout
from counter_app.sync import credentials, settings
from counter_app.sync.errors import CapExceeded, SyncOverdue
from counter_app.sync.status import status
from counter_app.sync.wire import iso


@pytest.fixture
def in_district(counter):
    join_district(counter.db, str(uuid.uuid4()))
    return counter


def _synced_days_ago(db, days: int) -> None:
    at = iso(clock.now_utc() - timedelta(days=days))
    with db.write() as s:
        s.execute(text("INSERT INTO sync_runs (started_at, finished_at, ok) VALUES (:t, :t, 1)"),
                  {"t": at})


def test_offline_caps_refuse_in_chinese_and_only_in_a_district(counter):
    mid = counter.member("李四", points=100)
    settings.set_caps(counter.db, per_redemption=20)
    checkout(counter.db, counter.volunteer, mid, [CartLine(counter.haircut, 3)])  # standalone
    join_district(counter.db, str(uuid.uuid4()))
    with pytest.raises(CapExceeded, match="每次兑换最多 20 分"):
        checkout(counter.db, counter.volunteer, mid, [CartLine(counter.haircut, 3)])
    checkout(counter.db, counter.volunteer, mid, [CartLine(counter.haircut, 2)])
    settings.set_caps(counter.db, per_redemption=0, per_member_day=40)
    with pytest.raises(CapExceeded, match="今天已兑换 50 分"):
        checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 1)])
    settings.set_caps(counter.db, per_member_day=0, unsynced_total=60)
    with pytest.raises(CapExceeded, match="还有 50 分的兑换没有同步"):
        checkout(counter.db, counter.volunteer, mid, [CartLine(counter.haircut, 2)])
    checkout(counter.db, counter.volunteer, mid, [CartLine(counter.haircut, 1)])


def test_after_days_without_sync_a_redemption_needs_an_administrator(in_district):
    counter = in_district
    mid = counter.member("王五", points=30)
    _synced_days_ago(counter.db, 8)
    with pytest.raises(SyncOverdue, match="已经 8 天没有和街道同步.*管理员"):
        checkout(counter.db, counter.volunteer, mid, [CartLine(counter.haircut, 1)])
    checkout(counter.db, counter.volunteer, mid, [CartLine(counter.haircut, 1)],
             approved_by=counter.admin)
    settings.set_caps(counter.db, days_without_sync=10)
    checkout(counter.db, counter.volunteer, mid, [CartLine(counter.haircut, 1)])


def test_password_is_kept_in_a_0600_file_without_keyring_never_in_settings(
        counter, monkeypatch, tmp_path):
    cfg = tmp_path / "cfg" / "settings.json"
    monkeypatch.setenv("COUNTER_APP_SETTINGS", str(cfg))
    monkeypatch.setenv("COUNTER_APP_NO_KEYRING", "1")
    where = credentials.store("XF01@db:5432/hp", "s3cret-pw")
    path = credentials.secret_dir() / "district-XF01_db_5432_hp.secret"
    assert where == str(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert credentials.load("XF01@db:5432/hp") == "s3cret-pw"
    settings.configure(counter.db, "postgresql://hp_xf01@db/hp", "verify-full")
    with counter.db.read() as s:
        values = " ".join(v for (v,) in s.execute(text("SELECT value FROM settings")))
    assert "s3cret-pw" not in values
    assert not cfg.exists() or "s3cret-pw" not in cfg.read_text()
    credentials.forget("XF01@db:5432/hp")
    assert credentials.load("XF01@db:5432/hp") is None


def test_status_of_a_counter_that_never_synced(counter):
    counter.member("赵六", points=20)
    st = status(counter.db)
    assert not st.configured and st.last_success is None
    assert st.waiting_entries["points"] == 2
    lines = "\n".join(st.lines())
    assert "未设置" in lines and "从未" in lines and "积分记录 2 条" in lines


def test_sync_without_a_district_fails_with_exit_1_in_chinese(counter, run_cli):
    counter.db.dispose()
    r = run_cli("--db", counter.db.path, "sync")
    assert r.rc == 1, r
    assert "同步失败" in r.stdout and "还没有设置街道服务器" in r.stdout
    assert "Traceback" not in r.stderr
    r = run_cli("--db", counter.db.path, "sync", "--status")
    assert r.rc == 0 and "上次成功同步：从未" in r.stdout
    r = run_cli("--db", counter.db.path, "sync", "--cap-per-redemption", "50")
    assert r.rc == 0 and "每次兑换积分上限 50" in r.stdout
