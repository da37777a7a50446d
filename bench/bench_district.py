"""District (PostgreSQL) benchmark: push, pull, and 50 counters at once, against a real server.

Usage: python bench/bench_district.py [--url postgresql://postgres@127.0.0.1:5432]
                                      [--entries 100000] [--members 100000] [--counters 50]

Creates a scratch database on the server (dropped at the end), migrates it, registers the
counters and measures:
- push of N chained points entries from one counter in batches of 1000 (the SQL recomputes
  every format-2 hash), and a raw COPY of the same rows into a table of the same shape, as a
  ratio;
- push_registers of M members, then a full pull of them in pages of 5000, and an incremental
  pull with nothing new;
- C counters (300 entries each, shared members) pushing at the same moment.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta

import psycopg
from psycopg import sql

from counter_app.district import chain, init_district
from counter_app.district.client import DistrictClient
from counter_app.district.roles import add_community, add_counter

T0 = datetime(2026, 1, 1, 8, 0)
FIELDS = ("id", "counter_id", "seq", "subject", "delta", "kind", "reverses_id", "ref",
          "operator_id", "created_at", "note", "detail_digest", "hash_format", "prev_hash",
          "hash")


def make_chain(counter_id: str, n: int, members: list[str], rng: random.Random) -> list[dict]:
    out, head = [], chain.GENESIS
    for seq in range(1, n + 1):
        e = {"id": str(uuid.uuid4()), "counter_id": counter_id, "seq": seq,
             "subject": rng.choice(members), "delta": rng.choice((10, 5, -3, -8)),
             "kind": "earn", "reverses_id": None, "ref": f"R{seq}", "operator_id": None,
             "created_at": T0 + timedelta(seconds=seq), "note": None, "detail_digest": None,
             "hash_format": 2, "prev_hash": head}
        e["hash"] = head = chain.entry_hash(head, e)
        out.append(e)
    return out


# Given-name characters beyond the demo's few dozen: a district's 100,000 residents have
# tens of thousands of different given names (the pull caches readings per given name, so
# the demo's ~3,000 would flatter it).
MORE_GIVEN = ("安邦宝保北斌彬冰波博才彩灿昌长超辰晨成诚承程驰崇楚传春纯聪翠达丹道德登迪"
              "东冬栋端方飞菲芬丰峰锋凤福富刚钢高歌根庚耕功广贵桂国海含涵汉航豪浩和"
              "河荷恒红宏洪虹鸿厚华怀欢环焕辉会惠慧吉济佳家嘉坚建剑江杰洁金锦进晶景"
              "静敬菊娟君俊凯楷康可克坤兰岚蓝朗乐雷磊黎莉丽利连良亮林琳玲凌龄柳龙隆"
              "露禄伦罗洛茂梅美萌蒙梦敏明铭鸣墨南楠宁农鹏平萍琪启谦倩强桥勤青清晴庆"
              "琼秋泉群然仁荣蓉瑞润若森山善少绍深胜盛诗石实世仕书淑树双顺舒思松苏素"
              "涛腾天田婷彤童薇维伟文雯武习喜霞贤显宪祥翔小晓欣新鑫星兴雄秀旭轩雪勋")


def member_change(community_id, i: int) -> dict:
    """A member as a counter pushes one (wire.iso timestamps), with a plausible name."""
    import random

    from counter_app.demo.people import person_name

    rng = random.Random(i)
    name, _ = person_name(rng)
    if rng.random() < 0.6:
        name = name[0] + "".join(rng.choice(MORE_GIVEN) for _ in range(len(name) - 1))
    return {"register": "members", "id": str(uuid.uuid4()), "version": 1, "data": {
        "community_id": str(community_id), "kind": "person", "category": "resident",
        "name": name, "phone": f"13{rng.randrange(10**9):09d}", "id_number": None,
        "birth_date": f"{rng.randrange(1935, 2005)}-0{rng.randrange(1, 10)}-1{rng.randrange(10)}",
        "household_id": None, "compound_id": None, "work_unit": None, "address": None,
        "status": "active",
        "created_at": f"2026-01-01T08:00:{i % 60:02d}.{rng.randrange(10**6):06d}"}}


def card_changes(community_id, members: list[dict], counter_id: str = "XF09") -> list[dict]:
    """Each member's active card, numbered by a counter no demo uses."""
    from counter_app.card_codes import next_code

    cards, number = [], 0
    for m in members:
        code, number = next_code(counter_id, number)
        cards.append(card_change(community_id, m, code))
    return cards


def card_change(community_id, member: dict, code: str) -> dict:
    return {"register": "member_cards", "id": str(uuid.uuid4()), "version": 1, "data": {
        "community_id": str(community_id), "code": code,
        "member_id": member["id"], "status": "active",
        "issued_at": member["data"]["created_at"]}}


def bench_push(url, creds, entries) -> tuple[float, float]:
    with DistrictClient(creds.conninfo) as cl:
        t = time.perf_counter()
        for i in range(0, len(entries), 1000):
            reply = cl.push_entries("points", entries[i:i + 1000])
        push_s = time.perf_counter() - t
        assert reply.head_seq == len(entries), reply
    copy_s = copy_like_journal(url, entries)
    return push_s, copy_s


def copy_like_journal(url: str, entries: list[dict]) -> float:
    """Seconds for a raw COPY of ``entries`` into a table shaped like points_journal."""
    with psycopg.connect(url) as conn:
        # Same shape, defaults and indexes: what the push pays for besides its checks.
        conn.execute("CREATE TABLE copy_target (LIKE points_journal INCLUDING DEFAULTS "
                     "INCLUDING INDEXES INCLUDING CONSTRAINTS)")
        conn.commit()
        t = time.perf_counter()
        with conn.cursor().copy(sql.SQL("COPY copy_target ({}) FROM STDIN").format(
                sql.SQL(", ").join(map(sql.Identifier, FIELDS)))) as copy:
            for e in entries:
                copy.write_row([e[f] for f in FIELDS])
        conn.commit()
        return time.perf_counter() - t


def settle(url: str) -> None:
    """Wait until every transaction of the cluster older than now has ended: the pull serves
    rows only below that horizon."""
    with psycopg.connect(url, autocommit=True) as conn:
        mark = conn.execute("SELECT pg_current_xact_id()").fetchone()[0]
        while not conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot()) > %s::xid8",
                               (str(mark),)).fetchone()[0]:
            time.sleep(0.05)


def bench_pull(url, community_id, creds, m: int) -> tuple[float, float, float]:
    changes = [member_change(community_id, i) for i in range(m)]
    with DistrictClient(creds.conninfo) as cl:
        t = time.perf_counter()
        for i in range(0, m, 2000):
            cl.push_registers(changes[i:i + 2000])
        reg_s = time.perf_counter() - t
        settle(url)
        t = time.perf_counter()
        cursor, got = None, 0
        while True:
            page = cl.pull(cursor, 5000)
            got += sum(1 for r in page.rows if r["source"] == "register")
            cursor = page.cursor
            if not page.more:
                break
        pull_s = time.perf_counter() - t
        assert got == m, got
        t = time.perf_counter()
        page = cl.pull(cursor, 5000)
        idle_s = time.perf_counter() - t
        assert page.rows == []
    return reg_s, pull_s, idle_s


def bench_many(creds_list, per_counter: int, rng) -> float:
    members = [str(uuid.uuid4()) for _ in range(200)]
    chains = [make_chain(c.counter_id, per_counter, members, rng) for c in creds_list]
    start = threading.Barrier(len(creds_list) + 1)
    errors = []

    def run(creds, entries):
        try:
            with DistrictClient(creds.conninfo, deadline=120) as cl:
                start.wait()
                for i in range(0, len(entries), 100):
                    cl.push_entries("points", entries[i:i + 100])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=a) for a in zip(creds_list, chains)]
    for th in threads:
        th.start()
    start.wait()
    t = time.perf_counter()
    for th in threads:
        th.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432")
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--counters", type=int, default=50)
    args = ap.parse_args(argv)
    rng = random.Random(1)
    name = f"district_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.url + "/postgres", autocommit=True) as conn:
        version = conn.info.server_version
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
            sql.Identifier(name)))
    url = f"{args.url}/{name}"
    try:
        init_district(url)
        community = add_community(url, district="和平区", street="和平街道", code="XF",
                                  name="幸福社区")
        main_creds = add_counter(url, "XF", "XF01", "一号柜台")
        print(f"district benchmark — PostgreSQL {version // 10000}, Python "
              f"{platform.python_version()}, {platform.machine()}")
        members = [str(uuid.uuid4()) for _ in range(5000)]
        t = time.perf_counter()
        entries = make_chain("XF01", args.entries, members, rng)
        print(f"  build {args.entries} chained entries (Python hashing): "
              f"{time.perf_counter() - t:.1f} s")
        push_s, copy_s = bench_push(url, main_creds, entries)
        print(f"  push {args.entries} entries (batches of 1000): {push_s:.1f} s; raw COPY "
              f"{copy_s:.1f} s; ratio {push_s / copy_s:.1f}x")
        reg_s, pull_s, idle_s = bench_pull(url, community, main_creds, args.members)
        print(f"  push_registers {args.members} members: {reg_s:.1f} s")
        print(f"  pull {args.members} members (pages of 5000): {pull_s:.1f} s")
        print(f"  incremental pull, nothing new: {idle_s * 1000:.0f} ms")
        many = [add_counter(url, "XF", f"XC{i:02d}", f"模拟柜台{i}") for i in range(args.counters)]
        many_s = bench_many(many, 300, rng)
        print(f"  {args.counters} counters x 300 entries at once: {many_s:.1f} s, no error")
    finally:
        with psycopg.connect(args.url + "/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
            for (role,) in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s "
                                        "ORDER BY rolname DESC", (name + "\\_%",)).fetchall():
                conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
