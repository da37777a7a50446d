"""The counter window, driven like a volunteer drives it (pytest-qt, offscreen)."""

import sqlite3
import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QAbstractItemModelTester, QTest
from PySide6.QtWidgets import QApplication, QPushButton

from counter_app import card_codes, ledger, stock
from counter_app.catalogue import list_items
from counter_app.members import get_member
from counter_app.ui.common.ops import wait_idle
from counter_app.ui.counter.cart_model import CartModel
from counter_app.ui.common.member_results_model import MemberResultsModel
from ui_helpers import counter_session, login, press_on_next_dialog, wedge_scan

OLD_ID = "110105194501011234"
UNISSUED = card_codes.nth_code("XF01", 999)


@pytest.fixture
def session(qtbot, counter, tmp_path):
    yield from counter_session(qtbot, counter, tmp_path)


def page_of(window):
    return window.pages[0]


def balance_and_stock(counter, mid, item):
    with counter.db.read() as s:
        return ledger.balance_of(s, mid), stock.level(s, "XF01", item)


def card_of(counter, mid):
    with counter.db.read() as s:
        return get_member(s, mid).card_code


def item_row(counter, item_id):
    with counter.db.read() as s:
        return next(r for r in list_items(s, "XF01") if r.id == item_id)


def add_tile(qtbot, page, item_id):
    with qtbot.waitSignal(page.cart.changed, timeout=5000):
        page.tiles.buttons[item_id].click()


def test_whole_flow_scan_add_checkout_receipt(qtbot, session, counter, tmp_path):
    mid = counter.member("张三", phone="13812345678", points=100, id_number=OLD_ID)
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    qtbot.waitUntil(lambda: counter.rice in page.tiles.buttons, timeout=5000)
    assert page.input.hasFocus()
    with qtbot.waitSignal(page.member_shown, timeout=5000) as shown:
        wedge_scan(page.input, card_of(counter, mid))
    assert shown.args == [mid]
    assert page.panel.name.text() == "张三" and page.input.text() == ""
    add_tile(qtbot, page, counter.rice)
    add_tile(qtbot, page, counter.soap)
    add_tile(qtbot, page, counter.meal)
    with qtbot.waitSignal(page.cart.changed, timeout=5000):  # scan an item barcode too
        wedge_scan(page.input, "6901234567908")  # soap
    assert [(e.item.id, e.qty) for e in page.cart.entries()] == [
        (counter.rice, 1), (counter.soap, 2), (counter.meal, 1)]
    assert page.cart.total() == 20 + 10 + 10
    press_on_next_dialog(Qt.Key.Key_Return)  # "confirm with Enter"
    with qtbot.waitSignal(page.checked_out, timeout=10_000) as done:
        QTest.keyClick(page.input, Qt.Key.Key_F9)
    receipt = done.args[0]
    assert receipt.total == 40 and receipt.balance_after == 60
    pdf = tmp_path / "receipts" / f"{receipt.receipt_no}.pdf"  # printed after the commit
    qtbot.waitUntil(lambda: pdf.exists() and pdf.stat().st_size > 1000, timeout=10_000)
    assert balance_and_stock(counter, mid, counter.rice) == (60, 9)
    assert balance_and_stock(counter, mid, counter.soap)[1] == 98
    assert page.cart.rowCount() == 0
    qtbot.waitUntil(lambda: "60" in page.panel.balance.text(), timeout=5000)
    qtbot.waitUntil(lambda: window.focusWidget() is page.input, timeout=2000)


def test_enter_on_search_results_and_pinyin_initials(qtbot, session, counter):
    counter.member("曾小明", phone="13900001111", points=10)
    target = counter.member("张三丰", phone="13900002222", points=20)
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    with qtbot.waitSignal(page.results_shown, timeout=5000):
        QTest.keyClicks(page.input, "zsf")
    assert page.results_model.rowCount() == 1
    assert page.results_model.row_at(0).name == "张三丰"
    with qtbot.waitSignal(page.member_shown, timeout=5000) as shown:
        QTest.keyClick(page.input, Qt.Key.Key_Return)
    assert shown.args == [target]
    with qtbot.waitSignal(page.results_shown, timeout=5000):
        QTest.keyClicks(page.input, "z")  # 曾 is read zeng, so it is found by z
    assert "曾小明" in [page.results_model.row_at(i).name
                       for i in range(page.results_model.rowCount())]


def test_typing_slowly_is_not_a_scan(qtbot, session, counter):
    counter.member("王五", phone="13700005678")
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    received = []
    session.wedge.scanned.connect(received.append)
    for ch in "13700005678":
        QTest.keyClick(page.input, ch)
        QTest.qWait(70)  # a person, not a scanner
    qtbot.waitUntil(lambda: page.results_model.rowCount() == 1, timeout=5000)
    assert received == []


def test_insufficient_points_and_limit_explained(qtbot, session, counter):
    mid = counter.member("李四", points=30, id_number=OLD_ID)
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    with qtbot.waitSignal(page.member_shown, timeout=5000):
        wedge_scan(page.input, card_of(counter, mid))
    add_tile(qtbot, page, counter.rice)  # 20 of 30
    with qtbot.waitSignal(page.message_shown, timeout=5000) as msg:
        page.add_item(item_row(counter, counter.rice))  # 40 > 30, e.g. scanned
    assert msg.args == ["积分不足：需要 40 分，当前余额 30 分"]
    assert page.cart.qty_of(counter.rice) == 1
    page.cart.clear()
    add_tile(qtbot, page, counter.meal)
    with qtbot.waitSignal(page.message_shown, timeout=5000) as msg:
        page.add_item(item_row(counter, counter.meal))  # 1 per month
    assert msg.args[0] == "“10元爱心餐”每位会员每月限兑 1 份：本月已兑 0 份，这次共 2 份"
    assert "color: #b00020" in page.message.styleSheet()
    assert balance_and_stock(counter, mid, counter.rice) == (30, 10)  # nothing written


def test_void_with_admin_pin(qtbot, session, counter, monkeypatch):
    mid = counter.member("赵六", points=50)
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    monkeypatch.setattr(page, "confirm", lambda question: True)
    with qtbot.waitSignal(page.member_shown, timeout=5000):
        wedge_scan(page.input, card_of(counter, mid))
    add_tile(qtbot, page, counter.rice)
    with qtbot.waitSignal(page.checked_out, timeout=10_000) as done:
        page.checkout()
    receipt_no = done.args[0].receipt_no
    assert balance_and_stock(counter, mid, counter.rice) == (30, 9)

    from counter_app.ui.counter.void_dialog import VoidDialog
    dialog = VoidDialog(page.ctx, page)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.admin.count() == 1, timeout=5000)
    assert dialog.receipt_no.text() == receipt_no
    dialog.reason.setText("会员拿错了")
    dialog.pin.setText("9999")
    dialog.submit()
    qtbot.waitUntil(lambda: "PIN 不正确" in dialog.message.text(), timeout=5000)
    assert balance_and_stock(counter, mid, counter.rice) == (30, 9)
    dialog.pin.setText("1234")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.submit()
    voided = dialog.result_receipt
    assert voided.voided and voided.receipt_no == receipt_no
    assert balance_and_stock(counter, mid, counter.rice) == (50, 10)


def test_wrong_pin_lockout_at_login(qtbot, session, counter):
    dialog = session.login
    dialog.select_operator(counter.volunteer.operator_id)
    for _attempt in range(5):
        QTest.keyClicks(dialog.pin, "0000")
        QTest.keyClick(dialog.pin, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.pin.isEnabled(), timeout=5000)
        assert dialog.operator_buttons.checkedId() == counter.volunteer.operator_id
    assert "已锁定" in dialog.message.text()
    QTest.keyClicks(dialog.pin, "1111")  # even the right PIN now
    QTest.keyClick(dialog.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.pin.isEnabled(), timeout=5000)
    assert "已锁定" in dialog.message.text() and session.window is None


def test_pin_pad_buttons_log_in(qtbot, session, counter):
    dialog = session.login
    dialog.select_operator(counter.admin.operator_id)
    for digit in "1234":
        dialog.findChild(QPushButton, f"pin_{digit}").click()
    assert dialog.pin.text() == "1234"
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.findChild(QPushButton, "pin_ok").click()
    assert session.window.ctx.actor.name == "管理员"


def test_unknown_code_is_explained_not_crashing(qtbot, session, counter):
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    with qtbot.waitSignal(page.message_shown, timeout=5000) as msg:
        wedge_scan(page.input, UNISSUED)  # a well-formed code no card carries
    assert f"卡号 {UNISSUED} 不存在" in msg.args[0]
    with qtbot.waitSignal(page.message_shown, timeout=5000) as msg:
        wedge_scan(page.input, "XF99999999")  # a wrong check character
    assert "校验位不对" in msg.args[0]
    with qtbot.waitSignal(page.message_shown, timeout=5000) as msg:
        wedge_scan(page.input, "ABC123456")
    assert "既不是会员卡，也不是兑换物品" in msg.args[0]


def test_table_models_pass_qt_model_tester(counter):
    results = MemberResultsModel()
    tester = QAbstractItemModelTester(results, QAbstractItemModelTester.FailureReportingMode.Fatal)
    mid = counter.member("张三", points=30)
    with counter.db.read() as s:
        results.set_rows([get_member(s, mid)])
    assert results.rowCount() == 1 and results.data(results.index(0, 5)) == 30
    cart = CartModel()
    tester2 = QAbstractItemModelTester(cart, QAbstractItemModelTester.FailureReportingMode.Fatal)
    soap = item_row(counter, counter.soap)
    cart.add(soap)
    cart.add(soap, 2)
    cart.add(item_row(counter, counter.rice))
    assert [(e.item.name, e.qty) for e in cart.entries()] == [("香皂", 3), ("大米 5kg", 1)]
    cart.set_qty(0, 0)
    assert cart.rowCount() == 1 and cart.total() == 20
    cart.clear()
    assert cart.rowCount() == 0 and tester and tester2


def test_database_has_no_half_written_redemption_after_failed_checkout(qtbot, session, counter):
    mid = counter.member("孙七", points=20)
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    with qtbot.waitSignal(page.member_shown, timeout=5000):
        wedge_scan(page.input, card_of(counter, mid))
    add_tile(qtbot, page, counter.rice)
    # someone else takes the last rice between adding and checking out
    stock.adjust(counter.db, counter.stock_staff, counter.rice, -10, "盘亏")
    page.confirm = lambda question: True
    page.checkout()
    qtbot.waitUntil(lambda: "库存不足" in page.message.text(), timeout=10_000)
    assert not page._checking_out and page.cart.rowCount() == 1
    con = sqlite3.connect(counter.db.path)
    assert con.execute("SELECT COUNT(*) FROM redemptions").fetchone()[0] == 0
    con.close()
    assert balance_and_stock(counter, mid, counter.rice) == (20, 0)


def scan_member(qtbot, page, counter, mid):
    with qtbot.waitSignal(page.member_shown, timeout=5000):
        wedge_scan(page.input, card_of(counter, mid))


def redemptions(counter):
    con = sqlite3.connect(counter.db.path)
    try:
        return con.execute("SELECT COUNT(*) FROM redemptions").fetchone()[0]
    finally:
        con.close()


def test_second_checkout_while_first_is_on_its_way_posts_nothing(qtbot, session, counter):
    mid = counter.member("周一", points=100)
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    page.confirm = lambda question: True
    scan_member(qtbot, page, counter, mid)
    add_tile(qtbot, page, counter.soap)
    release = threading.Event()
    from counter_app.ui.common.ops import Op
    Op(page, release.wait, 10).run()  # the worker is busy (e.g. a slow query)
    page.checkout()
    page.checkout()  # F9 again, and Enter on the empty box
    QTest.keyClick(page.input, Qt.Key.Key_Return)
    release.set()
    qtbot.waitUntil(lambda: redemptions(counter) == 1 and not page._checking_out, timeout=10_000)
    qtbot.wait(200)
    assert redemptions(counter) == 1
    assert balance_and_stock(counter, mid, counter.soap) == (95, 99)


def test_scan_while_confirm_is_open_changes_nothing(qtbot, session, counter):
    """A real confirm box is open (no monkeypatch) when the wedge scanner sends rice."""
    mid = counter.member("吴二", points=100)
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    scan_member(qtbot, page, counter, mid)
    add_tile(qtbot, page, counter.soap)
    seen = []

    def scan_then_confirm():
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(20, scan_then_confirm)
            return
        seen.append(modal.text())
        wedge_scan(page.input, "6901234567892")  # rice barcode while the box is open
        for _ in range(4):  # time for a (wrong) lookup, then an add, to land
            wait_idle()
            QTest.qWait(50)
        QTest.keyClick(modal, Qt.Key.Key_Return)

    QTimer.singleShot(20, scan_then_confirm)
    with qtbot.waitSignal(page.checked_out, timeout=10_000) as done:
        page.checkout()
    assert seen and "5" in seen[0]
    assert done.args[0].total == 5
    assert balance_and_stock(counter, mid, counter.rice) == (95, 10)


def test_cart_changed_while_confirming_charges_nothing(qtbot, session, counter):
    """A late answer adds rice while the real confirm box is open: what was confirmed is
    no longer the cart, so nothing may be charged (fails without the generation check)."""
    mid = counter.member("钱三", points=100)
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    scan_member(qtbot, page, counter, mid)
    add_tile(qtbot, page, counter.soap)
    release = threading.Event()
    from counter_app.ui.common.ops import Op
    Op(page, release.wait, 10).run()  # the worker is busy …
    page.tiles.buttons[counter.rice].click()  # … so this add is answered later

    def late_answer_then_confirm():
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(20, late_answer_then_confirm)
            return
        release.set()
        qtbot.waitUntil(lambda: page.cart.qty_of(counter.rice) == 1, timeout=5000)
        QTest.keyClick(modal, Qt.Key.Key_Return)

    QTimer.singleShot(20, late_answer_then_confirm)
    page.checkout()
    assert "cart changed while you were confirming" in page.message.text()
    qtbot.wait(300)
    assert redemptions(counter) == 0 and not page._checking_out
    assert balance_and_stock(counter, mid, counter.soap) == (100, 100)


def test_late_answer_for_previous_member_is_dropped(qtbot, session, counter):
    a = counter.member("郑三", points=100)
    b = counter.member("王四", points=100)
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    scan_member(qtbot, page, counter, a)
    release = threading.Event()
    from counter_app.ui.common.ops import Op
    Op(page, release.wait, 10).run()
    page.tiles.buttons[counter.soap].click()  # validated for 郑三 … later
    page.select_member(b)  # … meanwhile the volunteer moved on to 王四
    release.set()
    qtbot.waitUntil(lambda: page.member is not None and page.member.id == b, timeout=5000)
    qtbot.wait(200)
    assert page.cart.rowCount() == 0


def test_plus_minus_delete_keys_on_the_empty_scan_box(qtbot, session, counter):
    mid = counter.member("冯五", points=100)
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    scan_member(qtbot, page, counter, mid)
    add_tile(qtbot, page, counter.soap)
    with qtbot.waitSignal(page.cart.changed, timeout=5000):
        QTest.keyClick(page.input, Qt.Key.Key_Plus)
    assert page.cart.qty_of(counter.soap) == 2 and page.input.text() == ""
    QTest.keyClick(page.input, Qt.Key.Key_Minus)
    assert page.cart.qty_of(counter.soap) == 1
    QTest.keyClick(page.input, Qt.Key.Key_Delete)
    assert page.cart.rowCount() == 0


def test_logout_clears_member_and_cart(qtbot, session, counter):
    mid = counter.member("陈六", points=100)
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    scan_member(qtbot, page, counter, mid)
    add_tile(qtbot, page, counter.soap)
    window.logout_requested.emit()
    assert page.member is None and page.cart.rowCount() == 0
    login(qtbot, session, counter.admin.operator_id, "1234")
    assert page.panel.name.text() != "陈六"


def test_logout_leaves_no_balance_search_or_greyed_tile_behind(qtbot, session, counter):
    """B7: after a member was shown with an empty cart, the total line said
    'balance 12 → 12' and kept saying it for the next operator."""
    mid = counter.member("陈七", points=10)
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    qtbot.waitUntil(lambda: counter.rice in page.tiles.buttons, timeout=5000)
    with qtbot.waitSignal(page.room_shown, timeout=5000):
        scan_member(qtbot, page, counter, mid)
    assert "10 → 10" in page.total.text()
    assert page.tiles.buttons[counter.rice].property("blocked")  # 20 > 10
    with qtbot.waitSignal(page.results_shown, timeout=5000):
        QTest.keyClicks(page.input, "cq")
    window.logout_requested.emit()
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    assert page_of(window) is page
    assert page.member is None and "→" not in page.total.text()
    assert "10" not in page.total.text() and page.panel.balance.text() == ""
    assert page.input.text() == "" and page.results_model.rowCount() == 0
    assert not page.choice.isVisible() and page.message.text() == ""
    assert not page.tiles.buttons[counter.rice].property("blocked")
    assert page.panel.recent.count() == 0 and page.panel.usage.text() == ""


def test_double_tap_on_login_counts_one_wrong_pin(qtbot, session, counter):
    from counter_app.db.models import Operator

    dialog = session.login
    dialog.select_operator(counter.volunteer.operator_id)
    QTest.keyClicks(dialog.pin, "0000")
    for _ in range(3):
        dialog.try_login()
    qtbot.waitUntil(lambda: dialog.pin.isEnabled(), timeout=5000)
    with counter.db.read() as s:
        assert s.get(Operator, counter.volunteer.operator_id).failed_pins == 1
