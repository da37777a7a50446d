"""The counter page as a volunteer meets it: several matches, another member's card with
a full cart, greyed tiles, plain words (pytest-qt, offscreen, real dialogs)."""

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from counter_app.ui.common.member_results_model import COL_ADDRESS
from counter_app.ui.counter import counter_calls
from counter_app.ui.counter.item_tiles import keep_numbers_whole
from counter_app.ui.common.text import fill
from test_ui_counter import OLD_ID, add_tile, card_of, page_of, scan_member, session  # noqa: F401
from ui_helpers import login, wedge_scan


def three_liu_yu(counter):
    return [counter.member("刘宇", phone=f"13{n}00000725", points=10 * (n + 1)) for n in range(3)]


def answer_next_question(button, delay_ms: int = 30, seen=None):
    """Click ``button`` of the next real modal question, as a volunteer would."""
    def answer():
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, QMessageBox):
            QTimer.singleShot(delay_ms, answer)
            return
        if seen is not None:
            seen.append(modal.text())
        modal.button(button).click()

    QTimer.singleShot(delay_ms, answer)


def test_enter_never_picks_one_of_several_matches(qtbot, session, counter):
    ids = three_liu_yu(counter)
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    picked = []
    page.member_shown.connect(picked.append)
    with qtbot.waitSignal(page.results_shown, timeout=5000):
        QTest.keyClicks(page.input, "0725")
    assert page.results_model.rowCount() == 3 and page.choice.isVisible()
    assert page.choice.count.text() == "3 members found: choose one with ↑/↓, then press Enter."
    with qtbot.waitSignal(page.message_shown, timeout=5000) as msg:
        QTest.keyClick(page.input, Qt.Key.Key_Return)
    assert msg.args[0] == "Choose one of them with ↑/↓ first, then press Enter."
    assert page.input.selectedText() == "0725"  # typing now starts a new search
    qtbot.wait(200)
    assert picked == [] and page.member is None
    QTest.keyClick(page.input, Qt.Key.Key_Down)
    QTest.keyClick(page.input, Qt.Key.Key_Down)
    second = page.results_model.row_at(1).id
    with qtbot.waitSignal(page.member_shown, timeout=5000) as shown:
        QTest.keyClick(page.input, Qt.Key.Key_Return)
    assert shown.args == [second] and second in ids
    assert not page.choice.isVisible()


def test_enter_before_the_results_arrive_does_not_pick_either(qtbot, session, counter):
    three_liu_yu(counter)
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    picked = []
    page.member_shown.connect(picked.append)
    page.input.setText("0725")
    with qtbot.waitSignal(page.message_shown, timeout=5000) as msg:
        page._enter()  # the search for the text may still be on its way
    qtbot.waitUntil(lambda: page.results_model.rowCount() == 3, timeout=5000)
    assert msg.args[0].startswith("Choose one of them") and picked == []
    assert page.choice.count.text().startswith("3 members found")


def test_a_single_match_is_taken_by_enter_and_a_click_chooses(qtbot, session, counter):
    ids = three_liu_yu(counter)
    only = counter.member("钱多多", phone="13912345678")
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    with qtbot.waitSignal(page.results_shown, timeout=5000):
        QTest.keyClicks(page.input, "qdd")
    with qtbot.waitSignal(page.member_shown, timeout=5000) as shown:
        QTest.keyClick(page.input, Qt.Key.Key_Return)
    assert shown.args == [only]
    with qtbot.waitSignal(page.results_shown, timeout=5000):
        QTest.keyClicks(page.input, "ly")
    rect = page.results.visualRect(page.results_model.index(2, 0))
    with qtbot.waitSignal(page.member_shown, timeout=5000) as shown:
        QTest.mouseClick(page.results.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    assert shown.args == [page.member.id] and page.member.id in ids


def test_results_are_tall_and_show_the_whole_address(qtbot, session, counter):
    with counter.db.write() as s:
        from counter_app.db.models import Building, Compound, Household, Unit
        compound = Compound(community_id=counter.info.community_id, name="阳光花园小区东区")
        s.add(compound)
        s.flush()
        building = Building(compound_id=compound.id, name="19栋")
        s.add(building)
        s.flush()
        unit = Unit(building_id=building.id, name="2单元")
        s.add(unit)
        s.flush()
        house = Household(unit_id=unit.id, room="1301")
        s.add(house)
        s.flush()
        house_id = house.id
    for n in range(12):
        counter.member("刘宇", phone=f"13{n % 10}0000{n:02d}25", household_id=house_id)
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    window.resize(1366, 768)
    page = page_of(window)
    with qtbot.waitSignal(page.results_shown, timeout=5000):
        page.input.setText("刘宇")  # as an input method commits it
    qtbot.wait(50)
    address = page.results_model.row_at(0).address
    assert address == "阳光花园小区东区19栋2单元1301"
    table = page.results
    assert table.columnWidth(COL_ADDRESS) >= table.fontMetrics().horizontalAdvance(address)
    assert table.viewport().height() >= 10 * table.rowHeight(0)  # ten rows at least


def test_another_card_with_a_full_cart_asks_first(qtbot, session, counter):
    a = counter.member("张三", points=100)
    b = counter.member("李四", points=100)
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    qtbot.waitUntil(lambda: counter.soap in page.tiles.buttons, timeout=5000)
    scan_member(qtbot, page, counter, a)
    add_tile(qtbot, page, counter.soap)
    add_tile(qtbot, page, counter.soap)
    seen = []
    answer_next_question(QMessageBox.StandardButton.No, seen=seen)
    with qtbot.waitSignal(page.message_shown, timeout=5000) as msg:
        wedge_scan(page.input, card_of(counter, b))  # the next member's card, too early
    assert seen == ["The cart still holds 2 item(s) for 张三.\nSwitch to 李四? "
                    "(Yes empties the cart.)"]
    assert "张三" in msg.args[0]
    assert page.member.id == a and page.cart.qty_of(counter.soap) == 2
    assert page.panel.name.text() == "张三"
    answer_next_question(QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(page.member_shown, timeout=5000) as shown:
        wedge_scan(page.input, card_of(counter, b))
    assert shown.args == [b] and page.cart.rowCount() == 0
    assert page.panel.name.text() == "李四"


def test_tiles_by_category_tab_greyed_with_the_reason(qtbot, session, counter):
    mid = counter.member("周九", points=30)  # no birth date: not 70+
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    # no serial scanner set up: no empty segment in the status bar (trial)
    assert window.scanner_state.isHidden() and window.scanner_separator.isHidden()
    page = page_of(window)
    tiles = page.tiles
    qtbot.waitUntil(lambda: counter.rice in tiles.buttons, timeout=5000)
    assert [tiles.tabText(i) for i in range(tiles.count())] == ["日用品", "粮油", "服务"]
    with qtbot.waitSignal(page.room_shown, timeout=5000):
        scan_member(qtbot, page, counter, mid)
    meal = tiles.buttons[counter.meal]
    assert meal.property("blocked") and meal.toolTip().startswith("70 岁及以上才能兑换")
    assert not tiles.buttons[counter.rice].property("blocked")
    with qtbot.waitSignal(page.room_shown, timeout=5000):
        add_tile(qtbot, page, counter.rice)  # 20 of 30 in the cart
    rice = tiles.buttons[counter.rice]
    assert rice.property("blocked") and rice.toolTip() == "积分不足：还差 10 分"
    assert tiles.shown_reason(counter.rice) == "积分不足"  # on the tile itself (trial)
    assert tiles.shown_reason(counter.meal) == "70 岁及以上才能兑换"
    assert not tiles.buttons[counter.soap].property("blocked")  # 5 <= 10
    assert tiles.shown_reason(counter.soap) is None
    with qtbot.waitSignal(page.message_shown, timeout=5000) as msg:
        rice.click()
    assert msg.args == ["积分不足：还差 10 分"] and page.cart.qty_of(counter.rice) == 1
    with qtbot.waitSignal(page.room_shown, timeout=5000):
        page.change_qty(-1)  # out of the cart again: the tile is back
    assert not rice.property("blocked") and rice.toolTip() == ""
    assert tiles.shown_reason(counter.rice) is None


def test_an_empty_shelf_is_greyed_even_without_a_member(qtbot, session, counter):
    from counter_app import stock

    stock.adjust(counter.db, counter.stock_staff, counter.rice, -10, "盘亏")
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    qtbot.waitUntil(lambda: counter.rice in page.tiles.buttons, timeout=5000)
    assert page.tiles.buttons[counter.rice].property("blocked")
    assert page.tiles.buttons[counter.rice].toolTip() == "All gone"  # 已兑完 in Chinese


def test_number_and_unit_stay_on_one_line(qapp):
    text = keep_numbers_whole("10元爱心餐")
    assert text == "10\u2060元爱心餐" and keep_numbers_whole("大米 5kg") == "大米 5kg"
    font = QFont()
    font.setPointSize(14)

    def first_line(s):
        layout = QTextLayout(s, font)
        layout.beginLayout()
        width = layout.createLine()
        width.setLineWidth(QTextLayout("10", font).boundingRect().width() + 30)
        layout.endLayout()
        return s[width.textStart():width.textStart() + width.textLength()]

    assert first_line("10元爱心餐") == "10"  # what Qt does without the joiner
    assert first_line(text) != "10"  # never "10" alone with "元爱心餐" below


def test_placeholders_fill_in_one_pass():
    assert fill("%1 has %2 points", "A%2", 5) == "A%2 has 5 points"


def test_history_words_and_sources_in_chinese(qtbot, counter, language):
    from counter_app import ledger, member_profiles
    from counter_app.ui.common.history_model import COL_KIND, COL_REF, HistoryModel

    language("zh_CN")
    mid = counter.member("吴十", points=10)
    (entry,) = member_profiles.load_history(counter.db, mid).rows
    ledger.reverse(counter.db, counter.admin, entry.id, "录错了")
    with counter.db.read() as s:
        page = member_profiles.history(s, mid)
    model = HistoryModel()
    model.set_rows(page.rows, page.operator_names, page.source_names)
    kinds = [model.data(model.index(r, COL_KIND)) for r in range(model.rowCount())]
    assert kinds == ["撤销（更正）", "获得积分"] and "冲正" not in "".join(kinds)
    assert model.data(model.index(1, COL_REF)) == "志愿服务 · 微心愿"


def test_core_calls_refuse_the_gui_thread(counter):
    with pytest.raises(AssertionError, match="not on the database worker"):
        counter_calls.resolve(counter.db, "XF00000017", "XF01")
    with pytest.raises(AssertionError, match="not on the database worker"):
        counter_calls.details(counter.db, 1, counter.info)


def test_at_the_largest_text_a_shown_member_keeps_the_redeem_button_on_screen(
        qtbot, session, counter, qapp):
    """Trial: at 特大 on a 1366×768 screen, showing a member made the page taller than the
    window (its preferred height for the width, not its minimum) and the redeem button went
    below the edge. A page that fits now fills the window without scrolling."""
    from counter_app.ui.common import scale

    font = qapp.font()
    scale.apply_to_app(qapp, 150)
    try:
        mid = counter.member("周九", points=10)
        window = login(qtbot, session, counter.volunteer.operator_id, "1111")
        window.resize(1366, 740)
        page = page_of(window)
        qtbot.waitUntil(lambda: counter.rice in page.tiles.buttons, timeout=5000)
        with qtbot.waitSignal(page.room_shown, timeout=5000):
            scan_member(qtbot, page, counter, mid)
        qtbot.wait(100)
        view = window.stack.parentWidget()  # the scroll area's viewport
        assert window.stack.minimumSizeHint().height() <= view.height()
        assert window.stack.height() == view.height()  # no vertical scrolling
        button = page.findChild(QPushButton, "checkout_button")
        bottom = button.mapTo(view, button.rect().bottomLeft()).y()
        assert 0 < bottom <= view.height()
    finally:
        scale.set_scale(100)
        qapp.setFont(font)


def test_a_cut_list_of_matches_says_so(qtbot, session, counter):
    """Trial: 77 members named 王… and the list said "30 members found": a volunteer took
    that for all of them. At the limit it says only the first are shown, and how to narrow."""
    from counter_app.lookup import SEARCH_LIMIT

    for i in range(SEARCH_LIMIT + 5):
        counter.member(f"王{'一二三四五六七八九十'[i % 10]}{'甲乙丙丁戊'[i // 10]}")
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = page_of(window)
    with qtbot.waitSignal(page.results_shown, timeout=5000):
        page.input.setText("王")  # typed with an input method (keyClicks knows no 王)
    assert page.results_model.rowCount() == SEARCH_LIMIT
    assert page.choice.count.text().startswith(f"At least {SEARCH_LIMIT} members match")
    assert "last 4 digits" in page.choice.count.text()


def test_every_page_opens_at_its_top(qtbot, session, counter):
    """Trial: a page opened at the scroll offset the previous one was left at."""
    window = login(qtbot, session, counter.admin.operator_id, "1234")
    window.resize(1000, 420)  # short: the pages scroll
    qtbot.wait(50)
    bar = window.page_view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5000)
    bar.setValue(bar.maximum())
    window.show_page(1)
    assert bar.value() == 0
