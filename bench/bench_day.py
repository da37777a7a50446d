"""The counter's day at district scale (issue 11): a day close on a 100,000-member database
with a day of 2,000 redemptions (target <= 2 s), and an encrypted, verified backup of that
database (target <= 10 s). Usage:

    python bench/bench_day.py [--members N] [--redemptions N] [--db PATH]

Builds (or reuses, with --db) a demo database, adds the redemptions on one day (a frozen
clock, all in the same local day), then times ``day_close.compute`` (the figures and heads
alone, five runs: the close itself writes once and is idempotent after), ``close_day``
once, and ``backup_schedule.run_backup`` (online backup + integrity check, age encryption,
read back and compare, retention) into a temporary folder, three runs.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, time as dtime, timedelta
from pathlib import Path

from counter_app import backup_schedule, clock, ledger, redemption
from counter_app.day import day_close
from counter_app.db import open_database
from counter_app.demo import build_demo
from counter_app.redemption import CartLine

DAY = date(2026, 11, 20)


def _actor(db, role: str):
    from counter_app.day.actors import cli_actor
    from counter_app.db.models import Operator
    from sqlalchemy import select

    with db.read() as s:
        name = s.scalar(select(Operator.name).where(Operator.role == role).order_by(Operator.id))
    return cli_actor(db, name)


def add_day(db, n: int, seed: int = 11) -> None:
    from sqlalchemy import text

    rnd = random.Random(seed)
    admin, volunteer = _actor(db, "admin"), _actor(db, "volunteer")
    with db.read() as s:
        items = [r[0] for r in s.execute(text(
            "SELECT i.id FROM exchange_items i WHERE i.active AND i.limit_qty IS NULL "
            "AND i.min_age IS NULL AND i.points <= 20"))]
        members = [r[0] for r in s.execute(text(
            "SELECT id FROM members WHERE status = 'active' ORDER BY id LIMIT 4000"))]
    start = datetime.combine(DAY, dtime(8)).astimezone()
    with clock.frozen(start) as c:
        for mid in members[:n]:
            ledger.adjust(db, admin, mid, 500, "压测充值")
        for item in items:
            from counter_app import stock

            stock.receive(db, _actor(db, "stock"), item, 10 * n)
        c.set(datetime.combine(DAY, dtime(9)).astimezone())
        for i in range(n):
            c.advance(seconds=15)
            cart = [CartLine(rnd.choice(items), rnd.randint(1, 2))]
            redemption.checkout(db, volunteer, members[i % len(members)], cart)
            if i % 200 == 0 and i:
                print(f"  {i} redemptions", flush=True)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--members", type=int, default=100_000)
    p.add_argument("--redemptions", type=int, default=2000)
    p.add_argument("--db", type=Path)
    p.add_argument("--backup-only", action="store_true", help="skip the day close (a --db)")
    args = p.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench_day.db"
    if not path.exists():
        t = time.perf_counter()
        build_demo(path, members=args.members, seed=20261122, as_of=DAY - timedelta(days=1))
        print(f"demo build: {time.perf_counter() - t:.1f} s ({path})", flush=True)
        db = open_database(path)
        t = time.perf_counter()
        add_day(db, args.redemptions)
        print(f"{args.redemptions} redemptions on {DAY}: {time.perf_counter() - t:.1f} s")
    else:
        db = open_database(path)
    if not args.backup_only:
        bench_close(db)
    bench_backup(db, path)
    db.dispose()
    return 0


def bench_close(db) -> None:
    admin = _actor(db, "admin")
    end_of_day = datetime.combine(DAY, dtime(21)).astimezone()
    with clock.frozen(end_of_day):
        samples = []
        for _ in range(5):
            with db.read() as s:
                t = time.perf_counter()
                report = day_close.compute(s, admin.counter_id, DAY)
                samples.append(time.perf_counter() - t)
        t = time.perf_counter()
        closed = day_close.close_day(db, admin, DAY)
        close_s = time.perf_counter() - t
    print(f"day close figures ({report.redemptions} redemptions, {report.points_redeemed} "
          f"points): median {statistics.median(samples):.3f} s, max {max(samples):.3f} s")
    print(f"close_day (figures + write, new={closed.new}): {close_s:.3f} s  (target <= 2 s)")


def bench_backup(db, path: Path) -> None:
    """Wall and CPU time (all threads) of each run: the machine is shared, CPU is steadier."""
    import resource

    size = path.stat().st_size / 1024 ** 2
    folder = Path(tempfile.mkdtemp(prefix="bench-backups-"))
    walls, cpus = [], []
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        result = backup_schedule.run_backup(db, folder, "bench-passphrase-2026")
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
        print(f"  backup: {walls[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"encrypted verified backup of {size:.0f} MB -> {result.size / 1024 ** 2:.0f} MB: "
          f"median {statistics.median(walls):.2f} s wall ({statistics.median(cpus):.2f} s CPU), "
          f"max {max(walls):.2f} s; peak RSS {peak:.0f} MB  (target <= 10 s)")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
