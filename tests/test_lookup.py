"""lookup.resolve, member_details and the greyed-tile reasons, without Qt."""

from datetime import datetime

import pytest

from counter_app import lookup, member_details, receipt_lookup, redemption, rules
from counter_app.db.models import ExchangeItem
from counter_app.errors import BlockedCard, InvalidInput, NotFound, UnknownCard
from counter_app.members import get_member, replace_card
from counter_app.redemption import CartLine

OLD_ID = "110105194501011234"  # 80 years old


def card(counter, mid):
    with counter.db.read() as s:
        return get_member(s, mid).card_code


def test_card_item_and_search_from_a_session_or_the_database(counter):
    mid = counter.member("张三", phone="13812340725")
    hit = lookup.resolve(counter.db, card(counter, mid), "XF01")
    assert isinstance(hit, lookup.MemberHit) and hit.member.id == mid
    assert lookup.resolve(counter.db, card(counter, mid).lower(), "XF01").member.id == mid
    with counter.db.read() as s:  # inside a caller's transaction too
        item = lookup.resolve(s, " 6901234567892 ", "XF01")
    assert isinstance(item, lookup.ItemHit)
    assert (item.item.id, item.item.name, item.item.stock, item.item.unit) == (
        counter.rice, "大米 5kg", 10, "袋")
    found = lookup.resolve(counter.db, "0725", "XF01")
    assert isinstance(found, lookup.SearchResults)
    assert found.text == "0725" and [m.id for m in found.members] == [mid]
    assert lookup.resolve(counter.db, "张三", "XF01").members[0].id == mid


def test_every_match_is_returned_for_the_counter_to_choose(counter):
    ids = {counter.member("刘宇", phone=f"13{n}00000725") for n in range(3)}
    found = lookup.resolve(counter.db, "0725", "XF01")
    assert {m.id for m in found.members} == ids  # three, not the first one


def test_bad_codes_are_explained(counter):
    from counter_app import card_codes

    nobody, _ = card_codes.next_code("XF01", 999_000)  # well formed, on no card
    with pytest.raises(UnknownCard, match=f"卡号 {nobody} 不存在"):
        lookup.resolve(counter.db, nobody, "XF01")
    with pytest.raises(UnknownCard, match="校验位不对"):  # one character mistyped
        lookup.resolve(counter.db, "XF99999999", "XF01")
    with pytest.raises(NotFound, match="既不是会员卡，也不是兑换物品"):
        lookup.resolve(counter.db, "ABC123456", "XF01")
    for bad in ("", "   ", "\ud800", "69\x0012"):
        with pytest.raises(InvalidInput):
            lookup.resolve(counter.db, bad, "XF01")
    mid = counter.member("李四")
    old = card(counter, mid)
    replace_card(counter.db, counter.admin, mid)
    with pytest.raises(BlockedCard):
        lookup.resolve(counter.db, old, "XF01")


def test_an_inactive_item_is_still_found_so_the_checkout_can_say_why(counter):
    with counter.db.write() as s:
        s.get(ExchangeItem, counter.soap).active = False
    hit = lookup.resolve(counter.db, "6901234567908", "XF01")
    assert hit.item.id == counter.soap and not hit.item.active


def test_item_barcode_is_one_indexed_query_not_the_catalogue(counter):
    statements = []
    from sqlalchemy import event

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(counter.db.engine, "before_cursor_execute", seen)
    try:
        lookup.resolve(counter.db, "6901234567892", "XF01")
    finally:
        event.remove(counter.db.engine, "before_cursor_execute", seen)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1 and "item_barcodes.code = ?" in selects[0]


def test_why_not_in_plain_words(counter):
    rows = {i.id: i for i in member_details.catalogue.list_items(counter.db, "XF01")}
    rice, meal = rows[counter.rice], rows[counter.meal]
    ok = dict(spare_points=100, age=80, used=0, in_cart=0)
    assert rules.why_not(rice, **ok) is None
    assert rules.why_not(rice, **{**ok, "spare_points": 15}) == "积分不足：还差 5 分"
    assert rules.why_not(meal, **{**ok, "used": 1}) == "本月已兑 1 份，限 1 份"
    assert rules.why_not(rice, **{**ok, "used": 1, "in_cart": 1}) == \
        "本季度已兑 1 袋，购物车里 1 袋，限 2 袋"
    assert rules.why_not(meal, **{**ok, "age": 69}) == "70 岁及以上才能兑换"
    assert rules.why_not(meal, **{**ok, "age": None}).startswith("70 岁及以上才能兑换（")
    from dataclasses import replace
    assert rules.why_not(replace(rice, stock=0), **ok) == "已兑完"
    assert rules.why_not(replace(rice, stock=2), **{**ok, "in_cart": 2}) == \
        "库存只有 2 袋，都在购物车里了"


def test_cart_room_counts_the_cart_and_the_period(counter):
    mid = counter.member("王五", points=60, id_number=OLD_ID)
    redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.rice, 1)])
    room = member_details.cart_room(counter.db, counter.info, mid, [CartLine(counter.rice, 1)])
    assert room.blocked == {counter.rice: "本季度已兑 1 袋，购物车里 1 袋，限 2 袋"}
    (use,) = room.limits
    assert (use.item, use.used, use.in_cart, use.limit, use.unit, use.period) == (
        "大米 5kg", 1, 1, 2, "袋", "本季度")
    # 40 left, 20 in the cart: soap (5) and services (10) still fit, more rice does not
    room = member_details.cart_room(counter.db, counter.info, mid, [CartLine(counter.soap, 4)])
    assert counter.rice not in room.blocked and counter.meal not in room.blocked
    room = member_details.cart_room(counter.db, counter.info, mid, [CartLine(counter.soap, 7)])
    assert room.blocked[counter.rice] == "积分不足：还差 15 分"
    young = counter.member("小李", points=10)
    assert member_details.cart_room(counter.db, counter.info, young).blocked[counter.meal] == \
        "70 岁及以上才能兑换（会员未登记出生日期）"


def test_details_name_the_point_item_of_an_award(counter):
    mid = counter.member("赵六", points=10)
    d = member_details.load(counter.db, mid, counter.info)
    (award,) = d.recent
    assert award.ref.startswith(f"PI{counter.point_item}@")  # names its award (0009)
    assert d.sources == {award.ref: "志愿服务 · 微心愿"}
    assert d.member.balance == 10 and d.room.blocked[counter.rice] == "积分不足：还差 10 分"


def test_the_limit_error_uses_the_unit_and_counts_the_cart(counter):
    mid = counter.member("孙七", points=100, id_number=OLD_ID)
    with counter.db.read() as s:
        with pytest.raises(Exception) as err:
            redemption.validate_cart(s, "XF01", mid, [CartLine(counter.rice, 3)])
    assert str(err.value) == "“大米 5kg”每位会员每季度限兑 2 袋：本季度已兑 0 袋，这次共 3 袋"


def test_receipts_for_reprint_and_void(counter):
    assert receipt_lookup.last_receipt(counter.db, "XF01") is None
    mid = counter.member("周八", points=20)
    r = redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 1)])
    assert receipt_lookup.last_receipt(counter.db, "XF01").receipt_no == r.receipt_no
    choices = receipt_lookup.void_choices(counter.db, "XF01")
    assert choices.last_receipt_no == r.receipt_no
    assert choices.admins == ((counter.admin.operator_id, "管理员"),)


def test_a_voucher_code_resolves_to_its_voucher_and_a_mistyped_one_is_refused(counter):
    from counter_app import vouchers
    from voucher_helpers import redeem_vouchers

    (v,) = redeem_vouchers(counter)
    hit = lookup.resolve(counter.db, v.code.replace("-", "").lower(), "XF01")
    assert isinstance(hit, lookup.VoucherHit) and hit.refusal is None
    assert (hit.voucher.code, hit.voucher.merchant, hit.voucher.item, hit.voucher.member) == (
        v.code, "老王理发店", "理发八折券", "钱七")
    wrong = v.code[:-1] + str((int(v.code[-1]) + 1) % 10)
    with pytest.raises(vouchers.VoucherRefused, match="校验位不对"):
        lookup.resolve(counter.db, wrong, "XF01")
    vouchers.use(counter.db, counter.volunteer, v.code)
    assert "不能再用" in lookup.resolve(counter.db, v.code, "XF01").refusal
