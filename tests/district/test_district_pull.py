"""pull: an incremental cursor that never skips a row committed late, pages that never split
a transaction, and only what the counter's district may see."""

from __future__ import annotations

import threading
import uuid

from counter_app.district.client import as_jsonb
from district_helpers import Chain, member, operator, pull_all, settle


def _ids(rows, kind="register"):
    return {r["id"] for r in rows if r["source"] == kind}


def test_incremental_pull_serves_each_change_once(world):
    xf = world.communities["XF"]
    m1, m2 = member(xf, "甲"), member(xf, "乙")
    with world.client("XF01") as a, world.client("XF02") as b:
        a.push_registers([m1])
        rows, cursor = pull_all(world, b)
        assert _ids(rows) == {m1["id"]}
        rows, cursor = pull_all(world, b, cursor)
        assert rows == []  # nothing new
        a.push_registers([m2])
        rows, cursor = pull_all(world, b, cursor)
        assert _ids(rows) == {m2["id"]}


def test_a_transaction_that_commits_after_a_pull_is_not_skipped(world):
    """Two real connections: a push that started before a pull and commits after it."""
    xf = world.communities["XF"]
    early, late = member(xf, "早"), member(xf, "晚")
    with world.client("XF02") as reader:
        with world.connect_as("XF01") as slow:  # not autocommit: a long transaction
            slow.execute("SELECT push_registers(%s)", (as_jsonb([late]),))
            with world.client("XF01") as quick:
                quick.push_registers([early])  # begins later, commits first
            first = reader.pull(None)  # cannot wait for `slow`: it is still open
            assert late["id"] not in _ids(first.rows)
            slow.commit()
        rows, _ = pull_all(world, reader, first.cursor)
        seen = _ids(first.rows) | _ids(rows)
    assert late["id"] in _ids(rows)
    assert {early["id"], late["id"]} <= seen


def test_pages_never_split_a_transaction(world):
    xf = world.communities["XF"]
    two = [member(xf, f"二{i}") for i in range(2)]
    three = [member(xf, f"三{i}") for i in range(3)]
    big = [member(xf, f"大{i}") for i in range(7)]
    with world.client("XF01") as a:
        for batch in (two, three, big):
            a.push_registers(batch)  # one transaction each
        settle(world)
        pages = []
        cursor = None
        while True:
            page = a.pull(cursor, 3)
            pages.append(_ids(page.rows))
            cursor = page.cursor
            if not page.more:
                break
    # 2 + 3 would overflow a page of 3: the page stops before the second transaction;
    # a transaction larger than a page comes whole.
    assert pages[:3] == [{m["id"] for m in b} for b in (two, three, big)]
    assert all(p == set() for p in pages[3:])


def test_balances_hotlist_and_other_counters_entries_come_down(world):
    m = uuid.uuid4()
    a, b = Chain("XF01"), Chain("HX01")
    a.add(m, 10)
    b.add(m, -25)  # another community of the same district: the card works everywhere
    with world.client("XF01") as ca, world.client("HX01") as cb:
        ca.push_entries("points", a.entries)
        cb.push_entries("points", b.entries)
        rows, _ = pull_all(world, ca)
    kinds = {}
    for r in rows:
        kinds.setdefault(r["source"], []).append(r)
    assert [(r["member_id"], r["balance"]) for r in kinds["balance"]] == [(str(m), -15)]
    assert [(r["type"], r["active"]) for r in kinds["hotlist"]] == [("overdrawn", True)]
    # XF01 gets HX01's entry, never its own back.
    assert [(e["counter_id"], e["seq"], e["hash"]) for e in kinds["entry"]] == [
        ("HX01", 1, b.entries[0]["hash"])]
    assert all("xid8" in r for r in rows)


def test_another_district_sees_nothing(world):
    xf = world.communities["XF"]
    m = uuid.uuid4()
    c = Chain("XF01")
    c.add(m, 10)
    with world.client("XF01") as a, world.client("QT01") as q:
        a.push_registers([member(xf, "本区会员")])
        a.push_entries("points", c.entries)
        rows, _ = pull_all(world, q)
    assert rows == []


def test_concurrent_pulls_and_pushes_miss_nothing(world):
    """A reader pulling in a loop while writers push: the union of its pages is everything."""
    xf = world.communities["XF"]
    pushed: list[str] = []
    stop = threading.Event()

    def writer(counter_id):
        with world.client(counter_id) as cl:
            for _ in range(15):
                ms = [member(xf) for _ in range(3)]
                cl.push_registers(ms)
                pushed.extend(m["id"] for m in ms)

    seen: set[str] = set()

    def reader():
        cursor = None
        with world.client("XF01") as cl:
            while not stop.is_set():
                page = cl.pull(cursor, 4)
                seen.update(_ids(page.rows))
                cursor = page.cursor
        state["cursor"] = cursor

    state = {}
    threads = [threading.Thread(target=writer, args=(c,)) for c in ("XF01", "XF02")]
    r = threading.Thread(target=reader)
    r.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    r.join()
    with world.client("XF01") as cl:
        rows, _ = pull_all(world, cl, state["cursor"])
    seen.update(_ids(rows))
    assert seen == set(pushed) and len(pushed) == 90


def test_a_page_ends_where_a_sort_of_every_remaining_row_would_end_it(world):
    """d0010: pull() cuts a page from each source's first rows (pull_firsts); the cut and
    the first row must be those of a sort of all of pull_rows() — for every cursor and
    page size, with rows of every source, another community's operators (not served) and
    the caller's own entries (not served) among them."""
    xf, hx = world.communities["XF"], world.communities["HX"]
    m1, m2 = uuid.uuid4(), uuid.uuid4()
    a, b, own = Chain("XF01"), Chain("HX01"), Chain("XF02")
    with world.client("XF01") as ca, world.client("HX01") as cb, \
            world.client("XF02") as cc:
        ca.push_registers([member(xf, "甲", member_id=m1), member(xf, "乙", member_id=m2)])
        cb.push_registers([operator(hx, "别社区的")])
        for i in range(3):
            a.add(m1, 10)
            ca.push_entries("points", a.entries[-1:])
        cb.push_registers([member(hx, f"丙{i}") for i in range(4)])
        b.add(m2, -5)  # an overdraft: a hotlist row
        cb.push_entries("points", b.entries)
        own.add(m1, 2)
        cc.push_entries("points", own.entries)
        ca.push_registers([operator(xf, "本社区的")])
    settle(world)
    with world.admin() as conn:
        district, community = conn.execute(
            "SELECT cm.district_id, cm.id FROM counters k JOIN communities cm "
            "ON cm.id = k.community_id WHERE k.id = 'XF02'").fetchone()
        below = conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())").fetchone()[0]
        args = (district, community, "XF02")
        xids = [r[0] for r in conn.execute(
            "SELECT DISTINCT xid8 FROM pull_rows(%s, %s, %s, '0', %s, false) ORDER BY 1",
            (*args, below))]
        sources = {r[0] for r in conn.execute(
            "SELECT body->>'source' FROM pull_rows(%s, %s, %s, '0', %s, true)",
            (*args, below))}
        assert sources == {"register", "balance", "hotlist", "entry"} and len(xids) >= 8
        for since in ["0", *xids]:
            for k in (1, 2, 3, 4, 7, 50):
                slow = conn.execute(
                    "SELECT (SELECT xid8 FROM pull_rows(%s, %s, %s, %s, %s, false) p "
                    "        ORDER BY p.xid8 OFFSET %s LIMIT 1), "
                    "       (SELECT min(xid8) FROM pull_rows(%s, %s, %s, %s, %s, false))",
                    (*args, since, below, k, *args, since, below)).fetchone()
                fast = conn.execute("SELECT cut, first FROM pull_firsts(%s, %s, %s, %s, %s, %s)",
                                    (*args, since, below, k)).fetchone()
                assert fast == slow, (since, k)
