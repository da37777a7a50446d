"""Earning: recording and approving awards. Usage: python bench/bench_earning.py [--n 1000]

A fresh counter (the demo builder's community, 2,000 members), N pending awards recorded
by a grid worker (one transaction each, as scans arrive), then one reviewer approving all
N in one batch (one transaction: N ledger entries, N status changes, N audit rows, N
outbox rows). Target: approving 1,000 pending awards <= 5 s. Also: the weekly queue read.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from counter_app import check  # noqa: E402
from counter_app.db import open_database  # noqa: E402
from counter_app.db.models import Role  # noqa: E402
from counter_app.demo import build_demo  # noqa: E402
from counter_app.earning import awards, catalogue, review  # noqa: E402
from counter_app.operators import Actor  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--members", type=int, default=2000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        build_demo(path, members=args.members)
        db = open_database(path)
        grid = Actor(None, "网格员", Role.GRID_WORKER, "XF01")
        reviewer = Actor(5, "陈书记", Role.REVIEWER, "XF01")
        with db.read() as s:
            items = [r.id for r in catalogue.items(s) if not r.min_points and not r.eligible]
            before = review.pending_count(s)
        t = time.perf_counter()
        ids = [awards.record(db, grid, 1 + (i * 7) % args.members, items[i % len(items)]).id
               for i in range(args.n)]
        record_s = time.perf_counter() - t
        t = time.perf_counter()
        with db.read() as s:
            groups = review.queue(s)
        queue_s = time.perf_counter() - t
        t = time.perf_counter()
        decision = review.approve(db, reviewer, ids)
        approve_s = time.perf_counter() - t
        assert len(decision.ledger_entry_ids) == args.n
        ok = check.verify(path).ok
        db.dispose()
    print(f"record {args.n} awards one by one: {record_s:.2f} s "
          f"({record_s / args.n * 1000:.1f} ms each)")
    print(f"weekly queue ({before + args.n} pending, {len(groups)} groups): {queue_s:.2f} s")
    print(f"approve {args.n} pending awards in one batch: {approve_s:.2f} s "
          f"(target <= 5 s){'' if approve_s <= 5 else '  OVER TARGET'}")
    print(f"ledger check after: {'ok' if ok else 'FAILED'}")


if __name__ == "__main__":
    main()
