"""d0005 (a faster push): the hotlist trigger fires only around zero, the overdraft query
looks only at members below zero — with the same hotlist and overdraft rows as before."""

from __future__ import annotations

import uuid

from district_helpers import Chain


def test_hotlist_and_overdrafts_as_before_with_the_faster_push(world):
    new_negative, positive, twice = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    a = Chain("XF01")
    a.add(new_negative, -5)  # a first balance row already below zero (INSERT)
    a.add(positive, 30)
    a.add(twice, 10)
    first_spend = a.add(twice, -15)
    last_spend = a.add(twice, -5)  # the batch's last spend of the member is the one listed
    with world.client("XF01") as ca:
        ca.push_entries("points", a.entries)
        a.add(positive, -10)  # positive -> positive: no hotlist work at all
        a.add(positive, 5)
        ca.push_entries("points", a.entries)
    with world.admin() as conn:
        hot = dict(((m, (bal, act)) for m, bal, act in conn.execute(
            "SELECT member_id, balance, active FROM hotlist WHERE kind = 'overdrawn'")))
        assert hot == {new_negative: (-5, True), twice: (-10, True)}
        over = dict(conn.execute("SELECT member_id, entry_id FROM overdrafts").fetchall())
        assert over[twice] == uuid.UUID(last_spend["id"]) != uuid.UUID(first_spend["id"])
        assert set(over) == {new_negative, twice}
        triggers = {r[0] for r in conn.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'balances'::regclass "
            "AND NOT tgisinternal")}
        assert {"hotlist_insert", "hotlist_update"} <= triggers and "hotlist" not in triggers
    a.add(twice, 10)  # back to zero: off the hotlist
    with world.client("XF01") as ca:
        ca.push_entries("points", a.entries)
    with world.admin() as conn:
        assert conn.execute("SELECT active FROM hotlist WHERE member_id = %s",
                            (twice,)).fetchone() == (False,)
