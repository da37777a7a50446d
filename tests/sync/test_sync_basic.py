"""Push, pull and join against the real district PostgreSQL server."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from counter_app import ledger, members, redemption
from counter_app.redemption import CartLine
from counter_app.sync.status import status
from sync_helpers import assert_invariants, configure, isolate_secrets, joined, synced


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
