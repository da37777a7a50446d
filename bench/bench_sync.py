"""Counter-side sync benchmark: the real client path (sync_once on counter SQLite files)
against a real district PostgreSQL server, in one run.

Usage: python bench/bench_sync.py [--url postgresql://postgres@127.0.0.1:5432]
           [--entries 100000] [--members 100000] [--counters 50] [--per-counter 300]
           [--skip-big] [--skip-many] [--profile] [--outbox]

Creates scratch databases on the server (dropped at the end) and measures:
1. push: a demo counter (build_demo, about 5.6 points entries a member, sized for
   --entries) configured for the district; one sync_once. The points-push stage (from the
   end of the register push to the last acknowledged batch) is timed from the progress
   callback, and a raw COPY of the same rows (as the push sends them) into a table shaped
   like points_journal on the same server, in the same run, gives the ratio.
2. pull: the district is brought to --members members (push_registers of the rest), then
   a second counter joins: its sync's pull stage, rows and time.
3. incremental: sync_once of the first counter again, nothing new.
4. many: a second district with one community; --counters counters made by join, each
   given a day's --per-counter chained points entries (ledger.append), then all of them
   sync_once at the same moment (threads, a barrier): wall time, errors, and the
   serialization failures / deadlocks the client retried.
--profile prints the server-side statement times of the push (pg_stat_statements is not
assumed: the top of cProfile of the client and the time inside push_entries calls).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql

from counter_app.district import init_district
from counter_app.district.roles import add_community, add_counter

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from bench_district import card_changes, copy_like_journal, member_change, settle  # noqa: E402


def scratch(admin: str, prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
            sql.Identifier(name)))
    return name


def drop(admin: str, name: str) -> None:
    with psycopg.connect(admin + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))
        for (role,) in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s "
                                    "ORDER BY rolname DESC", (name + "\\_%",)).fetchall():
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def configure(db, creds) -> None:
    from counter_app.sync import credentials, settings
    from counter_app.sync.connection import account, split_password

    clean, password = split_password(creds.conninfo)
    settings.configure(db, clean)
    credentials.store(account(clean, creds.counter_id), password)


class Stages:
    """progress() timestamps: the time each stage ended (its last call)."""

    def __init__(self):
        self.t0, self.cpu0 = time.perf_counter(), time.process_time()
        self.calls: list[tuple[str, float, int, float]] = []

    def __call__(self, stage, done, _total):
        self.calls.append((stage, time.perf_counter(), done or 0, time.process_time()))

    def cpu(self, stage: str) -> float:
        """This process's CPU seconds over the same span as span()."""
        idx = [i for i, c in enumerate(self.calls) if c[0] == stage]
        if not idx:
            return 0.0
        before = self.calls[idx[0] - 1][3] if idx[0] > 0 else self.cpu0
        return self.calls[idx[-1]][3] - before

    def span(self, stage: str) -> tuple[float, int]:
        """Seconds from the previous stage's last call to this stage's last call."""
        idx = [i for i, c in enumerate(self.calls) if c[0] == stage]
        if not idx:
            return 0.0, 0
        first, last = idx[0], idx[-1]
        before = self.calls[first - 1][1] if first > 0 else self.t0
        return self.calls[last][1] - before, self.calls[last][2]


def copy_ratio_rows(db, counter_id: str, url: str) -> tuple[float, int]:
    """A raw COPY of the points entries as the push sends them (wire.entries_after)."""
    from counter_app.sync.wire import entries_after

    with db.read() as s:
        rows = entries_after(s, "points", counter_id, 0, 10**9)
    return copy_like_journal(url, rows), len(rows)


def bench_big(admin: str, args, tmp: Path) -> None:
    from counter_app.db import open_database
    from counter_app.demo import build_demo
    from counter_app.sync.join import join
    from counter_app.sync.run import sync_once

    name = scratch(admin, "sync_bench")
    url = f"{admin}/{name}"
    try:
        init_district(url)
        community = add_community(url, district="和平区", street="和平街道", code="XF",
                                  name="幸福社区")
        c1 = add_counter(url, "XF", "XF01", "一号柜台")
        c2 = add_counter(url, "XF", "XF02", "二号柜台")
        members = max(200, int(args.entries / 5.6) + 1)
        t = time.perf_counter()
        demo = build_demo(tmp / "xf01.db", members=members, counter_id="XF01", seed=11)
        print(f"  demo counter: {members} members, {demo.points_entries} points and "
              f"{demo.stock_entries} stock entries (built in {time.perf_counter() - t:.0f} s)")
        db = open_database(tmp / "xf01.db")
        configure(db, c1)
        stages = Stages()
        if args.profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.enable()
        report = sync_once(db, progress=stages, deadline=3600)
        if args.profile:
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(18)
        assert report.ok, report.error
        reg_s, regs = stages.span("push_registers")
        pts_s, pts = stages.span("push_points")
        stk_s, stk = stages.span("push_stock")
        copy_s, copied = copy_ratio_rows(db, "XF01", url)
        print(f"  first sync of the counter: {report.seconds:.1f} s in all")
        print(f"    push_registers {regs} changes: {reg_s:.1f} s")
        print(f"    push points {pts} entries: {pts_s:.1f} s, client CPU "
              f"{stages.cpu('push_points'):.2f} s "
              f"({pts / pts_s:.0f}/s; per 100,000: {pts_s * 100_000 / pts:.1f} s)")
        print(f"    push stock {stk} entries: {stk_s:.1f} s")
        rct_s, rct = stages.span("push_receipts")
        print(f"    push receipts {rct} receipts and voids: {rct_s:.1f} s")
        print(f"    raw COPY of the same {copied} points rows: {copy_s:.1f} s; "
              f"push/COPY ratio {pts_s / copy_s:.1f}x")

        extra = max(0, args.members - members)
        if extra:
            from counter_app.district.client import DistrictClient

            with DistrictClient(c1.conninfo, deadline=600) as cl:
                changes = [member_change(community, i) for i in range(extra)]
                cards = card_changes(community, changes)
                for i in range(0, extra, 2000):  # each member with its card, as counters push
                    cl.push_registers(changes[i:i + 2000] + cards[i:i + 2000])
        settle(url)
        t = time.perf_counter()
        stages2 = Stages()
        if args.profile:
            prof = cProfile.Profile()
            prof.enable()
        joined = join(tmp / "xf02.db", c2.conninfo, "XF02", progress=stages2, deadline=3600)
        if args.profile:
            prof.disable()
            st = pstats.Stats(prof).sort_stats("tottime")
            st.print_stats(14)
            st.print_callers("execute' of 'sqlite3|executemany")
        total = time.perf_counter() - t
        pull_s, _ = stages2.span("pull")
        print(f"  join of a second counter (pull of {args.members} members, their cards, "
              f"balances and the first counter's entries: {joined.report.rows_pulled} rows): "
              f"{total:.1f} s in all")
        pulls = [c for c in stages2.calls if c[0] == "pull"]
        if pulls:
            first_pull = stages2.calls[stages2.calls.index(pulls[0]) - 1][1]
            cpu = pulls[-1][3] - stages2.calls[stages2.calls.index(pulls[0]) - 1][3]
            print(f"    pull stage: {pulls[-1][1] - first_pull:.1f} s, client CPU {cpu:.1f} s "
                  f"({joined.report.rows_pulled / max(0.001, pulls[-1][1] - first_pull):.0f} "
                  f"rows/s)")
        settle(url)
        times, cpus = [], []
        for _ in range(5):
            c = time.process_time()
            r = sync_once(db)
            cpus.append(time.process_time() - c)
            assert r.ok, r.error
            times.append(r.seconds)
        print(f"  incremental sync, nothing new (whole sync_once, 5 runs): "
              f"min {min(times) * 1000:.0f} ms, median {sorted(times)[2] * 1000:.0f} ms, "
              f"client CPU median {sorted(cpus)[2] * 1000:.0f} ms")
        db.dispose()
    finally:
        if args.keep:
            # for EXPLAIN at leisure: the district stays, a third counter's account is shown
            c3 = add_counter(url, "XF", "XF03", "三号柜台")
            print(f"  kept district {name}; a counter that has pulled nothing: {c3.conninfo}")
        else:
            drop(admin, name)


def bench_many(admin: str, args, tmp: Path) -> None:
    from sqlalchemy import text

    from counter_app import ledger
    from counter_app.db import open_database
    from counter_app.db.models import EntryKind, Role
    from counter_app.demo import build_demo
    from counter_app.operators import Actor
    from counter_app.sync.connection import open_client
    from counter_app.sync.join import join
    from counter_app.sync.run import sync_once

    name = scratch(admin, "sync_many")
    url = f"{admin}/{name}"
    try:
        init_district(url)
        add_community(url, district="和平区", street="和平街道", code="XF", name="幸福社区")
        seed = add_counter(url, "XF", "XF01", "一号柜台")
        build_demo(tmp / "seed.db", members=60, counter_id="XF01", seed=3)  # joins stay quick
        sdb = open_database(tmp / "seed.db")
        configure(sdb, seed)
        assert sync_once(sdb).ok
        sdb.dispose()
        settle(url)
        t = time.perf_counter()
        dbs = []
        for i in range(args.counters):
            cid = f"XC{i:02d}"
            creds = add_counter(url, "XF", cid, f"模拟柜台{i}")
            join(tmp / f"{cid}.db", creds.conninfo, cid, deadline=600)
            dbs.append((cid, open_database(tmp / f"{cid}.db")))
        print(f"  {args.counters} counters joined in {time.perf_counter() - t:.0f} s")
        for cid, db in dbs:  # a day's entries at each: awards and redemptions, chained
            with db.read() as s:
                mids = [r[0] for r in s.execute(text("SELECT id FROM members ORDER BY id"))]
                op = s.execute(text("SELECT id, name FROM operators WHERE role = 'admin' "
                                    "LIMIT 1")).one()
            actor = Actor(op.id, op.name, Role.ADMIN, cid)
            with db.write() as s:
                for n in range(args.per_counter):
                    mid = mids[(n // 2 * 7 + len(cid)) % len(mids)]  # +10, then -5
                    ledger.append(s, actor, mid, -5 if n % 2 else 10,
                                  EntryKind.ADJUSTMENT if n % 2 else EntryKind.AWARD,
                                  note="日常")
        settle(url)
        retried = {"serialization": 0, "deadlock": 0, "other": 0}
        lock = threading.Lock()
        barrier = threading.Barrier(len(dbs) + 1)
        reports = {}

        def run(cid, db):
            client = open_client(db, cid, deadline=600)
            inner = client._once

            def counting(query, params):
                try:
                    return inner(query, params)
                except pg_errors.SerializationFailure:
                    with lock:
                        retried["serialization"] += 1
                    raise
                except pg_errors.DeadlockDetected:
                    with lock:
                        retried["deadlock"] += 1
                    raise
                except psycopg.OperationalError:
                    with lock:
                        retried["other"] += 1
                    raise

            client._once = counting
            barrier.wait()
            reports[cid] = sync_once(db, client=client, deadline=600)
            client.close()

        threads = [threading.Thread(target=run, args=a) for a in dbs]
        for th in threads:
            th.start()
        barrier.wait()
        t, cpu0 = time.perf_counter(), time.process_time()
        for th in threads:
            th.join()
        wall, cpu = time.perf_counter() - t, time.process_time() - cpu0
        failed = {c: r.error for c, r in reports.items() if not r.ok}
        pushed = sum(r.entries_pushed.get("points", 0) for r in reports.values())
        per = sorted(r.seconds for r in reports.values())
        print(f"  {len(dbs)} counters x {args.per_counter} entries, sync_once at the same "
              f"moment: all done in {wall:.1f} s (client CPU, all threads: {cpu:.1f} s); "
              f"{pushed} entries pushed; failed: "
              f"{len(failed)} {failed or ''}")
        print(f"    per counter: median {per[len(per) // 2]:.1f} s, slowest {per[-1]:.1f} s; "
              f"retried: {retried}")
        from counter_app.district.check import district_check, faults

        found = faults(district_check(url))
        print(f"    district check after: {'clean' if not found else found}")
        for _cid, db in dbs:
            db.dispose()
    finally:
        drop(admin, name)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432")
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--counters", type=int, default=50)
    ap.add_argument("--per-counter", type=int, default=300)
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument("--skip-many", action="store_true")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--keep", action="store_true",
                    help="keep the big run's district database (drop it by hand)")
    ap.add_argument("--outbox", action="store_true",
                    help="also the checkout commit p95 with and without the outbox "
                         "(bench_outbox.py, 5,000 members, 200 checkouts a side)")
    args = ap.parse_args(argv)
    os.environ.setdefault("COUNTER_APP_NO_KEYRING", "1")
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as d:
        tmp = Path(d)
        os.environ.setdefault("COUNTER_APP_SETTINGS", str(tmp / "cfg" / "settings.json"))
        with psycopg.connect(args.url + "/postgres") as conn:
            version = conn.info.server_version
        print(f"sync benchmark — PostgreSQL {version // 10000}, Python "
              f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, "
              f"load {os.getloadavg()[0]:.1f}")
        if not args.skip_big:
            bench_big(args.url, args, tmp)
        if not args.skip_many:
            bench_many(args.url, args, tmp)
    if args.outbox:
        import subprocess

        subprocess.run([sys.executable, str(ROOT / "bench_outbox.py"), "--members", "5000",
                        "--repeats", "200"], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
