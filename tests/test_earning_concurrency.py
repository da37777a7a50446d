"""Two reviewers approving the same awards at the same time, from two processes: each
award reaches the ledger exactly once (BEGIN IMMEDIATE + the conditional status UPDATE)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from counter_app import check, ledger
from counter_app.db.models import Role
from counter_app.earning import awards
from counter_app.operators import Actor
from conftest import subprocess_env

WORKER = Path(__file__).with_name("review_worker.py")
N = 40


def test_two_reviewer_processes_approve_each_award_exactly_once(counter, tmp_path):
    grid = Actor(None, "网格员", Role.GRID_WORKER, counter.info.id)
    mids = [counter.member(f"会员{i}") for i in range(4)]
    ids = [awards.record(counter.db, grid, mids[i % 4], counter.point_item).id for i in range(N)]
    order = ",".join(map(str, ids))
    backwards = ",".join(map(str, reversed(ids)))
    procs = [subprocess.Popen([sys.executable, str(WORKER), str(counter.db.path), str(op), name,
                               award_order],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, encoding="utf-8",
                              env=subprocess_env(tmp_path))
             for op, name, award_order in ((counter.reviewer.operator_id, "陈书记", order),
                                           (counter.admin.operator_id, "管理员", order),
                                           (counter.admin.operator_id, "管理员", backwards))]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        for p in procs:  # go, all at once
            p.stdin.write("go\n")
            p.stdin.flush()
        results = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    counts = []
    for out, err in results:
        assert out.startswith("approved"), err
        _, approved, _, refused = out.split()
        counts.append((int(approved), int(refused)))
    assert sum(a for a, _ in counts) == N  # every award approved by exactly one process
    assert all(a + r == N for a, r in counts)
    con = sqlite3.connect(counter.db.path)
    try:
        assert con.execute("SELECT count(*) FROM points_journal WHERE kind = 'award'"
                           ).fetchone() == (N,)
        assert con.execute("SELECT count(DISTINCT ledger_entry_id) FROM awards "
                           "WHERE status = 'approved'").fetchone() == (N,)
    finally:
        con.close()
    with counter.db.read() as s:
        assert [ledger.balance_of(s, m) for m in mids] == [N // 4 * 10] * 4
    assert check.verify(counter.db.path).ok
