"""The members page (会员): search, details, edits, cards, blocking, history, export."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import (
    QAbstractTableModel, QDate, QModelIndex, Qt, qInstallMessageHandler,
)
from PySide6.QtTest import QAbstractItemModelTester

from counter_app import members, redemption
from counter_app.db.models import CardStatus, EntryKind, Member, MemberCard, MemberStatus
from counter_app.errors import BlockedCard
from counter_app.redemption import CartLine
from counter_app.reports import export
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.history_model import COL_KIND, COL_POINTS, HistoryModel
from counter_app.ui.members.member_edit_dialog import (
    BlockDialog, MemberEditDialog, MemberRegisterDialog,
)
from counter_app.ui.common.member_results_model import MemberResultsModel
from counter_app.ui.members.members_page import MembersPage
from counter_app.ui.common.ops import wait_idle

# Any Qt warning fails the test (the model tester reports through qWarning), except the
# offscreen platform's note about window size hints.
pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("This plugin does not support")]

TIMEOUT = 5000


# --- helpers -------------------------------------------------------------------------------


def make_page(qtbot, counter, actor=None) -> MembersPage:
    ctx = UiContext(db=counter.db, counter=counter.info, actor=actor or counter.admin)
    page = MembersPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    page.activate()
    return page


@pytest.fixture
def page(qtbot, counter):
    yield make_page(qtbot, counter)
    wait_idle()


def search(qtbot, page, text):
    with qtbot.waitSignal(page.results_shown, timeout=TIMEOUT,
                          check_params_cb=lambda t: t == text):
        page.input.setText(text)


def open_member(qtbot, page, text):
    """Type ``text``, press Enter: the first result's details and history are painted."""
    search(qtbot, page, text)
    with qtbot.waitSignals([page.member_loaded, page.history_loaded], timeout=TIMEOUT):
        qtbot.keyClick(page.input, Qt.Key.Key_Return)


def wait_dialog(qtbot, page, kind):
    qtbot.waitUntil(lambda: isinstance(page.dialog, kind), timeout=TIMEOUT)
    return page.dialog


def history_kinds(page):
    model = page.history_model
    return [model.row_at(r).kind for r in range(model.rowCount())]


def choose_kind(qtbot, page, kind):
    with qtbot.waitSignal(page.history_loaded, timeout=TIMEOUT):
        page.kind.setCurrentIndex(page.kind.findData(kind))


# --- table models ----------------------------------------------------------------------------


def test_history_model_passes_the_model_tester(counter):
    mid = counter.member("王五", points=20)
    redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 1)])
    from counter_app import ledger

    with counter.db.read() as s:
        rows = ledger.history(s, mid)
    model = HistoryModel()
    tester = QAbstractItemModelTester(
        model, QAbstractItemModelTester.FailureReportingMode.Warning)
    model.set_rows(rows, {counter.reviewer.operator_id: "陈书记"})
    assert model.rowCount() == 3
    assert model.data(model.index(0, COL_KIND)) == "Redeemed"  # English until translated (kind_text)
    assert model.data(model.index(0, COL_POINTS)) == "-5"
    assert model.data(model.index(1, COL_POINTS)) == "+10"
    model.set_rows(rows[:1])
    model.clear()
    assert model.rowCount() == 0
    del tester


def test_member_results_model_passes_the_model_tester(counter):
    counter.member("张三", phone="13800001111")
    counter.member("张四")
    with counter.db.read() as s:
        rows = members.search(s, "张")
    model = MemberResultsModel()
    tester = QAbstractItemModelTester(
        model, QAbstractItemModelTester.FailureReportingMode.Warning)
    model.set_rows(rows)
    model.set_rows([])
    del tester


class _BrokenModel(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):
        return 2  # even for a valid parent: a table that claims children

    def columnCount(self, parent=QModelIndex()):
        return 1

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return "x" if role == Qt.ItemDataRole.DisplayRole else None


def test_the_model_tester_does_report_problems():
    # Guard against a tester set-up that silently checks nothing. Its FAIL! warnings
    # (category qt.modeltest) fail a test under pytest-qt; here they are caught first.
    seen = []
    previous = qInstallMessageHandler(lambda kind, context, message: seen.append(
        (context.category, message)))
    try:
        QAbstractItemModelTester(_BrokenModel(),
                                 QAbstractItemModelTester.FailureReportingMode.Warning)
    finally:
        qInstallMessageHandler(previous)
    assert any(cat == "qt.modeltest" and msg.startswith("FAIL!") for cat, msg in seen)


# --- search and details --------------------------------------------------------------------


def test_search_by_pinyin_initials_shows_the_member(qtbot, counter, page):
    counter.member("张三丰", phone="13812345678", id_number="110101195001011234")
    counter.member("李四")
    search(qtbot, page, "zsf")
    names = [page.results_model.row_at(r).name for r in range(page.results_model.rowCount())]
    assert names == ["张三丰"]
    with qtbot.waitSignal(page.member_loaded, timeout=TIMEOUT):
        qtbot.keyClick(page.input, Qt.Key.Key_Return)
    assert page.name.text() == "张三丰"
    assert page.fields["phone"].text() == "138****5678"
    assert page.fields["id_number"].text() == "1101**********1234"
    assert page.fields["category"].text() == "居民"
    assert page.fields["status"].text() == "Active"
    assert page.fields["card"].text().startswith("XF")


def test_enter_before_the_results_arrive_opens_the_first_one(qtbot, counter, page):
    mid = counter.member("欧阳娜娜")
    with qtbot.waitSignal(page.member_loaded, timeout=TIMEOUT,
                          check_params_cb=lambda m: m == mid):
        page.input.setText("oynn")
        qtbot.keyClick(page.input, Qt.Key.Key_Return)  # the search is still running
    assert page.name.text() == "欧阳娜娜"


def test_escape_clears_the_search_then_the_member(qtbot, counter, page):
    counter.member("赵六")
    open_member(qtbot, page, "zl")
    assert page.profile is not None
    page.input.setFocus()
    qtbot.keyClick(page.input, Qt.Key.Key_Escape)
    assert page.input.text() == ""
    assert page.results_model.rowCount() == 0
    assert page.profile is not None
    qtbot.keyClick(page.input, Qt.Key.Key_Escape)
    assert page.profile is None
    assert page.history_model.rowCount() == 0


def test_arrow_keys_move_through_results_and_show_each_member(qtbot, counter, page):
    counter.member("张一")
    counter.member("张二")
    search(qtbot, page, "张")
    first = page.results_model.row_at(0)
    second = page.results_model.row_at(1)
    with qtbot.waitSignal(page.member_loaded, timeout=TIMEOUT,
                          check_params_cb=lambda mid: mid == second.id):
        qtbot.keyClick(page.input, Qt.Key.Key_Down)
    assert page.name.text() == second.name
    with qtbot.waitSignal(page.member_loaded, timeout=TIMEOUT,
                          check_params_cb=lambda mid: mid == first.id):
        qtbot.keyClick(page.input, Qt.Key.Key_Up)


# --- changes ------------------------------------------------------------------------------


def test_edit_phone_updates_the_database(qtbot, counter, page):
    mid = counter.member("钱七", phone="13800000001")
    open_member(qtbot, page, "qq")
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    dialog = wait_dialog(qtbot, page, MemberEditDialog)
    assert dialog.phone.text() == "13800000001"  # the editor sees the whole number

    dialog.phone.setText("123")  # refused by the core: shown in the dialog, not raised
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=TIMEOUT)
    assert "11 位" in dialog.error.text()
    assert dialog.isVisible()

    dialog.phone.setText("139 0000 2222")
    with qtbot.waitSignals([page.member_saved, page.member_loaded], timeout=TIMEOUT):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    with counter.db.read() as s:
        assert s.get(Member, mid).phone == "13900002222"
    assert page.fields["phone"].text() == "139****2222"
    qtbot.waitUntil(lambda: page.dialog is None, timeout=TIMEOUT)
    search(qtbot, page, "2222")  # the search keys moved with the phone
    assert page.results_model.row_at(0).id == mid


def test_ctrl_e_opens_the_editor_and_an_unchanged_form_writes_nothing(qtbot, counter, page):
    counter.member("何不变", phone="13600000000")
    open_member(qtbot, page, "hbb")
    qtbot.keyClick(page.input, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = wait_dialog(qtbot, page, MemberEditDialog)
    page.edit_contact()  # a second Ctrl+E does not open a second editor
    assert page.dialog is dialog
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=TIMEOUT)
    assert page.message.text() == ""


def test_replace_card_gives_a_new_code_and_blocks_the_old(qtbot, counter, page):
    mid = counter.member("孙八")
    open_member(qtbot, page, "sb")
    old = page.fields["card"].text()
    questions = []
    page.confirm = lambda q: questions.append(q) or True
    with qtbot.waitSignal(page.card_replaced, timeout=TIMEOUT) as signal:
        qtbot.mouseClick(page.card_button, Qt.MouseButton.LeftButton)
    new = signal.args[0]
    assert new != old and old in questions[0]
    qtbot.waitUntil(lambda: page.fields["card"].text() == new, timeout=TIMEOUT)
    assert old in page.fields["old_cards"].text()
    assert new in page.message.text() and old in page.message.text()
    with counter.db.read() as s:
        with pytest.raises(BlockedCard):
            members.lookup_card(s, old)
        assert members.lookup_card(s, new).id == mid
        assert s.get(MemberCard, old).status == CardStatus.BLOCKED


def test_an_old_card_still_finds_its_member(qtbot, counter, page):
    mid = counter.member("郑老卡")
    with counter.db.read() as s:
        old = members.get_member(s, mid).card_code
    new = members.replace_card(counter.db, counter.admin, mid)
    search(qtbot, page, old)  # typed
    assert page.results_model.row_at(0).id == mid
    page.input.clear()
    with qtbot.waitSignal(page.member_loaded, timeout=TIMEOUT):
        page.handle_scan(old)  # scanned
    assert page.fields["card"].text() == new
    assert old in page.message.text() and new in page.message.text()
    with qtbot.waitSignal(page.message_shown, timeout=TIMEOUT,
                          check_params_cb=lambda m: "XF99999997" in m):
        page.handle_scan("XF99999997")


def test_declining_the_confirmation_keeps_the_card(qtbot, counter, page):
    counter.member("周九")
    open_member(qtbot, page, "zj")
    old = page.fields["card"].text()
    page.confirm = lambda q: False
    qtbot.mouseClick(page.card_button, Qt.MouseButton.LeftButton)
    wait_idle()
    qtbot.wait(50)
    with counter.db.read() as s:
        assert members.search(s, "zj")[0].card_code == old


def test_block_needs_a_reason_then_unblock(qtbot, counter, page):
    mid = counter.member("吴十")
    open_member(qtbot, page, "ws")
    qtbot.mouseClick(page.block_button, Qt.MouseButton.LeftButton)
    dialog = wait_dialog(qtbot, page, BlockDialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisible() and dialog.isVisible()  # no reason, nothing done
    dialog.reason.setText("卡片丢失，本人要求暂停")
    with qtbot.waitSignal(page.member_loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert page.fields["status"].text() == "Blocked"
    assert page.block_button.text() == "Unblock…"
    with counter.db.read() as s:
        assert s.get(Member, mid).status == MemberStatus.BLOCKED

    qtbot.waitUntil(lambda: page.dialog is None, timeout=TIMEOUT)
    qtbot.mouseClick(page.block_button, Qt.MouseButton.LeftButton)
    dialog = wait_dialog(qtbot, page, BlockDialog)
    assert not dialog.block
    dialog.reason.setText("找回卡片")
    with qtbot.waitSignal(page.member_loaded, timeout=TIMEOUT):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert page.fields["status"].text() == "Active"
    with counter.db.read() as s:
        assert s.get(Member, mid).status == MemberStatus.ACTIVE


def test_register_a_member_with_core_checks_shown_in_the_dialog(qtbot, counter, page):
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = wait_dialog(qtbot, page, MemberRegisterDialog)
    dialog.name.setText("郑在职")
    dialog.category.setCurrentIndex(dialog.category.findText("在职党员"))
    dialog.phone.setText("13700001234")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=TIMEOUT)
    assert "工作单位" in dialog.error.text()

    dialog.work_unit.setText("区卫健委")
    with qtbot.waitSignal(page.member_saved, timeout=TIMEOUT) as saved:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert page.name.text() == "郑在职"
    assert page.fields["category"].text() == "在职党员"
    assert page.fields["work_unit"].text() == "区卫健委"
    assert page.fields["card"].text() in page.message.text()
    with counter.db.read() as s:
        assert s.get(Member, saved.args[0]).phone == "13700001234"


def test_a_volunteer_sees_the_change_actions_disabled(qtbot, counter):
    page = make_page(qtbot, counter, counter.volunteer)
    counter.member("冯十一", points=10)
    open_member(qtbot, page, "fsy")
    for button in (page.edit_button, page.card_button, page.block_button, page.new_button,
                   page.export_results_button):
        assert not button.isEnabled()
    assert page.rights_hint.isVisible()
    assert page.export_history_button.isEnabled()  # reading history is allowed
    page.edit_contact()
    page.register_member()
    assert page.dialog is None
    wait_idle()


def test_permission_denied_is_a_message_not_a_traceback(qtbot, counter):
    mid = counter.member("陈十二")
    ctx = UiContext(db=counter.db, counter=counter.info, actor=counter.volunteer)
    dialog = MemberEditDialog(ctx, mid, "陈十二", "")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("陈十三")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=TIMEOUT)
    assert "权限不足" in dialog.error.text()
    with counter.db.read() as s:
        assert s.get(Member, mid).name == "陈十二"


def test_a_new_operator_gets_a_clean_page(qtbot, counter, page):
    counter.member("褚十四")
    open_member(qtbot, page, "css")
    page.ctx.actor = counter.volunteer  # log out, someone else logs in
    page.activate()
    assert page.profile is None and page.input.text() == ""
    assert not page.edit_button.isEnabled()


# --- history ------------------------------------------------------------------------------


def test_history_filter_by_kind_and_dates(qtbot, counter, page):
    mid = counter.member("卫十五", points=30)
    redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 1)])
    open_member(qtbot, page, "wsw")
    assert sorted(history_kinds(page)) == ["award", "award", "award", "redemption"]
    assert "+30" in page.history_summary.text() and "5" in page.history_summary.text()

    choose_kind(qtbot, page, str(EntryKind.REDEMPTION))
    assert history_kinds(page) == ["redemption"]
    choose_kind(qtbot, page, str(EntryKind.AWARD))
    assert history_kinds(page) == ["award"] * 3
    choose_kind(qtbot, page, str(EntryKind.EXPIRY))
    assert history_kinds(page) == []
    choose_kind(qtbot, page, None)
    assert len(history_kinds(page)) == 4

    today = QDate.currentDate()
    page.date_from.setDate(today.addDays(1))
    page.date_to.setDate(today.addDays(2))
    with qtbot.waitSignal(page.history_loaded, timeout=TIMEOUT,
                          check_params_cb=lambda n: n == 0):
        page.use_dates.setChecked(True)
    with qtbot.waitSignal(page.history_loaded, timeout=TIMEOUT,
                          check_params_cb=lambda n: n == 4):
        page.date_from.setDate(today)
    assert page.history_filter()[1:] == (date.today(), date.today() + timedelta(days=2))
    page.date_from.setDate(today.addDays(5))  # after the end date: said, not queried
    assert "after" in page.history_summary.text()
    assert page.history_model.rowCount() == 0


# --- export -------------------------------------------------------------------------------


def test_export_history_writes_the_visible_rows(qtbot, counter, page, tmp_path):
    mid = counter.member("蒋十六", points=20)
    redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 2)])
    open_member(qtbot, page, "js")
    choose_kind(qtbot, page, str(EntryKind.AWARD))
    asked = []
    page.ask_save_path = lambda title, suggested: asked.append(suggested) or str(tmp_path / "h")
    with qtbot.waitSignal(page.exported, timeout=TIMEOUT) as done:
        qtbot.mouseClick(page.export_history_button, Qt.MouseButton.LeftButton)
    assert done.args[0] == str(tmp_path / "h.xlsx")
    assert asked[0].startswith("蒋十六_") and asked[0].endswith(".xlsx")

    ws = load_workbook(done.args[0]).active
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    headers, rows = export.history_sheet(page.history_model.rows(),
                                         page.history_model.operator_names())
    assert values[0] == export.HISTORY_HEADERS == headers
    assert values[1:] == rows
    assert [v[1] for v in values[1:]] == ["获得积分", "获得积分"]  # only the visible kind
    assert all(v[4] == "微心愿" and v[6] == "陈书记" for v in values[1:])
    assert all(isinstance(v[2], int) for v in values[1:])
    assert ws["A2"].is_date


def test_export_member_list(qtbot, counter, page, tmp_path):
    counter.member("沈十七", phone="13911112222", points=10)
    counter.member("沈十八")
    search(qtbot, page, "沈")
    page.ask_save_path = lambda title, suggested: str(tmp_path / "list.xlsx")
    with qtbot.waitSignal(page.exported, timeout=TIMEOUT):
        qtbot.mouseClick(page.export_results_button, Qt.MouseButton.LeftButton)
    values = [list(r) for r in load_workbook(tmp_path / "list.xlsx").active
              .iter_rows(values_only=True)]
    assert values[0] == export.MEMBER_HEADERS
    assert [v[0] for v in values[1:]] == ["沈十七", "沈十八"]
    assert values[1][3] == "139****2222" and values[1][5] == 10


def test_cancelled_save_dialog_writes_nothing(qtbot, counter, page, tmp_path):
    counter.member("韩十九", points=10)
    open_member(qtbot, page, "hsj")
    page.ask_save_path = lambda title, suggested: None
    qtbot.mouseClick(page.export_history_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert list(tmp_path.glob("*.xlsx")) == []


def test_an_unwritable_target_is_a_message(qtbot, counter, page, tmp_path):
    counter.member("杨二十", points=10)
    open_member(qtbot, page, "yes")
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("x")
    page.ask_save_path = lambda title, suggested: str(blocker / "h.xlsx")
    with qtbot.waitSignal(page.message_shown, timeout=TIMEOUT,
                          check_params_cb=lambda m: "Could not save" in m):
        qtbot.mouseClick(page.export_history_button, Qt.MouseButton.LeftButton)


def test_a_name_with_a_placeholder_is_shown_as_typed(qtbot, counter, page):
    """C5: a name containing "%2" must not take the card code's place (chained replace)."""
    counter.member("孙%2八", phone="13900007788")
    open_member(qtbot, page, "7788")
    old = page.fields["card"].text()
    questions = []
    page.confirm = lambda q: questions.append(q) or False
    qtbot.mouseClick(page.card_button, Qt.MouseButton.LeftButton)
    assert "孙%2八" in questions[0] and old in questions[0]
