"""Stock and earning registers through the real sync (issues 9 and 10: "synced through the
outbox"): merchants, vouchers and their uses, awards and dated point-item values written at
one counter reach the district and the other counter of the community."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest
from sqlalchemy import text

from counter_app import items, redemption, vouchers
from counter_app.db.models import ItemKind, Role
from counter_app.earning import awards, catalogue, review
from counter_app.merchants import add as add_merchant
from counter_app.operators import Actor
from sync_helpers import (actors, assert_invariants, configure, district_balance,
                          isolate_secrets, joined, rowid_of, synced, uid_of)


@pytest.fixture(autouse=True)
def _secrets(monkeypatch, tmp_path):
    isolate_secrets(monkeypatch, tmp_path)


def _district_count(world, table: str, uid: str) -> int:
    with psycopg.connect(world.url) as conn:
        return conn.execute(f"SELECT count(*) FROM {table} WHERE id = %s", (uid,)).fetchone()[0]


def test_a_voucher_issued_at_one_counter_and_used_at_another_is_refused_at_the_first(
        counter, world, tmp_path):
    shop = add_merchant(counter.db, counter.stock_staff, "老王理发店", address="幸福路 3 号")
    offer = items.add_item(counter.db, counter.stock_staff,
                           community_id=counter.info.community_id, name="理发八折券",
                           kind=ItemKind.MERCHANT_OFFER, category="商家优惠", points=15,
                           unit="张", merchant_id=shop, voucher_days=7)
    mid = counter.member("李四", points=40)
    (v,) = redemption.checkout(counter.db, counter.volunteer, mid,
                               [redemption.CartLine(offer, 1)]).vouchers
    configure(counter.db, world, "XF01")
    synced(counter.db, world)
    shop_uid, voucher_uid = uid_of(counter.db, "merchants", shop), None
    with counter.db.read() as s:
        voucher_uid = s.execute(text("SELECT uid FROM vouchers WHERE code = :c"),
                                {"c": v.code}).scalar()
    assert _district_count(world, "merchants", shop_uid) == 1
    assert _district_count(world, "vouchers", voucher_uid) == 1

    xf02 = joined(world, "XF02", tmp_path / "xf02.db")
    with xf02.read() as s:
        assert s.execute(text("SELECT name, address, active FROM merchants WHERE uid = :u"),
                         {"u": shop_uid}).one() == ("老王理发店", "幸福路 3 号", 1)
        assert s.execute(text("SELECT m.uid FROM exchange_items i JOIN merchants m "
                              "ON m.id = i.merchant_id WHERE i.uid = :u"),
                         {"u": uid_of(counter.db, "exchange_items", offer)}).scalar() == shop_uid
        info = vouchers.check(s, v.code)
        assert info.status is None and info.merchant == "老王理发店"
    volunteer02 = actors(xf02, "XF02")[Role.VOLUNTEER]
    assert vouchers.use(xf02, volunteer02, v.code).used_counter == "XF02"
    synced(xf02, world)
    synced(counter.db, world)
    with pytest.raises(vouchers.VoucherRefused, match=f"优惠券 {v.code} 已于 .* 在 XF02 使用"):
        vouchers.use(counter.db, counter.volunteer, v.code)
    with psycopg.connect(world.url) as conn:
        assert conn.execute("SELECT kind, counter_id FROM voucher_uses WHERE voucher_id = %s",
                            (voucher_uid,)).fetchall() == [("used", "XF02")]
    assert_invariants(world, counter.db, xf02)


def test_an_award_recorded_at_one_counter_is_approved_at_another_once(counter, world, tmp_path):
    mid = counter.member("王五")  # no points yet
    configure(counter.db, world, "XF01")
    recorder = Actor(None, "网格员", Role.GRID_WORKER, "XF01")
    award = awards.record(counter.db, recorder, mid, counter.point_item, note="扫楼道",
                          review_anywhere=True)  # left to the office: claimed there
    later = catalogue.today() + timedelta(days=3)
    catalogue.set_value(counter.db, counter.admin, counter.big_point_item, 25, later,
                        note="下周起加分")
    synced(counter.db, world)
    award_uid = uid_of(counter.db, "awards", award.id)
    member_uid = uid_of(counter.db, "members", mid)
    assert _district_count(world, "awards", award_uid) == 1

    xf02 = joined(world, "XF02", tmp_path / "xf02.db")
    theirs = rowid_of(xf02, "awards", award_uid)
    assert theirs is not None, "the pending award did not reach XF02"
    big = rowid_of(xf02, "point_items", uid_of(counter.db, "point_items", counter.big_point_item))
    with xf02.read() as s:
        row = awards.get_award(s, theirs)
        assert (row.status, row.points, row.note) == ("pending", 10, "扫楼道")
        assert catalogue.value_on(s, big, later) == 25
    with counter.db.read() as s:
        before = catalogue.value_on(s, counter.big_point_item, later - timedelta(days=1))
    with xf02.read() as s:
        assert catalogue.value_on(s, big, later - timedelta(days=1)) == before != 25
    review.approve(xf02, actors(xf02, "XF02")[Role.REVIEWER], [theirs])
    synced(xf02, world)
    synced(counter.db, world)
    assert district_balance(world, member_uid) == 10
    with psycopg.connect(world.url) as conn:
        assert conn.execute("SELECT status, counter_id FROM awards WHERE id = %s",
                            (award_uid,)).fetchone() == ("approved", "XF01")
    with counter.db.read() as s:
        assert awards.get_award(s, award.id).status == "approved", \
            "XF01 still shows the award approved at XF02 as pending"
    assert_invariants(world, counter.db, xf02)


def test_a_day_close_reaches_the_district_and_stays_off_the_other_counters(
        counter, world, tmp_path):
    from counter_app.day import day_close

    configure(counter.db, world, "XF01")
    counter.member("赵六", points=20)
    closed = day_close.close_day(counter.db, counter.admin)
    synced(counter.db, world)
    with counter.db.read() as s:
        uid, seq, head = s.execute(text(
            "SELECT uid, points_seq, points_hash FROM day_closes")).one()
    with psycopg.connect(world.url) as conn:
        row = conn.execute("SELECT counter_id, day, points_seq, points_hash FROM day_closes "
                           "WHERE id = %s", (uid,)).fetchone()
    assert row == ("XF01", closed.report.day, seq, head) and seq > 0
    xf02 = joined(world, "XF02", tmp_path / "xf02.db")
    with xf02.read() as s:
        assert s.execute(text("SELECT count(*) FROM day_closes")).scalar() == 0
    assert_invariants(world, counter.db, xf02)
