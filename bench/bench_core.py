"""Core benchmark at district scale: builds (or reuses) a 100k-member demo database and
prints a table of figures. Usage: python bench/bench_core.py [--members N] [--db PATH]

Measures: demo build time, card-code lookup, as-you-type search (initials, name, phone
tail), a 5-line redemption commit with synchronous=FULL, and the same rows written with
raw sqlite3 (insert-and-commit) on the same disk, as a ratio.
"""

from __future__ import annotations

import argparse
import platform
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from counter_app import members, redemption
from counter_app.db import open_database
from counter_app.db.models import Role
from counter_app.demo import build_demo
from counter_app.ids import uuid7
from counter_app.operators import Actor


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def raw_commit_baseline(path: Path, n: int) -> list[float]:
    """The same rows as a 5-line checkout, written with plain sqlite3 and committed."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.executescript("""
        CREATE TABLE IF NOT EXISTS pj (id TEXT PRIMARY KEY, counter TEXT, seq INT, member INT,
            delta INT, kind TEXT, ref TEXT, op INT, at TEXT, prev TEXT, hash TEXT);
        CREATE TABLE IF NOT EXISTS sj (id TEXT PRIMARY KEY, counter TEXT, seq INT, item INT,
            delta INT, kind TEXT, ref TEXT, op INT, at TEXT, prev TEXT, hash TEXT);
        CREATE TABLE IF NOT EXISTS rd (id TEXT PRIMARY KEY, receipt TEXT, member INT, total INT);
        CREATE TABLE IF NOT EXISTS rl (rid TEXT, line INT, item INT, qty INT, pts INT);
        CREATE TABLE IF NOT EXISTS acct (member INT PRIMARY KEY, balance INT);
        CREATE TABLE IF NOT EXISTS lvl (item INT PRIMARY KEY, qty INT);
        INSERT OR IGNORE INTO acct VALUES (1, 100000000);
        INSERT OR IGNORE INTO lvl VALUES (1, 1000000), (2, 1000000), (3, 1000000),
            (4, 1000000), (5, 1000000);
    """)
    seq = [0]

    def one():
        seq[0] += 1
        h = "0" * 64
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO pj VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (uuid7(), "B", seq[0], 1, -50, "redemption", "R", 2, "2026", h, h))
        con.execute("UPDATE acct SET balance = balance - 50 WHERE member = 1")
        rid = uuid7()
        con.execute("INSERT INTO rd VALUES (?,?,?,?)", (rid, f"R{seq[0]}", 1, 50))
        for i in range(1, 6):
            con.execute("INSERT INTO sj VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (uuid7(), "B", seq[0] * 10 + i, i, -1, "redemption", "R", 2, "2026", h, h))
            con.execute("UPDATE lvl SET qty = qty - 1 WHERE item = ?", (i,))
            con.execute("INSERT INTO rl VALUES (?,?,?,?,?)", (rid, i, i, 1, 10))
        con.execute("COMMIT")

    samples = timed(one, n)
    con.close()
    return samples


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--db", type=Path, help="reuse this demo database (built if missing)")
    ap.add_argument("--repeats", type=int, default=400)
    args = ap.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="counter-bench-"))
    path = args.db or workdir / "bench.db"
    rows = []
    if not path.exists():
        t = time.perf_counter()
        summary = build_demo(path, members=args.members, seed=1)
        rows.append(("demo build", f"{args.members} members, {summary.points_entries} points "
                     f"entries", f"{time.perf_counter() - t:.1f} s", "<= 60 s"))
    db = open_database(path)
    rng = random.Random(5)
    con = sqlite3.connect(path)
    n_members = con.execute("SELECT COUNT(*) FROM members").fetchone()[0]
    sample = con.execute("SELECT card_code, name, phone_tail, name_initials FROM members "
                         "WHERE kind='person' ORDER BY random() LIMIT 2000").fetchall()
    goods = [r[0] for r in con.execute(
        "SELECT id FROM exchange_items WHERE kind='goods' AND limit_qty IS NULL LIMIT 5")]
    con.close()

    with db.read() as s:
        card = timed(lambda: members.lookup_card(s, rng.choice(sample)[0]), args.repeats)
        initials = timed(lambda: members.search(s, rng.choice(sample)[3][:2]), args.repeats)
        name = timed(lambda: members.search(s, rng.choice(sample)[1][:2]), args.repeats)
        tail = timed(lambda: members.search(s, rng.choice([r for r in sample if r[2]])[2]),
                     args.repeats)
    rows.append(("card-code lookup", "p50 / p95", f"{pct(card, 50):.2f} / {pct(card, 95):.2f} ms",
                 "p95 <= 2 ms"))
    for label, samples in (("search: initials (2 letters)", initials),
                           ("search: name (2 hanzi)", name), ("search: phone tail", tail)):
        rows.append((label, "p50 / p95", f"{pct(samples, 50):.2f} / {pct(samples, 95):.2f} ms",
                     "p95 <= 20 ms"))

    # Fund one member generously so every checkout succeeds.
    admin = Actor(1, "管理员", Role.ADMIN, "XF01")
    from counter_app import ledger, stock
    with db.read() as s:
        mid = members.search(s, sample[0][0])[0].id
    ledger.adjust(db, admin, mid, 10_000_000, "bench")
    for item in goods:
        stock.receive(db, Actor(4, "刘库管", Role.STOCK, "XF01"), item, 1_000_000)
    volunteer = Actor(2, "王阿姨", Role.VOLUNTEER, "XF01")
    cart = [redemption.CartLine(i, 1) for i in goods]
    commits = timed(lambda: redemption.checkout(db, volunteer, mid, cart), args.repeats // 2)
    raw = raw_commit_baseline(workdir / "raw.db", args.repeats // 2)
    ratio = pct(commits, 95) / pct(raw, 95)
    rows.append(("5-line redemption commit", "p50 / p95",
                 f"{pct(commits, 50):.2f} / {pct(commits, 95):.2f} ms", "p95 <= 15 ms"))
    rows.append(("raw sqlite3, same rows", "p50 / p95",
                 f"{pct(raw, 50):.2f} / {pct(raw, 95):.2f} ms", ""))
    rows.append(("commit ratio (p95)", "app / raw", f"{ratio:.2f}x", "<= 3x"))
    db.dispose()

    print(f"machine: {platform.node()} {platform.machine()} {platform.processor() or ''} "
          f"python {platform.python_version()} sqlite {sqlite3.sqlite_version}; "
          f"members in db: {n_members}")
    print(f"| {'measure':<30} | {'what':<34} | {'result':<22} | {'target':<12} |")
    print(f"|{'-' * 32}|{'-' * 36}|{'-' * 24}|{'-' * 14}|")
    for r in rows:
        print(f"| {r[0]:<30} | {r[1]:<34} | {r[2]:<22} | {r[3]:<12} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
