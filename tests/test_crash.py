"""Crash safety: SIGKILL a redeeming process at random moments, then check the ledger."""

import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from counter_app import ledger, stock
from counter_app.db import open_database
from counter_app.demo import build_demo
from counter_app.operators import Actor
from counter_app.db.models import Role

KILLS = 50
WORKER = Path(__file__).with_name("crash_worker.py")


def _read_available(proc, lines: list[str], buf: bytearray, until: float) -> None:
    fd = proc.stdout.fileno()
    while time.monotonic() < until:
        ready, _, _ = select.select([fd], [], [], max(0.0, until - time.monotonic()))
        if not ready:
            return
        chunk = os.read(fd, 4096)
        if not chunk:
            return
        buf.extend(chunk)
        while b"\n" in buf:
            line, _, rest = bytes(buf).partition(b"\n")
            buf[:] = rest
            lines.append(line.decode())


@pytest.mark.slow  # ~50 worker start-ups; CI runs it, `./run test -m "not slow"` skips it
def test_sigkill_during_redemptions_loses_nothing_committed(tmp_path):
    path = tmp_path / "crash.db"
    build_demo(path, members=40, seed=11, as_of=date(2026, 11, 20))
    db = open_database(path)
    admin = Actor(1, "管理员", Role.ADMIN, "XF01")
    con = sqlite3.connect(path)
    soap = con.execute("SELECT id FROM exchange_items WHERE name = '香皂'").fetchone()[0]
    member_ids = [r[0] for r in con.execute(
        "SELECT id FROM members WHERE status = 'active' ORDER BY id LIMIT 10")]
    con.close()
    for mid in member_ids:
        ledger.adjust(db, admin, mid, 1_000_000, "压力测试充值")
    stock.receive(db, Actor(4, "刘库管", Role.STOCK, "XF01"), soap, 1_000_000)
    db.dispose()

    rng = random.Random(2026)
    reported: list[str] = []
    for _ in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, str(WORKER), str(path), str(soap), ",".join(map(str, member_ids))],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        lines: list[str] = []
        buf = bytearray()
        deadline = time.monotonic() + 30
        while "ready" not in lines and time.monotonic() < deadline:
            _read_available(proc, lines, buf, time.monotonic() + 0.05)
            assert proc.poll() is None, proc.stderr.read().decode()
        # Wait for its first commit (a loaded machine may take a while), then kill it at a
        # random moment among the commits that follow.
        while not any(line.startswith("XF01-") for line in lines):
            assert time.monotonic() < deadline, "worker committed nothing in 30 s"
            _read_available(proc, lines, buf, time.monotonic() + 0.05)
            assert proc.poll() is None, proc.stderr.read().decode()
        _read_available(proc, lines, buf, time.monotonic() + rng.uniform(0.0, 0.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _read_available(proc, lines, buf, time.monotonic() + 0.2)  # drain what was written
        proc.stdout.close()
        proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL
        reported += [line for line in lines if line.startswith("XF01-")]

    assert len(reported) >= KILLS, "the worker should have committed redemptions"
    check = subprocess.run([sys.executable, "-m", "counter_app", "--db", str(path), "check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    con = sqlite3.connect(path)
    receipts = Counter(r for (r,) in con.execute("SELECT receipt_no FROM redemptions"))
    entries = Counter(r for (r,) in con.execute(
        "SELECT ref FROM points_journal WHERE kind = 'redemption'"))
    con.close()
    for receipt_no in reported:
        assert receipts[receipt_no] == 1 and entries[receipt_no] == 1, receipt_no
    assert len(set(reported)) == len(reported)
