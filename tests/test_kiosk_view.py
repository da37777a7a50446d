"""kiosk_view: what the self-service kiosk shows after a card scan (Qt-free)."""

import pytest

from counter_app import kiosk_view, redemption
from counter_app.errors import BlockedCard, InvalidCardCode, InvalidInput
from counter_app.members import get_member, replace_card
from counter_app.redemption import CartLine


def card(counter, mid):
    with counter.db.read() as s:
        return get_member(s, mid).card_code


def test_names_and_cards_are_masked():
    assert kiosk_view.mask_name("张三") == "张*"
    assert kiosk_view.mask_name("王小明") == "王*明"
    assert kiosk_view.mask_name("欧阳小明") == "欧**明"
    assert kiosk_view.mask_name("Anna Smith") == "A*** …"
    assert kiosk_view.mask_card("XF01000166J") == "166J"


def test_a_scan_shows_balance_history_and_what_can_be_redeemed(counter):
    mid = counter.member("王小明", phone="13812340725", points=30)
    redemption.checkout(counter.db, counter.volunteer, mid,
                        [CartLine(counter.soap, 2), CartLine(counter.haircut, 1)])
    view = kiosk_view.scan(counter.db, counter.info, card(counter, mid).lower())
    assert view.name == "王*明" and "0725" not in repr(view) and "王小明" not in repr(view)
    assert view.balance == 10
    assert [e.points for e in view.earnings] == [10, 10, 10]
    assert view.earnings[0].what == "志愿服务 · 微心愿"
    assert len(view.redemptions) == 1 and view.redemptions[0].points == -20
    assert view.redemptions[0].what == "香皂 ×2、义剪（理发） ×1"
    assert {i.name for i in view.redeemable} == {"香皂", "义剪（理发）"}
    # the rice costs 20: 10 short; the meal (70+) is out of age, not "close"
    assert [(i.name, i.missing) for i in view.close] == [("大米 5kg", 10)]
    assert view.notice is None
    assert kiosk_view.spoken_balance(view) == "您的积分余额是 10 分"


def test_only_a_card_opens_a_view(counter):
    counter.member("张三", phone="13812340725", points=10)
    for typed in ("13812340725", "0725", "张三", "6901234567892"):
        with pytest.raises(InvalidInput, match="请扫描会员卡"):
            kiosk_view.scan(counter.db, counter.info, typed)


def test_bad_and_blocked_cards_say_so(counter):
    mid = counter.member("张三", points=10)
    code = card(counter, mid)
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    with pytest.raises(InvalidCardCode):
        kiosk_view.scan(counter.db, counter.info, wrong)
    replace_card(counter.db, counter.admin, mid)
    with pytest.raises(BlockedCard):
        kiosk_view.scan(counter.db, counter.info, code)
    view = kiosk_view.scan(counter.db, counter.info, card(counter, mid))
    assert view.balance == 10
