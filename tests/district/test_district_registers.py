"""push_registers: upsert by uuid, higher version wins, same version with other content is
a dead letter, rows of another community are refused, and nothing blocks the batch."""

from __future__ import annotations

import uuid

from district_helpers import card, member, operator, pull_all


def _member_row(world, mid):
    with world.admin() as conn:
        return conn.execute("SELECT name, version, deleted, updated_by FROM members "
                            "WHERE id = %s", (mid,)).fetchone()


def test_upsert_and_higher_version_wins(world):
    xf = world.communities["XF"]
    m = member(xf, "张三")
    with world.client("XF01") as a, world.client("XF02") as b:
        assert a.push_registers([m])["applied"] == 1
        newer = member(xf, "张三丰", version=2, member_id=m["id"])
        assert b.push_registers([newer])["applied"] == 1
        stale = a.push_registers([m])  # an old version arriving late changes nothing
        assert (stale["applied"], stale["stale"]) == (0, 1)
    assert _member_row(world, m["id"]) == ("张三丰", 2, False, "XF02")


def test_same_version_other_content_is_a_dead_letter(world):
    xf = world.communities["XF"]
    m = member(xf, "李四")
    with world.client("XF01") as a, world.client("XF02") as b:
        a.push_registers([m])
        assert a.push_registers([m])["duplicates"] == 1  # a resend is harmless
        edit_a = member(xf, "李四（a）", version=2, member_id=m["id"])
        edit_b = member(xf, "李四（b）", version=2, member_id=m["id"])  # both edited offline
        other = member(xf, "王五")
        assert a.push_registers([edit_a])["applied"] == 1
        reply = b.push_registers([edit_b, other])
    assert reply["applied"] == 1  # the other row went in
    assert [d["reason"] for d in reply["dead_letters"]] == ["version_conflict"]
    assert _member_row(world, m["id"])[0] == "李四（a）"
    with world.admin() as conn:
        assert conn.execute("SELECT counter_id, journal, entry_id FROM dead_letters"
                            ).fetchall() == [("XF02", "members", uuid.UUID(m["id"]))]


def test_rows_of_another_community_are_refused(world):
    xf, hx = world.communities["XF"], world.communities["HX"]
    theirs = member(hx, "和谐的会员")
    with world.client("HX01") as h, world.client("XF01") as x:
        h.push_registers([theirs])
        # XF01 may neither overwrite HX's member nor create a row in HX's name.
        takeover = member(xf, "抢过来", version=2, member_id=theirs["id"])
        planted = member(hx, "冒名")
        reply = x.push_registers([takeover, planted])
        alone = x.push_registers([member(hx, "又冒名")])  # a batch of new rows only
    assert reply["applied"] == 0 and alone["applied"] == 0
    assert sorted(d["reason"] for d in reply["dead_letters"]) == ["foreign_community"] * 2
    assert [d["reason"] for d in alone["dead_letters"]] == ["foreign_community"]
    assert _member_row(world, theirs["id"])[0] == "和谐的会员"


def test_a_card_code_taken_by_another_card_is_a_dead_letter_not_a_stall(world):
    xf = world.communities["XF"]
    m1, m2 = member(xf, "甲"), member(xf, "乙")
    c1 = card(xf, m1["id"], "XF0100000013")
    clash = card(xf, m2["id"], "XF0100000013")
    with world.client("XF01") as a:
        # Children before parents in the batch: the district orders them.
        reply = a.push_registers([c1, clash, m2, m1])
    assert reply["applied"] == 3
    [dead] = reply["dead_letters"]
    # Within a batch rows go in id order (one lock order for every caller): the later one
    # of the two finds the code taken.
    assert dead["id"] == max(c1["id"], clash["id"])
    assert dead["reason"].startswith("invalid: duplicate key")


def test_tombstones_and_the_hotlist_of_blocked_cards(world):
    xf = world.communities["XF"]
    m = member(xf)
    c = card(xf, m["id"], "XF0100000021")
    with world.client("XF01") as a:
        a.push_registers([m, c])
        blocked = card(xf, m["id"], "XF0100000021", version=2, status="blocked",
                       card_id=c["id"])
        a.push_registers([blocked])
        with world.admin() as conn:
            assert conn.execute("SELECT kind, code, reason, active FROM hotlist").fetchall() == [
                ("card", "XF0100000021", "blocked", True)]
        tomb = {"register": "members", "id": m["id"], "version": 2, "deleted": True}
        assert a.push_registers([tomb])["applied"] == 1
        pulled, _ = pull_all(world, a)
    rows = {(r["source"], r.get("register")): r for r in pulled}
    gone = rows[("register", "members")]
    assert gone["deleted"] is True and gone["data"] is None and gone["version"] == 2
    assert rows[("hotlist", None)]["code"] == "XF0100000021"


def test_receipts_with_lines_only_for_the_own_counter(world):
    xf = world.communities["XF"]
    m = member(xf)
    rid = str(uuid.uuid4())
    receipt = {"register": "receipts", "id": rid, "version": 1, "data": {
        "community_id": str(xf), "counter_id": "XF01", "receipt_no": "XF01-000001",
        "member_id": m["id"], "operator_id": None, "created_at": "2026-12-01T09:00:00",
        "total_points": 25, "balance_before": 100, "points_entry_id": None, "status": "done",
        "lines": [{"line_no": 1, "item_id": str(uuid.uuid4()), "item_name": "大米",
                   "qty": 1, "unit_points": 20},
                  {"line_no": 2, "item_id": str(uuid.uuid4()), "item_name": "肥皂",
                   "qty": 1, "unit_points": 5}]}}
    with world.client("XF01") as a, world.client("XF02") as b:
        a.push_registers([m])
        assert a.push_registers([receipt])["applied"] == 1
        forged = dict(receipt, id=str(uuid.uuid4()))
        assert [d["reason"] for d in b.push_registers([forged])["dead_letters"]] == [
            "foreign_counter"]
    with world.admin() as conn:
        assert conn.execute("SELECT sum(qty * unit_points) FROM receipt_lines "
                            "WHERE receipt_id = %s", (rid,)).fetchone() == (25,)


def test_operators_are_pulled_by_their_own_community_only(world):
    xf, hx = world.communities["XF"], world.communities["HX"]
    with world.client("XF01") as a, world.client("HX01") as h:
        a.push_registers([operator(xf, "王阿姨")])
        h.push_registers([operator(hx, "赵大爷")])
        names = {r["data"]["name"] for r in pull_all(world, a)[0]
                 if r.get("register") == "operators"}
    assert names == {"王阿姨"}
