"""A merchant's voucher scanned in the counter's scan box (pytest-qt): shown with merchant,
offer, member, validity and state; marked used after a confirmation, exactly once; a
mistyped, used or expired one refused in plain words."""

from datetime import timedelta

import pytest

from counter_app import clock, vouchers
from ui_helpers import counter_session, login, wedge_scan
from voucher_helpers import redeem_vouchers


@pytest.fixture
def session(qtbot, counter, tmp_path, language):
    language("zh_CN")  # what the volunteer reads
    yield from counter_session(qtbot, counter, tmp_path)


@pytest.fixture
def voucher(counter):
    return redeem_vouchers(counter, 2)


def _scan(qtbot, page, code):
    with qtbot.waitSignal(page.message_shown, timeout=5000) as msg:
        wedge_scan(page.input, code)
    return msg.args[0]


def test_a_scanned_voucher_is_shown_and_used_once_after_confirming(qtbot, session, counter,
                                                                 voucher):
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = window.pages[0]
    asked = []
    page.confirm = lambda question: asked.append(question) or len(asked) > 1
    first, second = voucher
    said = _scan(qtbot, page, first.code)
    assert first.code in said and "有效" in said
    facts = page.voucher.facts.text()
    for expected in ("老王理发店", "理发八折券", "钱七", f"{first.last_day:%Y-%m-%d}"):
        assert expected in facts, expected
    assert page.voucher.isVisible() and page.voucher.use_button.isVisible()
    page.voucher.use_button.click()  # the first confirmation is answered No: nothing used
    assert first.code in asked[0]
    with counter.db.read() as s:
        assert vouchers.check(s, first.code).status is None
    with qtbot.waitSignal(page.voucher_used, timeout=10_000):
        page.voucher.use_button.click()
    assert not page.voucher.use_button.isVisible() and "已核销" in page.voucher.state.text()
    with counter.db.read() as s:
        assert vouchers.check(s, first.code).status == "used"
    # scanned again: refused in words, no button to use it a second time
    said = _scan(qtbot, page, first.code.lower())
    assert f"优惠券 {first.code} 已于" in said and "不能再用" in said
    assert not page.voucher.use_button.isVisible() and "不能再用" in page.voucher.state.text()
    # a mistyped check digit is caught before any look-up
    wrong = second.code[:-1] + str((int(second.code[-1]) + 1) % 10)
    assert "校验位不对" in _scan(qtbot, page, wrong)
    # the counter keeps its cart and member: a voucher scan is not a member or an item
    assert page.cart.rowCount() == 0 and page.member is None


def test_an_expired_voucher_is_refused_at_the_counter(qtbot, session, counter, voucher):
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = window.pages[0]
    page.confirm = lambda question: True
    with clock.frozen(voucher[0].valid_until + timedelta(seconds=1)):
        said = _scan(qtbot, page, voucher[0].code)
    assert "已过期（有效期至" in said and not page.voucher.use_button.isVisible()
    # used at another till in the meantime: the button shown a moment ago is refused
    said = _scan(qtbot, page, voucher[1].code)
    assert page.voucher.use_button.isVisible()
    vouchers.use(counter.db, counter.volunteer, voucher[1].code)
    with qtbot.waitSignal(page.message_shown, timeout=10_000) as msg:
        page.voucher.use_button.click()
    assert "不能再用" in msg.args[0] and not page.voucher.use_button.isVisible()
