"""Counter-side sync benchmark: a demo counter file synced into a scratch district (written as
bench/bench_sync.py on ws-sync, renamed when merged with ws-syncui, whose bench_sync.py
measures the issue's targets).

Usage: python bench/bench_sync_counter.py [--url postgresql://postgres@127.0.0.1:5432] [--members 20000]

Builds a demo counter (its whole history: members, cards, awards, redemptions, stock) and a
scratch district database (dropped at the end), then measures through the real client
(`sync.run.sync_once`, `sync.join.join`):
- the first sync: push of every register change and journal entry, then the pull;
- a sync with nothing new;
- a second counter joining (the pull of every member, card and balance into a new file).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy import text

from counter_app.db import open_database
from counter_app.demo import build_demo
from counter_app.district import init_district
from counter_app.district.roles import add_community, add_counter
from counter_app.sync import credentials, settings
from counter_app.sync.connection import account, split_password
from counter_app.sync.join import join
from counter_app.sync.run import sync_once


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432")
    ap.add_argument("--members", type=int, default=20000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    os.environ["COUNTER_APP_SETTINGS"] = str(tmp / "settings.json")
    os.environ["COUNTER_APP_NO_KEYRING"] = "1"
    name = f"bench_sync_{os.getpid()}"
    with psycopg.connect(args.url + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
            sql.Identifier(name)))
    url = f"{args.url}/{name}"
    try:
        t = time.perf_counter()
        build_demo(tmp / "xf01.db", members=args.members)
        print(f"demo counter with {args.members} members built in {time.perf_counter() - t:.1f} s")
        db = open_database(tmp / "xf01.db")
        with db.read() as s:
            code = s.execute(text("SELECT code FROM communities")).scalar()
            entries = s.execute(text("SELECT (SELECT count(*) FROM points_journal) + "
                                     "(SELECT count(*) FROM stock_journal)")).scalar()
            changes = s.execute(text("SELECT count(*) FROM outbox")).scalar()
        init_district(url)
        add_community(url, district="和平区", street="和平街道", code=code, name="幸福社区")
        creds = {c: add_counter(url, code, c, c) for c in ("XF01", "XF02")}
        clean, password = split_password(creds["XF01"].conninfo)
        settings.configure(db, clean)
        credentials.store(account(clean, "XF01"), password)

        t = time.perf_counter()
        first = sync_once(db, deadline=3600)
        first_s = time.perf_counter() - t
        assert first.ok, first.error
        t = time.perf_counter()
        again = sync_once(db)
        again_s = time.perf_counter() - t
        assert again.ok, again.error
        t = time.perf_counter()
        joined = join(tmp / "xf02.db", creds["XF02"].conninfo, "XF02", deadline=3600)
        join_s = time.perf_counter() - t
        print(f"machine: {platform.machine()} {os.cpu_count()} cpu, python {sys.version.split()[0]}")
        print(f"first sync: {entries} entries + {changes} register changes pushed, "
              f"{first.rows_pulled} rows pulled: {first_s:.1f} s "
              f"({entries / first_s:.0f} entries/s overall)")
        print(f"sync with nothing new: {again_s * 1000:.0f} ms")
        print(f"join of a second counter: {joined.report.rows_pulled} rows pulled: {join_s:.1f} s")
        db.dispose()
    finally:
        with psycopg.connect(args.url + "/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
            for (role,) in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s",
                                        (name + "\\_%",)).fetchall():
                conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
