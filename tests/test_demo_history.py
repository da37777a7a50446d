"""The demo's history: past days use their own UTC offset, not today's (issue 7 C5, DST);
merchant offers come with their merchants and vouchers (trial)."""

from __future__ import annotations

import sqlite3
import time
from datetime import date, datetime, time as clock

import pytest

from counter_app.demo import build_demo
from counter_app.localtime import to_local


@pytest.fixture
def new_york(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_awards_fall_in_opening_hours_on_summer_and_winter_days(new_york, tmp_path):
    # 182 days back from 20 November 2026: May to November, EDT (UTC-4) then EST (UTC-5).
    summary = build_demo(tmp_path / "d.db", members=150, seed=5, as_of=date(2026, 11, 20))
    con = sqlite3.connect(summary.path)
    stamps = [datetime.fromisoformat(t) for (t,) in con.execute(
        "SELECT created_at FROM points_journal WHERE kind = 'award'")]
    con.close()
    local = [to_local(t) for t in stamps]
    offsets = {t.utcoffset().total_seconds() / 3600 for t in local}
    assert offsets == {-4, -5}  # both halves of the year are in the history
    outside = [t for t in local if not clock(8) <= t.time() < clock(18)]
    assert outside == []  # awards are simulated between 08:00 and 18:00 local time


def test_merchant_offers_come_with_merchants_and_vouchers_to_try(tmp_path):
    """Trial: the demo redeemed 商家优惠 offers but had no merchant and no voucher, so 核销
    could not be tried. Every offer names its merchant; every offer redeemed has one voucher
    per piece on its receipt, valid codes, most of them used at the shop."""
    import sqlite3

    from counter_app import vouchers
    from counter_app.check import verify
    from counter_app.demo import build_demo

    path = tmp_path / "demo.db"
    build_demo(path, members=400)
    con = sqlite3.connect(path)
    try:
        offers = con.execute("SELECT count(*), count(merchant_id) FROM exchange_items "
                             "WHERE kind = 'merchant_offer'").fetchone()
        assert offers[0] > 0 and offers[0] == offers[1]
        pieces = con.execute(
            "SELECT coalesce(sum(l.qty), 0) FROM redemption_lines l JOIN exchange_items i "
            "ON i.id = l.item_id WHERE i.kind = 'merchant_offer'").fetchone()[0]
        codes = [r[0] for r in con.execute("SELECT code FROM vouchers")]
        mismatched = con.execute(
            "SELECT count(*) FROM vouchers v JOIN redemptions r ON r.receipt_no = v.receipt_no "
            "WHERE r.member_id <> v.member_id").fetchone()[0]
        used = con.execute("SELECT count(*) FROM voucher_uses WHERE kind = 'used'").fetchone()[0]
    finally:
        con.close()
    assert pieces > 0 and len(codes) == pieces and mismatched == 0
    assert all(vouchers.normalise(c) == c for c in codes) and len(set(codes)) == len(codes)
    assert 0 < used < len(codes)
    assert verify(path).ok
