"""Faults during a sync, each followed by the invariant check: connections cut mid-batch by
a loopback proxy, replies held back past the client's timeout, pg_terminate_backend,
SIGKILL of the sync process at random points, two processes syncing one counter."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from conftest import subprocess_env
from counter_app.district.roles import counter_role
from counter_app.sync import credentials, settings
from counter_app.sync.connection import account, split_password
from counter_app.sync.run import sync_once
from earning_helpers import credit
from sync_helpers import assert_invariants, configure, isolate_secrets, settle, synced
from tcp_proxy import Proxy


@pytest.fixture(autouse=True)
def _secrets(monkeypatch, tmp_path):
    isolate_secrets(monkeypatch, tmp_path)


def _activity(counter, mid: int, n: int) -> None:
    for _ in range(n):
        credit(counter.db, counter.reviewer, mid, counter.point_item)


def _through(counter, world, proxy: Proxy) -> None:
    """Point the counter's district URL at the proxy."""
    url, password = split_password(world.creds["XF01"].conninfo)
    opts = conninfo_to_dict(url)
    opts.update(host="127.0.0.1", hostaddr="127.0.0.1", port=str(proxy.port))
    url = make_conninfo(**opts)
    settings.configure(counter.db, url)
    credentials.store(account(url, "XF01"), password)


def _port(world) -> int:
    return int(conninfo_to_dict(world.creds["XF01"].conninfo).get("port") or 5432)


def test_connections_cut_mid_batch_lose_and_double_nothing(counter, world):
    mid = counter.member("李四")
    _activity(counter, mid, 60)
    proxy = Proxy(_port(world), cut_after=(40, 4000), cut_chance=0.4, seed=3)
    try:
        _through(counter, world, proxy)
        settle(world)
        report = sync_once(counter.db, batch=7, deadline=120)
        assert report.ok, report.error
        assert proxy.cuts > 0
    finally:
        proxy.close()
    configure(counter.db, world, "XF01")
    synced(counter.db, world)
    assert_invariants(world, counter.db)


def test_replies_held_past_the_client_timeout_are_resent_harmlessly(counter, world):
    mid = counter.member("王五")
    _activity(counter, mid, 30)
    proxy = Proxy(_port(world), delay=1.5, delay_chance=0.25, seed=5)
    try:
        _through(counter, world, proxy)
        settle(world)
        report = sync_once(counter.db, batch=6, deadline=120, call_timeout=0.6)
        assert report.ok, report.error
        assert proxy.delays > 0
    finally:
        proxy.close()
    configure(counter.db, world, "XF01")
    synced(counter.db, world)
    assert_invariants(world, counter.db)


def test_pg_terminate_backend_mid_transaction_is_retried(counter, world):
    mid = counter.member("赵六")
    _activity(counter, mid, 80)
    configure(counter.db, world, "XF01")
    role = counter_role(world.db.name, "XF01")
    stop, kills = threading.Event(), []

    def killer():  # a dozen terminations at random moments, then the server is left alone
        rng = random.Random(4)
        with psycopg.connect(world.url, autocommit=True) as conn:
            while not stop.is_set() and sum(kills) < 12:
                n = conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                 "WHERE usename = %s AND state = 'active'", (role,)).fetchone()[0]
                if n:
                    kills.append(n)
                time.sleep(rng.uniform(0.005, 0.05))

    t = threading.Thread(target=killer, daemon=True)
    t.start()
    try:
        settle(world)
        report = sync_once(counter.db, batch=5, deadline=120)
    finally:
        stop.set()
        t.join()
    assert report.ok, report.error
    assert kills
    synced(counter.db, world)
    assert_invariants(world, counter.db)


def _cli_sync(counter, tmp_path, *extra) -> subprocess.Popen:
    env = subprocess_env(tmp_path, {"COUNTER_APP_SETTINGS": os.environ["COUNTER_APP_SETTINGS"],
                                    "COUNTER_APP_NO_KEYRING": "1"})
    return subprocess.Popen([sys.executable, "-m", "counter_app", "--db", str(counter.db.path),
                             "sync", *extra], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")


def test_two_processes_syncing_one_counter_lose_and_double_nothing(counter, world, tmp_path):
    mid = counter.member("孙八")
    configure(counter.db, world, "XF01")
    for _ in range(3):
        _activity(counter, mid, 15)
        settle(world)
        procs = [_cli_sync(counter, tmp_path, "--batch", "4") for _ in range(2)]
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert "Traceback" not in err, err
        synced(counter.db, world)
        assert_invariants(world, counter.db)


def _unfinished_runs(db) -> int:
    from sqlalchemy import text

    with db.read() as s:
        return s.execute(text("SELECT count(*) FROM sync_runs WHERE finished_at IS NULL")).scalar()


def _last_run_s(db) -> float:
    from sqlalchemy import text

    with db.read() as s:
        r = s.execute(text("SELECT started_at, finished_at FROM sync_runs "
                           "WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1")).first()
    if r is None:
        return 0.3
    from datetime import datetime
    return (datetime.fromisoformat(r.finished_at) - datetime.fromisoformat(r.started_at)) \
        .total_seconds()


def _kill_trials(counter, world, tmp_path, trials: int, seed: int) -> int:
    """Returns how many kills landed inside a run (its sync_runs row never finished)."""
    rng = random.Random(seed)
    mid = counter.member("周九")
    configure(counter.db, world, "XF01")
    for _ in range(trials):
        _activity(counter, mid, rng.randint(1, 8))
        settle(world)
        before = _unfinished_runs(counter.db)
        p = _cli_sync(counter, tmp_path, "--batch", "2")
        # Kill at a random point of the run itself (its sync_runs row is open), not of the
        # process start, whose length varies with the machine's load.
        deadline = time.monotonic() + 20
        while (_unfinished_runs(counter.db) == before and p.poll() is None
               and time.monotonic() < deadline):
            time.sleep(0.01)
        # within the length of the last completed run, so that most kills land inside one
        # however fast the sync has become
        time.sleep(rng.uniform(0.0, min(0.3, _last_run_s(counter.db))))
        p.send_signal(signal.SIGKILL)
        p.communicate(timeout=30)
        synced(counter.db, world)  # the next sync completes what the killed one left
        assert_invariants(world, counter.db)
    return _unfinished_runs(counter.db)


def test_sigkill_of_the_sync_process_at_random_points_few(counter, world, tmp_path):
    _kill_trials(counter, world, tmp_path, trials=3, seed=1)


@pytest.mark.slow
def test_sigkill_of_the_sync_process_at_random_points(counter, world, tmp_path):
    inside = _kill_trials(counter, world, tmp_path, trials=50, seed=2)
    assert inside >= 10, f"only {inside} of 50 kills landed during a sync run"
