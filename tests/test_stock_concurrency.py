"""Property: under interleaved redemptions, receipts, write-offs, counts and reversals from
two processes, stock never goes negative and every level equals its journal sum."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from sqlalchemy import text

from counter_app import check
from conftest import TESTS, subprocess_env

_N = itertools.count()
OPS = st.lists(st.tuples(st.sampled_from(["receive", "redeem", "writeoff", "count", "reverse"]),
                         st.integers(1, 6)), min_size=8, max_size=20)


@pytest.mark.slow
@settings(max_examples=3, deadline=None, database=None, phases=[Phase.generate], suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=OPS, second=OPS)
def test_two_processes_never_drive_stock_negative_and_levels_equal_journal_sums(
        counter, tmp_path, first, second):
    # the fixture's file lives on through the examples: new members each time
    members = [counter.member(name=f"{n}{next(_N)}", points=300) for n in ("甲", "乙")]
    items = (counter.rice, counter.soap)

    def plan(ops, member):
        return json.dumps([(op, items[q % 2], q, member) for op, q in ops])

    procs = [subprocess.Popen([sys.executable, str(TESTS / "stock_worker.py"), str(counter.db.path),
                               plan(ops, m)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, env=subprocess_env(tmp_path))
             for ops, m in ((first, members[0]), (second, members[1]))]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready"
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        outs = [p.stdout.readline().strip() for p in procs]
    finally:
        for p in procs:
            p.stdin.close()
            p.wait(timeout=120)
    assert all(o.startswith("done ") for o in outs), outs
    with counter.db.read() as s:
        levels = dict(s.execute(text("SELECT item_id, qty FROM stock_levels")).all())
        sums = dict(s.execute(text("SELECT item_id, SUM(delta) FROM stock_journal "
                                   "GROUP BY item_id")).all())
    assert levels == sums
    assert min(levels.values()) >= 0
    report = check.verify(counter.db)
    assert not report.faults, report.faults
    assert report.receipts > 0 or not any(op == "redeem" for op, _ in first + second)
