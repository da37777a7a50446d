"""Checkout commit p95 with and without the outbox (issue 8: at most 1 ms above).

Usage: python bench/bench_outbox.py [--members N] [--repeats N]

Builds one demo database and copies it: in "before" the outbox triggers of migration 0003
are dropped, in "after" they stay. Both are measured in the same run, alternating blocks of
checkouts between the two files so that the load of a shared machine falls on both alike.
Also measured: a member registration (a register change, which does write outbox rows).
"""

from __future__ import annotations

import argparse
import importlib
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from counter_app import ledger, members, redemption, stock
from counter_app.db import open_database
from counter_app.db.models import Role
from counter_app.demo import build_demo
from counter_app.operators import Actor

M0003 = importlib.import_module("counter_app.db.migrations.versions.0003_district_identity")
BLOCK = 20


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def drop_outbox_triggers(path: Path) -> None:
    con = sqlite3.connect(path, isolation_level=None)
    for table in M0003.REGISTERS:
        for suffix in ("outbox_insert", "outbox_update", "outbox_delete"):
            con.execute(f"DROP TRIGGER {table}_{suffix}")
    con.close()


class Side:
    def __init__(self, path: Path):
        self.db = open_database(path)
        con = sqlite3.connect(path)
        goods = [r[0] for r in con.execute(
            "SELECT id FROM exchange_items WHERE kind='goods' AND limit_qty IS NULL LIMIT 5")]
        self.mid = con.execute("SELECT id FROM members WHERE kind='person' LIMIT 1").fetchone()[0]
        con.close()
        ledger.adjust(self.db, Actor(1, "管理员", Role.ADMIN, "XF01"), self.mid, 10_000_000, "bench")
        for item in goods:
            stock.receive(self.db, Actor(4, "刘库管", Role.STOCK, "XF01"), item, 1_000_000)
        self.volunteer = Actor(2, "王阿姨", Role.VOLUNTEER, "XF01")
        self.admin = Actor(1, "管理员", Role.ADMIN, "XF01")
        self.cart = [redemption.CartLine(i, 1) for i in goods]
        self.checkouts: list[float] = []
        self.registrations: list[float] = []

    def checkout(self) -> None:
        t = time.perf_counter()
        redemption.checkout(self.db, self.volunteer, self.mid, self.cart)
        self.checkouts.append((time.perf_counter() - t) * 1000)

    def register(self, n: int) -> None:
        t = time.perf_counter()
        members.register(self.db, self.admin, name=f"测试{n}", category="resident",
                         community_id=1)
        self.registrations.append((time.perf_counter() - t) * 1000)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=400, help="checkouts per side")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="counter-bench-outbox-"))
    try:
        after_path, before_path = work / "after.db", work / "before.db"
        build_demo(after_path, members=args.members, seed=1)
        shutil.copyfile(after_path, before_path)
        drop_outbox_triggers(before_path)
        before, after = Side(before_path), Side(after_path)
        for _ in range(2):  # warm both (caches, statement compilation)
            before.checkout(), after.checkout()
        before.checkouts.clear(), after.checkouts.clear()
        n = 0
        while len(after.checkouts) < args.repeats:
            for side in (before, after) if n % 2 == 0 else (after, before):
                for _ in range(BLOCK):
                    side.checkout()
                side.register(n)
            n += 1
        print(f"machine: {platform.node()} {platform.machine()} python "
              f"{platform.python_version()} sqlite {sqlite3.sqlite_version}; "
              f"{args.members} members, {len(after.checkouts)} checkouts per side, "
              f"alternating blocks of {BLOCK}")
        print("| measure | without outbox p50 / p95 | with outbox p50 / p95 | p95 difference |")
        print("|---|---|---|---|")
        for label, b, a in (("5-line checkout commit", before.checkouts, after.checkouts),
                            ("member registration", before.registrations,
                             after.registrations)):
            print(f"| {label} | {pct(b, 50):.2f} / {pct(b, 95):.2f} ms | "
                  f"{pct(a, 50):.2f} / {pct(a, 95):.2f} ms | "
                  f"{pct(a, 95) - pct(b, 95):+.2f} ms |")
        diff = pct(after.checkouts, 95) - pct(before.checkouts, 95)
        print(f"checkout p95 with the outbox {'within' if diff <= 1.0 else 'ABOVE'} "
              f"the 1 ms budget ({diff:+.2f} ms)")
        before.db.dispose(), after.db.dispose()
        return 0 if diff <= 1.0 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
