"""A merchant offer (老王理发店's 理发八折券) and vouchers redeemed for it, for the tests
of vouchers at the counter and in lookup."""

from counter_app import items, redemption
from counter_app.db.models import ItemKind
from counter_app.merchants import add as add_merchant


def add_offer(counter, voucher_days: int = 7) -> int:
    shop = add_merchant(counter.db, counter.stock_staff, "老王理发店", address="幸福路 3 号")
    return items.add_item(counter.db, counter.stock_staff,
                          community_id=counter.info.community_id, name="理发八折券",
                          kind=ItemKind.MERCHANT_OFFER, category="商家优惠", points=15,
                          unit="张", merchant_id=shop, voucher_days=voucher_days)


def redeem_vouchers(counter, qty: int = 1, member: str = "钱七") -> tuple:
    """``qty`` vouchers of a new offer, redeemed by a new member: their VoucherInfos."""
    offer = add_offer(counter)
    mid = counter.member(member, points=40)
    return redemption.checkout(counter.db, counter.volunteer, mid,
                               [redemption.CartLine(offer, qty)]).vouchers
