"""Push, pull and join against the real district PostgreSQL server."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from counter_app import ledger, members, redemption
from counter_app.redemption import CartLine
from counter_app.sync.status import status
from sync_helpers import (actors, assert_invariants, configure, isolate_secrets, joined, rowid_of,
                          synced, uid_of)


@pytest.fixture(autouse=True)
def _secrets(monkeypatch, tmp_path):
    isolate_secrets(monkeypatch, tmp_path)


def test_standalone_counter_pushes_then_second_counter_joins_and_sees_the_member(
        counter, world, tmp_path):
    mid = counter.member("李四", points=40)
    redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 2)])
    configure(counter.db, world, "XF01")
    report = synced(counter.db, world)
    assert report.entries_pushed["points"] == 5  # four awards, one redemption
    st = status(counter.db)
    assert st.waiting_entries == {"points": 0, "stock": 0} and st.last_error is None

    xf02 = joined(world, "XF02", tmp_path / "xf02.db")
    with xf02.read() as s:
        uid = s.execute(text("SELECT uid FROM members WHERE id = :m"), {"m": mid}).scalar()
    with xf02.read() as s:
        theirs = s.execute(text("SELECT id FROM members WHERE uid = :u"), {"u": uid}).scalar()
        assert ledger.balance_of(s, theirs) == 30
        assert members.get_member(s, theirs).balance == 30
    assert_invariants(world, counter.db, xf02)


def test_join_sync_and_check_from_the_command_line(counter, world, tmp_path, run_cli):
    from counter_app.sync.connection import split_password

    counter.member("钱七", points=20)
    configure(counter.db, world, "XF01")
    synced(counter.db, world)
    creds = tmp_path / "xf02.json"
    world.creds["XF02"].write(creds)
    url, _ = split_password(world.creds["XF02"].conninfo)
    db = tmp_path / "xf02.db"
    env = {"COUNTER_APP_NO_KEYRING": "1"}
    r = run_cli("--db", db, "join", "--district", url, "--counter-id", "XF02",
                "--password-file", creds, env=env)
    assert r.rc == 0, r
    assert "已加入街道：幸福社区，柜台 XF02" in r.stdout and "仅本人可读" not in r.stderr
    r = run_cli("--db", db, "join", "--district", url, "--counter-id", "XF02",
                "--password-file", creds, env=env)
    assert r.rc == 2 and "已存在" in r.stderr
    r = run_cli("--db", db, "sync", env=env)
    assert r.rc == 0 and "同步完成" in r.stdout, r
    r = run_cli("--db", db, "check", env=env)
    assert r.rc == 0, r
    r = run_cli("--db", db, "sync", "--status", env=env)
    assert r.rc == 0 and "等待上传：积分记录 0 条" in r.stdout, r
    r = run_cli("district", "check", "--url", world.url)
    assert r.rc == 0, r


def test_the_counter_keeps_redeeming_while_a_sync_runs(counter, world):
    import threading
    import time

    from earning_helpers import credit
    from counter_app.sync.run import sync_once
    from sync_helpers import settle

    mid = counter.member("孙八", points=100)
    for _ in range(40):
        credit(counter.db, counter.reviewer, mid, counter.point_item)
    configure(counter.db, world, "XF01")
    settle(world)
    reports = []
    sync = threading.Thread(target=lambda: reports.append(sync_once(counter.db, batch=3)))
    sync.start()
    done = during = 0
    # Redeem while the sync runs (at least 10 in all; at most 25, which the member's 300
    # points cover however long a loaded machine makes the sync take).
    while (sync.is_alive() and done < 25) or done < 10:
        running = sync.is_alive()
        redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.haircut, 1)])
        done += 1
        during += running and sync.is_alive()
        time.sleep(0.05)
    sync.join()
    assert reports[0].ok, reports[0].error
    assert done >= 10 and during >= 1  # a checkout committed while the sync was running
    synced(counter.db, world)
    assert_invariants(world, counter.db)


def test_sslmode_is_passed_to_the_connection_and_checked(counter, world):
    from counter_app.errors import InvalidInput
    from counter_app.sync import settings
    from counter_app.sync.connection import split_password
    from counter_app.sync.run import sync_once

    url, _ = split_password(world.creds["XF01"].conninfo)
    with pytest.raises(InvalidInput, match="sslmode"):
        settings.configure(counter.db, url, "verify-ful")
    configure(counter.db, world, "XF01")
    settings.configure(counter.db, url, "verify-full")
    report = sync_once(counter.db, deadline=3)
    # verify-full with no CA given: refused whether the server offers TLS or not
    assert not report.ok and ("SSL" in report.error or "certificate" in report.error)


PULLED_VIEW = {
    "members": "SELECT m.uid, m.version, m.name, m.phone, m.card_code, m.status, m.kind, "
               "m.created_at, p.balance FROM members m JOIN points_accounts p "
               "ON p.member_id = m.id ORDER BY m.uid",
    "cards": "SELECT c.uid, c.version, c.code, c.status, m.uid FROM member_cards c "
             "JOIN members m ON m.id = c.member_id ORDER BY c.uid",
    "outbox": "SELECT count(*) FROM outbox",
}


def _pulled(db) -> dict:
    with db.read() as s:
        out = {k: [tuple(r) for r in s.execute(text(q))] for k, q in PULLED_VIEW.items()}
        keys = [c for c in s.execute(text("PRAGMA table_info(members)")).all()
                if c[1].startswith("search_") or c[1].endswith("_pinyin")]
        if keys:
            cols = ", ".join(c[1] for c in keys)
            out["keys"] = [tuple(r) for r in s.execute(text(
                f"SELECT uid, {cols} FROM members ORDER BY uid"))]
    return out


def test_a_join_inserting_runs_at_once_gives_the_file_the_row_by_row_apply_gives(
        counter, world, tmp_path, monkeypatch):
    """The pull inserts a run of new rows of one register with executemany (registers.
    apply_rows); the same district joined row by row must give the same members, cards
    (each member's card code), points accounts and search keys, and no outbox rows."""
    from counter_app.sync import registers

    for i in range(12):
        counter.member(f"欧阳{'一二三四五六七八九十甲乙'[i]}", points=10 * (i % 3))
    configure(counter.db, world, "XF01")
    synced(counter.db, world)
    bulk = _pulled(joined(world, "XF02", tmp_path / "bulk.db"))
    monkeypatch.setattr(registers, "BULK_MIN", 10**9)
    by_row = _pulled(joined(world, "XF02", tmp_path / "by_row.db"))
    assert len(bulk["members"]) >= 12 and len(bulk["cards"]) >= 12
    assert bulk == by_row
    assert bulk["outbox"] == [(0,)]
    # every member shows its card, not the uid it has until the card arrives
    assert {m[4] for m in bulk["members"]} <= {c[2] for c in bulk["cards"]}


def test_a_pulled_change_writes_no_outbox_row_and_local_changes_still_do(
        counter, world, tmp_path):
    """Migration 0011: the outbox triggers are off while a pulled page is applied (its
    sync_pulling row), and on again for the counter's own changes after it."""
    mid = counter.member("孙八", phone="13800002222", points=10)
    configure(counter.db, world, "XF01")
    synced(counter.db, world)
    xf02 = joined(world, "XF02", tmp_path / "xf02.db")
    uid = uid_of(counter.db, "members", mid)
    theirs = rowid_of(xf02, "members", uid)
    members.update_contact(xf02, actors(xf02, "XF02")["admin"], theirs, phone="13900003333")
    synced(xf02, world)

    def outbox_max(db):
        with db.read() as s:
            return s.execute(text("SELECT coalesce(max(seq), 0) FROM outbox")).scalar()

    before = outbox_max(counter.db)
    report = synced(counter.db, world)
    assert report.rows_pulled >= 1
    with counter.db.read() as s:
        assert s.execute(text("SELECT phone FROM members WHERE id = :m"),
                         {"m": mid}).scalar() == "13900003333"
        assert s.execute(text("SELECT count(*) FROM sync_pulling")).scalar() == 0
    assert outbox_max(counter.db) == before  # not written, not written-and-deleted
    members.update_contact(counter.db, counter.admin, mid, phone="13700004444")
    with counter.db.read() as s:
        rows = s.execute(text("SELECT table_name, row_uid FROM outbox WHERE seq > :b"),
                         {"b": before}).all()
    assert ("members", uid) in [tuple(r) for r in rows]


def test_a_joined_file_has_every_index_a_new_file_has(counter, world, tmp_path):
    """join drops the non-unique indexes of the tables its first sync fills and makes them
    again after it (sync/join.py): none may be missing from the file it hands over."""
    from counter_app.db import open_database

    counter.member("吴十", points=10)
    configure(counter.db, world, "XF01")
    synced(counter.db, world)
    xf02 = joined(world, "XF02", tmp_path / "xf02.db")
    fresh = open_database(tmp_path / "fresh.db")
    query = text("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
    try:
        with xf02.read() as a, fresh.read() as b:
            assert a.execute(query).all() == b.execute(query).all()
            assert a.execute(text("SELECT count(*) FROM members")).scalar() >= 1
    finally:
        fresh.dispose()


def test_acknowledged_outbox_rows_go_after_a_week_and_no_unacknowledged_one_ever(
        counter, world):
    from counter_app.sync.push import prune_acked

    def outbox_seqs(db):
        with db.read() as s:
            return [r[0] for r in s.execute(text("SELECT seq FROM outbox ORDER BY seq"))]

    counter.member("冯十二", phone="13800005555")
    configure(counter.db, world, "XF01")
    synced(counter.db, world)
    sent = outbox_seqs(counter.db)
    assert sent  # acknowledged, but written today: kept
    with counter.db.write() as s:  # as if written eight days ago
        s.execute(text("UPDATE outbox SET created_at = strftime('%Y-%m-%d %H:%M:%f', 'now', "
                       "'-8 days')"))
    mid = counter.member("陈十三")  # a change not yet sent
    with counter.db.write() as s:
        s.execute(text("UPDATE outbox SET created_at = strftime('%Y-%m-%d %H:%M:%f', 'now', "
                       "'-8 days') WHERE seq > :m"), {"m": max(sent)})
    waiting = [q for q in outbox_seqs(counter.db) if q > max(sent)]
    assert waiting and prune_acked(counter.db) == len(sent)
    assert outbox_seqs(counter.db) == waiting  # old, but not acknowledged: kept
    synced(counter.db, world)  # sent now, and pruned at the end of the push (8 days old)
    assert outbox_seqs(counter.db) == []
    with counter.db.read() as s:
        assert s.execute(text("SELECT uid FROM members WHERE id = :m"), {"m": mid}).scalar()
    assert_invariants(world, counter.db)


def test_a_new_communitys_first_counter_joins_with_its_first_administrator(world, tmp_path):
    """Trial: a community registered at the district had no way to its first operator —
    its join gave a file nobody could log in to. Now the join refuses without one, and
    makes the one given, who reaches the district at the next sync."""
    from counter_app import operators
    from counter_app.sync.join import NoOperator, join

    creds = world.creds["HX01"]  # 和谐社区: registered at the district, no counter yet
    path = tmp_path / "hx01.db"
    with pytest.raises(NoOperator, match="还没有任何操作员"):
        join(path, creds.conninfo, "HX01")
    assert list(tmp_path.iterdir()) == []  # neither the file nor a half-made .joining
    made = join(path, creds.conninfo, "HX01", first_admin=("和谐站长", "2468"))
    assert made.first_admin == "和谐站长"
    from counter_app.db import open_database

    db = open_database(path)
    try:
        (op_id, name, role), = operators.list_operators(db)
        assert (name, role) == ("和谐站长", "admin")
        assert operators.authenticate(db, op_id, "2468", "HX01").name == "和谐站长"
        synced(db, world)
    finally:
        db.dispose()
    assert district_operators(world, "HX") == ["和谐站长"]


@pytest.mark.parametrize("older_file", [False, True])
def test_a_counter_set_up_by_init_pushes_its_first_administrator(world, tmp_path, older_file):
    """Trial: `init` for a community the district had registered, then sync: the district
    refused the administrator (不属于本社区) — the ORM wrote the operator before the local
    counter's setting, so its outbox row had no community. A file made before the fix has
    such a row waiting: the sync gives it this counter's community."""
    from counter_app import counters
    from counter_app.db import open_database

    db = open_database(tmp_path / "hx01.db")
    try:
        counters.first_setup(db, street="和平街道", community="和谐社区", code="HX",
                             counter_id="HX01", counter_name="和谐社区积分超市",
                             admin_name="和谐站长", admin_pin="2468")
        with db.read() as s:  # written with its community at once
            assert s.execute(text("SELECT json_type(payload, '$.community_id') FROM outbox "
                                  "WHERE table_name = 'operators'")).scalar() == "text"
        if older_file:
            with db.write() as s:
                s.execute(text("UPDATE outbox SET payload = json_set(payload, "
                               "'$.community_id', json('null')) WHERE table_name = 'operators'"))
        configure(db, world, "HX01")
        report = synced(db, world)
        assert report.dead_letters == [], report.dead_letters
    finally:
        db.dispose()
    assert district_operators(world, "HX") == ["和谐站长"]


def district_operators(world, community_code: str) -> list[str]:
    """The names of the operators the district holds for a community."""
    import psycopg

    with psycopg.connect(world.url) as conn:
        return [r[0] for r in conn.execute(
            "SELECT r.content->>'name' FROM register_changes r JOIN communities c "
            "ON c.id = r.community_id WHERE r.register = 'operators' AND c.code = %s",
            (community_code,))]
