"""Every points and quantity input is bounded (|value| <= 10,000,000) with a typed error."""

import pytest
from sqlalchemy import text

from counter_app import catalogue, check, ledger, redemption, stock
from counter_app.bounds import MAX_AMOUNT
from counter_app.db.models import ItemKind, LimitPeriod
from counter_app.errors import ValueOutOfRange
from counter_app.redemption import CartLine

HUGE = (2**62, 2**63, -(2**63), MAX_AMOUNT + 1, -(MAX_AMOUNT + 1))


def _untouched(counter):
    with counter.db.read() as s:
        return s.execute(text("SELECT (SELECT COUNT(*) FROM points_journal), "
                              "(SELECT COUNT(*) FROM stock_journal), "
                              "(SELECT SUM(balance) FROM points_accounts), "
                              "(SELECT SUM(qty) FROM stock_levels)")).one()


def test_adjust_twice_by_2_62_and_by_2_63_is_refused_and_check_stays_clean(counter):
    mid = counter.member()
    before = _untouched(counter)
    for _ in range(2):
        with pytest.raises(ValueOutOfRange, match="超出范围"):
            ledger.adjust(counter.db, counter.admin, mid, 2**62, "溢出")
    with pytest.raises(ValueOutOfRange, match="10,000,000"):
        ledger.adjust(counter.db, counter.admin, mid, 2**63, "溢出")
    with pytest.raises(ValueOutOfRange):
        ledger.expire(counter.db, counter.admin, mid, 2**63, "溢出")
    assert _untouched(counter) == before
    ledger.adjust(counter.db, counter.admin, mid, MAX_AMOUNT, "上限本身可以")
    assert check.verify(counter.db).ok


@pytest.mark.parametrize("value", HUGE)
def test_stock_inputs_are_bounded(counter, value):
    before = _untouched(counter)
    if value > 0:
        with pytest.raises(ValueOutOfRange):
            stock.receive(counter.db, counter.stock_staff, counter.soap, value)
    with pytest.raises(ValueOutOfRange):
        stock.adjust(counter.db, counter.stock_staff, counter.soap, value, "盘点")
    assert _untouched(counter) == before


@pytest.mark.parametrize("lines", [
    [CartLine(2, 2**62)],
    [CartLine(2, 2**63)],
    [CartLine(2, 6_000_000), CartLine(2, 6_000_000)],  # bounded after merging the lines
])
def test_checkout_quantities_are_bounded(counter, lines):
    mid = counter.member(points=10)
    lines = [CartLine(counter.soap, line.qty) for line in lines]
    before = _untouched(counter)
    with pytest.raises(ValueOutOfRange, match="兑换数量"):
        redemption.checkout(counter.db, counter.volunteer, mid, lines)
    assert _untouched(counter) == before


@pytest.mark.parametrize("field, value", [("points", 2**63), ("points", MAX_AMOUNT + 1),
                                          ("limit_qty", 2**62)])
def test_item_points_and_limits_are_bounded(counter, field, value):
    args = dict(community_id=counter.info.community_id, name="金条", kind=ItemKind.GOODS,
                category="粮油", points=10)
    args[field] = value
    if field == "limit_qty":
        args["limit_period"] = LimitPeriod.MONTH
    with pytest.raises(ValueOutOfRange):
        catalogue.add_item(counter.db, counter.stock_staff, **args)
