"""A generated counter day for the day-close and shift tests: awards, redemptions of goods,
services and a merchant voucher by two operators, a void, stock received and adjusted;
with activity the day before and the day after that must not count."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time

from counter_app import catalogue, clock, ledger, redemption, stock
from counter_app.db.models import ItemKind
from counter_app.redemption import CartLine
from earning_helpers import credit

DAY = date(2026, 3, 4)
LOCAL = datetime.now().astimezone().tzinfo


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL)


@dataclass
class GeneratedDay:
    day: date
    voucher: int
    receipts: list[str]  # of the day, in order
    voided: str  # the receipt voided on the day


def generate_day(counter, seed: int = 7, redemptions: int = 24) -> GeneratedDay:
    rnd = random.Random(seed)
    with clock.frozen(at(DAY, 8)) as c:
        voucher = catalogue.add_item(counter.db, counter.stock_staff,
                                     community_id=counter.info.community_id, name="面馆满30减10券",
                                     kind=ItemKind.MERCHANT_OFFER, category="商家优惠", points=15,
                                     unit="张", merchant="张记面馆")
        members = [counter.member(name=f"会员{i}") for i in range(6)]
        for mid in members:
            ledger.adjust(counter.db, counter.admin, mid, 2000, "期初积分")
        stock.receive(counter.db, counter.stock_staff, counter.soap, 500, note="爱心企业捐赠")
        # the day before: must not count
        c.set(at(DAY.replace(day=3), 15))
        redemption.checkout(counter.db, counter.volunteer, members[0], [CartLine(counter.soap, 1)])
        c.set(at(DAY, 9))
        receipts = []
        for n in range(redemptions):
            c.advance(minutes=17)
            actor = counter.volunteer if n % 3 else counter.admin
            cart = [CartLine(counter.soap, rnd.randint(1, 3))]
            if n % 4 == 0:
                cart.append(CartLine(counter.haircut, 1))
            if n % 7 == 0:
                cart.append(CartLine(voucher, 1))
            if n % 11 == 0:
                cart.append(CartLine(counter.rice, 1))
            receipts.append(redemption.checkout(counter.db, actor, members[n % 6],
                                                cart).receipt_no)
            if n % 5 == 0:
                credit(counter.db, counter.reviewer, rnd.choice(members),
                              counter.point_item)
        c.advance(minutes=5)
        redemption.void(counter.db, counter.admin, receipts[4], "扫错了物品",
                        requested_by="王阿姨")
        stock.receive(counter.db, counter.stock_staff, counter.rice, 5, note="街道配送")
        stock.adjust(counter.db, counter.admin, counter.soap, -2, "盘点破损")
        # the day after: must not count either
        c.set(at(DAY.replace(day=5), 10))
        redemption.checkout(counter.db, counter.volunteer, members[1], [CartLine(counter.soap, 2)])
    return GeneratedDay(DAY, voucher, receipts, receipts[4])
