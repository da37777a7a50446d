"""Stock pages (pytest-qt): restock by a simulated scan, an item created from an unknown
barcode, a whole stocktake with approval, a service capacity reached at the counter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QLabel

from counter_app import items, redemption, stock
from counter_app.stock import stocktake
from counter_app.ui.common.context import UiContext
from documents_fixtures import nfkc, pdftotext
from ui_helpers import wedge_scan


def _level(counter, item):
    with counter.db.read() as s:
        return stock.level(s, "XF01", item)


@pytest.fixture
def restock(qtbot, counter, tmp_path):
    from counter_app.ui.stock.restock_page import RestockPage

    page = RestockPage(UiContext(db=counter.db, counter=counter.info, actor=counter.stock_staff),
                       out_dir=tmp_path)
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activate()
    return page


def test_restock_by_a_simulated_scan_and_the_goods_received_note(qtbot, counter, restock, tmp_path):
    items.update_item(counter.db, counter.stock_staff, counter.rice, low_stock=10)
    with qtbot.waitSignal(restock.loaded, timeout=10_000):
        restock.activate()
    assert restock.banner.isVisible() and "大米 5kg（10）" in restock.banner.text()
    with qtbot.waitSignal(restock.item_found, timeout=10_000):
        wedge_scan(restock.scan, "6901234567892")
    assert restock.qty.hasFocus()
    QTest.keyClicks(restock.qty, "24")
    with qtbot.waitSignal(restock.received, timeout=10_000) as got:
        QTest.keyClick(restock.qty, Qt.Key.Key_Return)
    assert (got.args[0].qty, got.args[0].level, got.args[0].source) == (24, 34, "社区采购")
    assert _level(counter, counter.rice) == 34
    # 34 is above its alert line now: the banner says so at once (trial: stale figure)
    qtbot.waitUntil(lambda: restock.banner.isHidden(), timeout=10_000)
    assert restock.scan.hasFocus() and restock.model.rowCount() == 1
    # a donation names its merchant: none registered yet -> refused, nothing written
    restock.source.setCurrentIndex(restock.source.findData("donation"))
    with qtbot.waitSignal(restock.item_found, timeout=10_000):
        wedge_scan(restock.scan, "6901234567908")
    QTest.keyClick(restock.qty, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "商家让利入库要写明是哪一家商家" in restock.message.text(), timeout=10_000)
    assert _level(counter, counter.soap) == 100
    with qtbot.waitSignal(restock.note_written, timeout=10_000) as note:
        restock.note_button.click()
    text = nfkc(pdftotext(note.args[0]))
    assert "入库单" in text and "大米 5kg" in text and "24" in text and "社区采购" in text


@pytest.mark.parametrize("width", [58, 80])
def test_the_goods_received_note_prints_on_the_receipt_printer(qtbot, counter, tmp_path, width):
    """ESC/POS through the day-close report's slip path: GB18030 text, cut, both widths."""
    from counter_app.ui.devices.receipt_output import ESCPOS, ReceiptOutput
    from counter_app.ui.stock.restock_page import RestockPage
    from documents_fixtures import parse_escpos

    device = tmp_path / "lp0"
    receipts = ReceiptOutput(output=ESCPOS, escpos={"type": "file", "path": str(device)},
                             width_mm=width, open_pdf=False)
    page = RestockPage(UiContext(db=counter.db, counter=counter.info, actor=counter.stock_staff),
                       out_dir=tmp_path, receipts=receipts)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activate()
    assert not page.slip_button.isHidden()
    page.print_note()  # nothing received yet: said so, nothing printed
    assert page.message.text() == "Nothing received in this session yet"
    assert not device.exists()
    with qtbot.waitSignal(page.item_found, timeout=10_000):
        wedge_scan(page.scan, "6901234567892")
    QTest.keyClicks(page.qty, "24")
    with qtbot.waitSignal(page.received, timeout=10_000):
        QTest.keyClick(page.qty, Qt.Key.Key_Return)
    with qtbot.waitSignal(page.slip_printed, timeout=20_000):
        page.slip_button.click()
    data = device.read_bytes()
    assert data.startswith(b"\x1b@\x1c&") and data.endswith(b"\x1dV\x00")
    for text in ("入库单", "大米 5kg", "社区采购", "收货人"):
        assert text.encode("gb18030") in data, text
    lines = parse_escpos(data).lines
    assert any("大米 5kg" in t and "24 袋" in t for t, _ in lines), lines
    assert all(len(t.encode("gb18030")) * f <= {58: 32, 80: 48}[width] for t, f in lines), lines
    # the printer unplugged: said in words on the page, the receipt stays recorded
    receipts.escpos = {"type": "file", "path": str(tmp_path / "gone" / "lp0")}
    page.slip_button.click()
    qtbot.waitUntil(lambda: "打印机设置有误" in page.message.text(), timeout=10_000)
    assert _level(counter, counter.rice) == 34


def test_an_unknown_barcode_creates_the_item(qtbot, counter, restock):
    with qtbot.waitSignal(restock.item_dialog, timeout=10_000) as opened:
        wedge_scan(restock.scan, "4006381333931")
    dialog = opened.args[0]
    assert dialog.barcode.text() == "4006381333931"
    dialog.name.setText("圆珠笔")  # typed with the input method (QTest types ASCII only)
    dialog.category.setCurrentText("文具")
    dialog.points.setValue(3)
    with qtbot.waitSignal(restock.item_found, timeout=10_000) as found:
        dialog.done(QDialog.DialogCode.Accepted)
    item = found.args[0]
    assert item is not None and item.name == "圆珠笔" and item.points == 3
    with qtbot.waitSignal(restock.received, timeout=10_000):
        QTest.keyClick(restock.qty, Qt.Key.Key_Return)
    assert _level(counter, item.id) == 1


def test_a_whole_stocktake_with_approval(qtbot, counter, tmp_path):
    from counter_app.ui.stock.stocktake_page import StocktakePage

    def page_for(actor):
        page = StocktakePage(UiContext(db=counter.db, counter=counter.info, actor=actor),
                             out_dir=tmp_path)
        qtbot.addWidget(page)
        page.resize(1100, 760)
        page.show()
        qtbot.waitExposed(page)
        with qtbot.waitSignal(page.changed, timeout=10_000):
            page.activate()
        return page

    staff = page_for(counter.stock_staff)
    assert not staff.approve_button.isEnabled()
    assert not staff.cancel_button.isEnabled()  # no count open: nothing to cancel (trial)
    qtbot.waitUntil(lambda: staff.category.findData("日用品") >= 0, timeout=10_000)
    staff.category.setCurrentIndex(staff.category.findData("日用品"))
    with qtbot.waitSignal(staff.changed, timeout=10_000):
        staff.open_button.click()
    assert staff.cancel_button.isEnabled()
    QTest.keyClicks(staff.shelf, "A1")
    for _ in range(2):
        with qtbot.waitSignal(staff.changed, timeout=10_000):
            wedge_scan(staff.scan, "6901234567908")
    # a piece without a readable barcode: its name typed, as on the restock page (trial)
    staff.scan.setText("香皂")
    with qtbot.waitSignal(staff.changed, timeout=10_000) as typed:
        staff.count_scan()
    assert [r.counted for r in typed.args[0].rows] == [3]
    staff.table.selectRow(0)
    staff.fix_qty.setValue(96)  # the shelf really holds 96: a correction of the 3 scans
    with qtbot.waitSignal(staff.changed, timeout=10_000) as shown:
        staff.findChild(type(staff.approve_button), "stocktake_correct").click()
    (row,) = shown.args[0].rows
    assert row.words == "少了 4 块：账上 100 块，货架上数到 96 块"
    mid = counter.member(points=20)  # a redemption during the count, after the shelf was counted
    redemption.checkout(counter.db, counter.volunteer, mid, [redemption.CartLine(counter.soap, 1)])
    wedge_scan(staff.scan, "6901234567892")  # rice: not in this count
    qtbot.waitUntil(lambda: "不在本次盘点范围内" in staff.message.text(), timeout=10_000)
    staff.findChild(type(staff.approve_button), "stocktake_pdfs").click()
    qtbot.waitUntil(lambda: "盘点差异表" in staff.message.text(), timeout=10_000)
    report = nfkc(pdftotext(next(tmp_path.glob("盘点差异表-*.pdf"))))
    assert "少了 4 块" in report and "香皂" in report

    admin = page_for(counter.admin)
    assert admin.approve_button.isEnabled() and admin.view is not None
    with qtbot.waitSignal(admin.changed, timeout=10_000):
        admin.approve_button.click()
    assert "已审批" in admin.state.text() or "approved" in admin.state.text().lower()
    assert _level(counter, counter.soap) == 95  # 96 counted, 1 redeemed since
    assert stocktake.current(counter.db, "XF01") is None


def test_a_service_capacity_reached_at_the_counter(qtbot, counter, tmp_path, monkeypatch):
    from counter_app import ledger
    from counter_app.members import get_member
    from ui_helpers import counter_session, login

    items.update_item(counter.db, counter.stock_staff, counter.haircut, capacity_qty=1,
                      capacity_period="month")
    a, b = counter.member("甲", points=30), counter.member("乙", points=30)
    gen = counter_session(qtbot, counter, tmp_path)
    session = next(gen)
    try:
        page = login(qtbot, session, counter.volunteer.operator_id, "1111").pages[0]
        monkeypatch.setattr(page, "confirm", lambda question: True)
        qtbot.waitUntil(lambda: counter.haircut in page.tiles.buttons, timeout=5000)
        tile = page.tiles.buttons[counter.haircut].findChild(QLabel, "tile_text")
        assert "1 次 left this month" in tile.text()  # the counter shows what is left
        with counter.db.read() as s:
            card = get_member(s, b).card_code
        with qtbot.waitSignal(page.member_shown, timeout=5000):
            wedge_scan(page.input, card)
        with qtbot.waitSignal(page.cart.changed, timeout=5000):
            page.tiles.buttons[counter.haircut].click()
        # meanwhile the last haircut of the month goes to someone else
        redemption.checkout(counter.db, counter.volunteer, a,
                            [redemption.CartLine(counter.haircut, 1)])
        page.checkout()
        qtbot.waitUntil(lambda: page.message.text() == "“义剪（理发）”本月的名额已满：共 1 次，已兑 1 次",
                        timeout=10_000)
        with counter.db.read() as s:
            assert ledger.balance_of(s, b) == 30  # nothing written
        qtbot.waitUntil(lambda: "0 次 left this month" in page.tiles.buttons[counter.haircut]
                        .findChild(QLabel, "tile_text").text(), timeout=5000)
        page.cart.clear()
        with qtbot.waitSignal(page.member_shown, timeout=5000):
            wedge_scan(page.input, card)
        qtbot.waitUntil(lambda: page.tiles.reason(counter.haircut) == "本月名额已满（共 1 次）",
                        timeout=5000)
    finally:
        gen.close()


def test_items_page_edits_price_with_history_refuses_a_bad_barcode_and_uses_a_voucher(
        qtbot, counter, tmp_path):
    from counter_app.ui.stock.items_page import StockItemsPage

    page = StockItemsPage(UiContext(db=counter.db, counter=counter.info, actor=counter.stock_staff),
                          out_dir=tmp_path)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activate()
    with qtbot.waitSignal(page.shown, timeout=10_000):
        page.show_item(counter.soap)
    page.points.setValue(6)
    page.low_stock.setValue(20)
    with qtbot.waitSignal(page.saved, timeout=10_000):
        page.save()
    with qtbot.waitSignal(page.shown, timeout=10_000) as shown:
        page.show_item(counter.soap)
    assert [(p.points, p.operator) for p in shown.args[0].prices] == [(6, "刘库管"), (5, "刘库管")]
    assert page.prices.rowCount() == 2 and shown.args[0].item.low_stock == 20
    page.barcodes.setText("6901234567908;6901234567909")
    page.points.setValue(7)
    page.save()
    qtbot.waitUntil(lambda: "校验位不对" in page.message.text(), timeout=10_000)
    with counter.db.read() as s:  # nothing half-written: neither the barcode nor the price
        assert items.barcodes_of(s, counter.soap) == ["6901234567908"]
        assert len(items.price_history(s, counter.soap)) == 2

    page.m_name.setText("老王理发店")
    page.add_merchant()
    qtbot.waitUntil(lambda: page.merchants_model.rowCount() == 1, timeout=10_000)
    from counter_app.db.models import ItemKind
    with counter.db.read() as s:
        from counter_app.merchants import by_name
        shop = by_name(s, "老王理发店").id
    offer = items.add_item(counter.db, counter.stock_staff, community_id=counter.info.community_id,
                           name="理发八折券", kind=ItemKind.MERCHANT_OFFER, category="商家优惠",
                           points=15, unit="张", merchant_id=shop)
    mid = counter.member(points=20)
    (v,) = redemption.checkout(counter.db, counter.volunteer, mid,
                               [redemption.CartLine(offer, 1)]).vouchers
    page.ctx.actor = counter.volunteer  # the merchant's scan at a counter
    page.voucher.setText(v.code)
    with qtbot.waitSignal(page.voucher_done, timeout=10_000) as said:
        page.use_voucher()
    assert v.code in said.args[0]
    page.voucher.setText(v.code)
    with qtbot.waitSignal(page.voucher_done, timeout=10_000) as said:
        page.use_voucher()
    assert "不能再用" in said.args[0]
    page.month.setText(f"{v.issued_at:%Y-%m}")
    with qtbot.waitSignal(page.files_written, timeout=20_000) as files:
        page.settle()
    assert [p.suffix for p in files.args[0]] == [".pdf", ".xlsx"]


def test_items_page_creates_a_service_that_scans_by_its_internal_code(qtbot, counter, tmp_path):
    from counter_app import catalogue
    from counter_app.item_codes import internal_code
    from counter_app.ui.stock.items_page import StockItemsPage

    page = StockItemsPage(UiContext(db=counter.db, counter=counter.info, actor=counter.stock_staff),
                          out_dir=tmp_path)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activate()
    with qtbot.waitSignal(page.new_dialog, timeout=5000) as opened:
        page.new_item()
    dialog = opened.args[0]
    dialog.kind.setCurrentIndex(dialog.kind.findData("service"))
    dialog.name.setText("上门理发")
    dialog.category.setCurrentText("服务")
    dialog.unit.setText("次")
    dialog.points.setValue(12)
    with qtbot.waitSignal(page.saved, timeout=10_000) as saved:
        dialog.done(QDialog.DialogCode.Accepted)
    item_id = saved.args[0]
    with counter.db.read() as s:
        row = catalogue.row_by_barcode(s, "XF01", internal_code(item_id))
    assert (row.name, row.kind, row.stock) == ("上门理发", "service", None)


def test_a_write_off_on_the_restock_page_names_its_reason(qtbot, counter, restock):
    restock.mode.setCurrentIndex(restock.mode.findData("writeoff"))
    assert not restock.source.isEnabled()
    restock.reason.setCurrentIndex(restock.reason.findData("expired"))
    with qtbot.waitSignal(restock.item_found, timeout=10_000):
        wedge_scan(restock.scan, "6901234567892")
    QTest.keyClicks(restock.qty, "3")
    with qtbot.waitSignal(restock.received, timeout=10_000) as got:
        QTest.keyClick(restock.qty, Qt.Key.Key_Return)
    assert (got.args[0].qty, got.args[0].source, got.args[0].level) == (-3, "报损：过期", 7)
    assert _level(counter, counter.rice) == 7 and restock.entries == []  # not on the note


def test_items_page_imports_all_or_nothing(qtbot, counter, tmp_path):
    from counter_app.ui.stock.items_page import StockItemsPage

    page = StockItemsPage(UiContext(db=counter.db, counter=counter.info, actor=counter.stock_staff),
                          out_dir=tmp_path)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activate()
    bad = tmp_path / "bad.csv"
    bad.write_text("名称,类型,类别,积分\n醋,实物,粮油,6\n盐,实物,调味品,3\n", encoding="utf-8")
    page.import_path.setText(str(bad))
    with qtbot.waitSignal(page.imported, timeout=10_000) as said:
        page.import_list()
    assert "第 3 行「类别」：没有“调味品”这个类别" in said.args[0]
    good = tmp_path / "good.csv"
    good.write_text("名称,类型,类别,积分\n醋,实物,粮油,6\n", encoding="utf-8")
    page.import_path.setText(str(good))
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.import_list()
    assert "新增 1 件" in page.message.text() and page.model.rowCount() == 5


def test_stock_reports_from_the_items_page_as_pdf_and_xlsx(qtbot, counter, tmp_path, language):
    """The CLI's stock report for staff: period choice, PDF and .xlsx, busy bar, words."""
    import openpyxl

    from counter_app.merchants import add as add_merchant
    from counter_app.ui.stock.items_page import StockItemsPage

    language("zh_CN")
    shop = add_merchant(counter.db, counter.stock_staff, "老王粮油店")
    stock.receive_goods(counter.db, counter.stock_staff, counter.rice, 6, "donation",
                        merchant_id=shop)
    page = StockItemsPage(UiContext(db=counter.db, counter=counter.info,
                                    actor=counter.stock_staff), out_dir=tmp_path)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentWidget(page.reports)
    panel = page.reports
    assert panel.period.currentData() == "this" and not panel.date_from.isEnabled()
    with qtbot.waitSignal(panel.written, timeout=20_000) as pdf:
        panel.pdf_button.click()
        assert panel.progress.isVisible() and not panel.pdf_button.isEnabled()
    assert not panel.progress.isVisible() and panel.pdf_button.isEnabled()
    text = nfkc(pdftotext(pdf.args[0]))
    for expected in ("库存报表", "大米 5kg", "商家让利", "老王粮油店", "入库"):
        assert expected in text, expected
    with qtbot.waitSignal(panel.written, timeout=20_000) as xlsx:
        panel.xlsx_button.click()
    book = openpyxl.load_workbook(xlsx.args[0])
    assert book.sheetnames == ["库存与价值", "本期出入库", "商家让利"]
    on_hand = {r[1]: r for r in book["库存与价值"].iter_rows(min_row=2, values_only=True)}
    assert on_hand["大米 5kg"][3:6] == (16, 20, 320)  # 10 + 6 donated, value in points
    assert list(book["商家让利"].iter_rows(min_row=2, values_only=True)) == [
        ("老王粮油店", "大米 5kg", 6, 120)]
    # last month: nothing moved then; the dates follow the choice
    panel.period.setCurrentIndex(panel.period.findData("last"))
    first, last = panel.chosen()
    assert first.day == 1 and last == panel.today().replace(day=1) - timedelta(days=1)
    with qtbot.waitSignal(panel.written, timeout=20_000) as old:
        panel.xlsx_button.click()
    assert list(openpyxl.load_workbook(old.args[0])["本期出入库"].iter_rows(
        min_row=2, values_only=True)) == []
    # chosen dates the wrong way round: said in words, nothing written
    panel.period.setCurrentIndex(panel.period.findData("dates"))
    panel.date_from.setDate(panel.date_to.date().addDays(1))
    with qtbot.waitSignal(panel.failed, timeout=5000) as said:
        panel.pdf_button.click()
    assert "晚于结束日期" in said.args[0]
    assert len(list(tmp_path.glob("库存报表-*"))) == 3


def test_a_scanner_burst_on_the_restock_page_stays_on_the_restock_page(qtbot, counter, tmp_path):
    """Seen in a trial: an administrator's scan on 入库 jumped to the counter page (the wedge
    filter sent every burst there) and the code stayed glued in the restock box."""
    from ui_helpers import counter_session, login

    gen = counter_session(qtbot, counter, tmp_path)
    session = next(gen)
    try:
        window = login(qtbot, session, counter.admin.operator_id, "1234")
        index = window.page_keys.index("restock")
        window.show_page(index)
        restock = window.pages[index]
        with qtbot.waitSignal(restock.loaded, timeout=10_000):
            restock.activate()
        restock.scan.setFocus()
        for _ in range(2):  # the second scan must not be glued to the first
            with qtbot.waitSignal(restock.item_found, timeout=10_000) as found:
                wedge_scan(restock.scan, "6901234567892")
            assert found.args[0] is not None and found.args[0].name == "大米 5kg"
            assert window.current_page() is restock
            restock.scan.setFocus()
            restock.scan.clear()
        # a serial scanner types nowhere: its code goes to the page's scan box all the same
        with qtbot.waitSignal(restock.item_found, timeout=10_000) as found:
            window.handle_scan("6901234567892")
        assert found.args[0].name == "大米 5kg" and window.current_page() is restock
    finally:
        gen.close()


def test_an_item_picture_is_chosen_with_a_file_chooser(qtbot, counter, tmp_path):
    """Trial: the picture's path had to be typed. The chooser is window-modal (no nested
    event loop), so the page stays alive and the test answers it."""
    from PySide6.QtGui import QColor, QImage

    from counter_app.ui.stock.items_page import StockItemsPage

    picture = tmp_path / "pictures" / "soap.png"
    picture.parent.mkdir()
    image = QImage(32, 32, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    assert image.save(str(picture))
    page = StockItemsPage(UiContext(db=counter.db, counter=counter.info, actor=counter.stock_staff),
                          out_dir=tmp_path)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activate()
    with qtbot.waitSignal(page.shown, timeout=10_000):
        page.show_item(counter.soap)
    page.picture_button.click()
    dialog = page.picture_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert dialog.isModal() and dialog.fileMode() == dialog.FileMode.ExistingFile
    dialog.setDirectory(str(picture.parent))
    dialog.selectFile(str(picture))
    dialog.accept()
    assert page.picture.text() == str(picture)
    with qtbot.waitSignal(page.saved, timeout=10_000):
        page.save()
    with qtbot.waitSignal(page.shown, timeout=10_000) as shown:
        page.show_item(counter.soap)
    assert shown.args[0].item.picture == str(picture)
