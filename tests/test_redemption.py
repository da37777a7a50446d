import sqlite3

import pytest

from counter_app import check, ledger, members, redemption, stock
from counter_app.db.models import MemberCategory
from counter_app.errors import (
    BlockedMember, InactiveItem, InsufficientPoints, InsufficientStock, InvalidInput,
    InvalidQuantity, LimitReached, NotEligible, PermissionDenied, UnknownItem, UnknownMember,
)
from counter_app.catalogue import set_active
from counter_app.redemption import CartLine

OLD_ID = "110105194501011234"  # born 1945: over 70
YOUNG_ID = "110105199001011234"


def state(counter, mid):
    with counter.db.read() as s:
        return (ledger.balance_of(s, mid), stock.level(s, "XF01", counter.rice),
                stock.level(s, "XF01", counter.soap))


def journal_counts(counter):
    con = sqlite3.connect(counter.db.path)
    try:
        return tuple(con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                     for t in ("points_journal", "stock_journal", "redemptions",
                               "redemption_lines"))
    finally:
        con.close()


def test_checkout_takes_points_and_stock_in_one_go(counter):
    mid = counter.member("李四", phone="13900001111", points=60)
    receipt = redemption.checkout(counter.db, counter.volunteer, mid, [
        CartLine(counter.rice, 1), CartLine(counter.soap, 3), CartLine(counter.haircut, 1),
        CartLine(counter.soap, 1)])  # repeated item lines merge
    assert receipt.total == 20 + 4 * 5 + 10
    assert (receipt.balance_before, receipt.balance_after) == (60, 10)
    assert [(l.name, l.qty, l.points) for l in receipt.lines] == [
        ("大米 5kg", 1, 20), ("香皂", 4, 20), ("义剪（理发）", 1, 10)]
    assert receipt.member_name == "李四" and receipt.phone_masked == "139****1111"
    assert receipt.receipt_no == "XF01-000001" and receipt.operator == "王阿姨"
    assert state(counter, mid) == (10, 9, 96)
    second = redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 2)])
    assert second.receipt_no == "XF01-000002"
    assert check.verify(counter.db).ok


@pytest.mark.parametrize("lines, error", [
    ([], InvalidInput),
    ([CartLine(1, 0)], InvalidQuantity),
    ([CartLine(1, -2)], InvalidQuantity),
    ([CartLine(1, 1.5)], InvalidQuantity),
    ([CartLine(9999, 1)], UnknownItem),
])
def test_bad_carts_write_nothing(counter, lines, error):
    mid = counter.member(points=100)
    before = journal_counts(counter), state(counter, mid)
    with pytest.raises(error):
        redemption.checkout(counter.db, counter.volunteer, mid, lines)
    assert (journal_counts(counter), state(counter, mid)) == before


def test_insufficient_points_is_explained_and_nothing_written(counter):
    mid = counter.member(points=30)
    before = journal_counts(counter)
    with pytest.raises(InsufficientPoints) as err:
        redemption.checkout(counter.db, counter.volunteer, mid,
                            [CartLine(counter.rice, 1), CartLine(counter.soap, 3)])
    assert str(err.value) == "积分不足：需要 35 分，当前余额 30 分"
    assert journal_counts(counter) == before
    assert state(counter, mid) == (30, 10, 100)


def test_stock_never_goes_negative(counter):
    mid = counter.member(points=200)
    stock.adjust(counter.db, counter.stock_staff, counter.rice, -9, "破损")
    with pytest.raises(LimitReached):
        redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.rice, 3)])
    with pytest.raises(InsufficientStock, match="大米 5kg 只剩 1袋"):
        redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.rice, 2)])
    assert state(counter, mid) == (200, 1, 100)


def test_limit_per_member_per_period(counter):
    mid = counter.member(points=100)
    redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.rice, 2)])
    with pytest.raises(LimitReached) as err:
        redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.rice, 1)])
    assert str(err.value) == "“大米 5kg”每位会员每季度限兑 2 袋：本季度已兑 2 袋，这次共 1 袋"
    other = counter.member("王五", points=20)
    redemption.checkout(counter.db, counter.volunteer, other, [CartLine(counter.rice, 1)])


def test_voided_redemption_gives_back_points_stock_and_limit(counter):
    mid = counter.member(points=100)
    r = redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.rice, 2)])
    with pytest.raises(PermissionDenied):
        redemption.void(counter.db, counter.volunteer, r.receipt_no, "拿错了")
    with pytest.raises(InvalidInput):
        redemption.void(counter.db, counter.admin, r.receipt_no, "")
    voided = redemption.void(counter.db, counter.admin, r.receipt_no, "拿错了")
    assert voided.voided
    assert state(counter, mid) == (100, 10, 100)
    # the quota is free again
    redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.rice, 2)])
    with pytest.raises(Exception, match="已经撤销过"):
        redemption.void(counter.db, counter.admin, r.receipt_no, "再作废")
    assert check.verify(counter.db).ok


def test_age_limited_service(counter):
    old = counter.member("赵大爷", id_number=OLD_ID, points=20)
    young = counter.member("赵小弟", id_number=YOUNG_ID, points=20)
    unknown = counter.member("钱某", points=20)
    redemption.checkout(counter.db, counter.volunteer, old, [CartLine(counter.meal, 1)])
    with pytest.raises(NotEligible, match="70 岁及以上"):
        redemption.checkout(counter.db, counter.volunteer, young, [CartLine(counter.meal, 1)])
    with pytest.raises(NotEligible, match="未登记出生日期"):
        redemption.checkout(counter.db, counter.volunteer, unknown, [CartLine(counter.meal, 1)])


def test_inactive_item_unknown_and_blocked_member(counter):
    mid = counter.member(points=50)
    set_active(counter.db, counter.stock_staff, counter.soap, False)
    with pytest.raises(InactiveItem, match="已下架"):
        redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 1)])
    with pytest.raises(UnknownMember):
        redemption.checkout(counter.db, counter.volunteer, 424242, [CartLine(counter.rice, 1)])
    members.set_blocked(counter.db, counter.admin, mid, True, "搬离社区")
    with pytest.raises(BlockedMember):
        redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.rice, 1)])


def test_receipt_reprint_matches_checkout(counter):
    mid = counter.member("孙七", category=MemberCategory.PARTY_NO_POST, points=30)
    r = redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 2)])
    with counter.db.read() as s:
        assert redemption.receipt(s, r.receipt_no) == r
        assert redemption.last_receipt_no(s, "XF01") == r.receipt_no


def test_usage_and_validate_cart_explain_before_checkout(counter):
    from counter_app import rules
    from counter_app.journal import utcnow

    mid = counter.member(points=100)
    redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.rice, 1)])
    with counter.db.read() as s:
        rows = {u.item: (u.used, u.limit, u.period, u.left) for u in rules.usage(s, mid, utcnow())}
        assert rows["大米 5kg"] == (1, 2, "每季度", 1)
        assert rows["10元爱心餐"] == (0, 1, "每月", 1)
        assert redemption.validate_cart(s, "XF01", mid, [CartLine(counter.rice, 1)]) == 20
        with pytest.raises(LimitReached):
            redemption.validate_cart(s, "XF01", mid, [CartLine(counter.rice, 2)])
        with pytest.raises(InsufficientPoints):
            redemption.validate_cart(s, "XF01", mid, [CartLine(counter.soap, 17)])
        with pytest.raises(InsufficientStock):
            redemption.validate_cart(s, "XF01", mid, [CartLine(counter.soap, 101)])


def test_quarterly_redemption_window(counter):
    from datetime import datetime, date

    from counter_app.db.models import Setting
    from counter_app.rules import WINDOW_SETTING, Window

    w = Window(15)
    assert w.opens_on(date(2026, 11, 22)) == date(2026, 12, 17)
    assert not w.is_open(date(2026, 12, 16)) and w.is_open(date(2026, 12, 17))
    assert w.is_open(date(2026, 12, 31)) and not w.is_open(date(2027, 1, 1))
    assert Window.decode(w.encode()) == w and Window.decode("always").is_open(date(2026, 1, 1))
    with pytest.raises(InvalidInput):
        Window.decode("quarter_last_days:abc")

    mid = counter.member(points=20)
    with counter.db.write() as s:  # a window of 1 day: the last day of this quarter
        s.merge(Setting(key=WINDOW_SETTING, value="quarter_last_days:1"))
    from counter_app import clock

    # Mid-quarter by the one clock (not whatever today is: CI must not skip on Dec 31).
    with clock.frozen(datetime(2026, 11, 22, 12, 0)):
        with pytest.raises(NotEligible, match="一季一兑换"):
            redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 1)])
    assert state(counter, mid)[0] == 20
    with clock.frozen(datetime(2026, 12, 31, 12, 0)):  # the last day, in any time zone: open
        redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 1)])


def test_redemption_points_are_undone_only_by_voiding(counter):
    from counter_app.errors import NotReversible

    mid = counter.member(points=50)
    r = redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.rice, 1)])
    with counter.db.read() as s:
        entry = [e for e in ledger.history(s, mid) if e.kind == "redemption"][0]
    with pytest.raises(NotReversible, match=f"作废小票 {r.receipt_no}"):
        ledger.reverse(counter.db, counter.admin, entry.id, "想退积分")
    assert state(counter, mid)[:2] == (30, 9)
    redemption.void(counter.db, counter.admin, r.receipt_no, "退货")
    assert state(counter, mid)[:2] == (50, 10)


def test_void_only_at_the_counter_that_sold(counter):
    import dataclasses

    from counter_app.db.models import Counter as CounterRow
    from counter_app.errors import NotReversible

    mid = counter.member(points=50)
    r = redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.rice, 1)])
    with counter.db.write() as s:
        s.add(CounterRow(id="XF02", community_id=counter.info.community_id, name="二号柜台"))
    elsewhere = dataclasses.replace(counter.admin, counter_id="XF02")
    with pytest.raises(NotReversible, match="XF01 柜台开的"):
        redemption.void(counter.db, elsewhere, r.receipt_no, "拿错了")
    assert state(counter, mid)[:2] == (30, 9)


def test_journal_refuses_values_it_would_hash_differently(counter):
    mid = counter.member(points=10)
    from counter_app.errors import ValueOutOfRange
    with pytest.raises(ValueOutOfRange):  # a typed error with a Chinese message now
        ledger.adjust(counter.db, counter.admin, mid, True, "布尔值")
    with pytest.raises(TypeError):
        ledger.adjust(counter.db, counter.admin, str(mid), 5, "字符串编号")
    assert check.verify(counter.db).ok and state(counter, mid)[0] == 10


def test_window_rule_is_validated_in_the_core(counter):
    from counter_app import rules

    with pytest.raises(InvalidInput):
        rules.set_window(counter.db, counter.admin, rules.Window(0))
    with counter.db.read() as s:
        assert rules.window(s) == rules.Window()
