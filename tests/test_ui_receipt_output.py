"""Receipt output after the commit: PDF, ESC/POS (python-escpos File connection into a
real file), and a system printer through QPrinter (printing into a PDF, read back)."""

from __future__ import annotations

import re
import subprocess
import threading

import pytest
from documents_fixtures import (
    decode_barcodes,
    nfkc,
    parse_escpos,
    pdf_pages_png,
    pdftotext,
)
from PySide6.QtPrintSupport import QPrinter

from counter_app import ledger, redemption
from counter_app.config import LocalSettings
from counter_app.documents import DEFAULT_FOOTER, PrinterError
from counter_app.errors import CounterError
from counter_app.ui.devices import qt_receipt_printer
from counter_app.ui.devices.receipt_output import (
    ESCPOS,
    PDF,
    SYSTEM,
    PendingPrint,
    Printed,
    ReceiptOutput,
    escpos_config,
)

NAME = "曾小明"  # 曾: a reading-sensitive surname; the ESC/POS bytes must be GB18030


@pytest.fixture
def receipt(counter):
    mid = counter.member(NAME, phone="13812345678", points=40)
    return redemption.checkout(counter.db, counter.volunteer, mid,
                               [redemption.CartLine(counter.soap, 2),
                                redemption.CartLine(counter.rice, 1)])


def pdf_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def page_size_mm(path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    w, h = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()
    return float(w) * 25.4 / 72, float(h) * 25.4 / 72


# --- PDF (the existing API) ----------------------------------------------------------------

def test_pdf_output_keeps_the_old_constructor(receipt, tmp_path):
    out = ReceiptOutput(folder=tmp_path / "r", open_pdf=False, width_mm=80)
    assert out.output == PDF
    path = out.render(receipt)
    assert path == tmp_path / "r" / f"{receipt.receipt_no}.pdf"
    text = pdftotext(path)
    assert receipt.receipt_no in text and NAME in text
    assert page_size_mm(path)[0] == pytest.approx(80, abs=0.5)
    assert out.show(path) is True  # open_pdf=False: nothing to open, nothing fails


def test_pdf_folder_that_cannot_be_written_is_a_clear_error(receipt, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(PrinterError, match="小票未打印：无法保存 PDF"):
        ReceiptOutput(folder=blocker / "r", open_pdf=False).render(receipt)


# --- ESC/POS -------------------------------------------------------------------------------

def test_escpos_output_writes_gb18030_job_with_cut(receipt, tmp_path):
    device = tmp_path / "lp0"
    out = ReceiptOutput(output=ESCPOS, escpos={"type": "file", "path": str(device)},
                        footer="欢迎再来！￥", width_mm=58)
    result = out.render(receipt)
    assert result == Printed(receipt.receipt_no, str(device))
    data = device.read_bytes()
    assert NAME.encode("gb18030") in data
    assert "欢迎再来！￥".encode("gb18030") in data  # full-width ￥ survives, not "?"
    assert data.startswith(b"\x1b@\x1c&")  # init, then Chinese mode (FS &)
    assert data.endswith(b"\x1dV\x00")  # GS V: the cut
    doc = parse_escpos(data)
    assert any(receipt.receipt_no in text for text, _ in doc.lines)
    assert out.show(result) is True


def test_escpos_runs_on_the_calling_thread(receipt, tmp_path):
    """render() prints synchronously on the worker thread that calls it (the page
    runs it after the commit), so a failure can still be reported as "not printed"."""
    device = tmp_path / "lp0"
    out = ReceiptOutput(output=ESCPOS, escpos={"type": "file", "path": str(device)})
    seen = {}

    def work():
        seen["result"] = out.render(receipt)

    t = threading.Thread(target=work)
    t.start()
    t.join(10)
    assert isinstance(seen["result"], Printed) and device.stat().st_size > 0


def test_unreachable_escpos_printer_raises_a_chinese_counter_error(receipt, tmp_path):
    out = ReceiptOutput(output=ESCPOS,
                        escpos={"type": "file", "path": str(tmp_path / "no" / "lp0")})
    with pytest.raises(CounterError) as info:
        out.render(receipt)
    assert isinstance(info.value, PrinterError)
    assert str(info.value).startswith("小票未打印：热敏打印机")
    assert "F5" in str(info.value)


def test_incomplete_escpos_settings_say_what_is_missing(receipt):
    out = ReceiptOutput(output=ESCPOS, escpos={"type": "network", "host": ""})
    with pytest.raises(PrinterError, match="host"):
        out.render(receipt)


def _redeem_soap_on_a_page(qtbot, counter, mid, out):
    """A volunteer's counter page printing through ``out``: select, add soap, redeem."""
    from counter_app.catalogue import list_items
    from counter_app.ui.common.context import UiContext
    from counter_app.ui.counter.counter_page import CounterPage

    ctx = UiContext(db=counter.db, counter=counter.info, actor=counter.volunteer)
    page = CounterPage(ctx, out)
    qtbot.addWidget(page)
    page.confirm = lambda question: True
    with qtbot.waitSignal(page.member_shown, timeout=5000):
        page.select_member(mid)
    with counter.db.read() as s:
        soap = next(r for r in list_items(s, "XF01") if r.id == counter.soap)
    with qtbot.waitSignal(page.cart.changed, timeout=5000):
        page.add_item(soap)
    with qtbot.waitSignal(page.checked_out, timeout=10_000) as done:
        page.checkout()
    return page, done.args[0]


def test_failed_print_keeps_the_redemption_and_the_page_says_so(qtbot, counter, tmp_path):
    """Printer unplugged at checkout: the points are spent, the cart is cleared and the
    page says the receipt was not printed (F5), rather than an error that hides it."""
    mid = counter.member("李四", points=20)
    out = ReceiptOutput(output=ESCPOS,
                        escpos={"type": "file", "path": str(tmp_path / "gone" / "lp0")})
    page, receipt = _redeem_soap_on_a_page(qtbot, counter, mid, out)
    with counter.db.read() as s:
        assert ledger.balance_of(s, mid) == 15
    # printed after the commit, on the printer thread: the page then says it failed
    qtbot.waitUntil(lambda: "could not be printed" in page.message.text(), timeout=10_000)
    qtbot.wait(300)  # the member panel reloads meanwhile and must not hide the message
    assert receipt.receipt_no in page.message.text()
    assert "could not be printed" in page.message.text()  # English until translated
    assert page.cart.rowCount() == 0
    # A reprint or a void slip that does not come out says so, not "Redeemed" (trial: a
    # volunteer read "已兑换" after a void and thought a new redemption had happened).
    page.reprint()
    qtbot.waitUntil(lambda: page.message.text().startswith("The reprint of receipt"),
                    timeout=10_000)
    from counter_app import redemption
    from counter_app.documents.receipt_facts import printable_receipt

    redemption.void(counter.db, counter.admin, receipt.receipt_no, "测试撤销")
    with counter.db.read() as s:
        slip = printable_receipt(s, receipt.receipt_no)
    page.print_receipt(slip)
    qtbot.waitUntil(lambda: "is voided" in page.message.text(), timeout=10_000)
    assert receipt.receipt_no in page.message.text() and "Redeemed" not in page.message.text()


def test_a_pdf_nobody_could_open_is_not_reported_as_printed(qtbot, counter, tmp_path):
    """B2: no PDF viewer opened: the volunteer is told the receipt was NOT printed, where
    the file is, and that F5 reprints — never a plain "redeemed" alone."""
    told = []
    mid = counter.member("李四", points=20)
    out = ReceiptOutput(folder=tmp_path / "receipts", open_pdf=True, notify=told.append,
                        open_file=lambda path: False)
    page, receipt = _redeem_soap_on_a_page(qtbot, counter, mid, out)
    qtbot.waitUntil(lambda: "could not be printed" in page.message.text(), timeout=10_000)
    assert receipt.receipt_no in page.message.text() and "F5" in page.message.text()
    pdf = next((tmp_path / "receipts").glob("*.pdf"))
    assert len(told) == 1 and "小票未打印" in told[0] and str(pdf) in told[0] and "F5" in told[0]
    # the next receipt: the page's line says it again, but no second box (trial)
    page.say("")
    page.print_receipt(receipt)
    qtbot.waitUntil(lambda: "could not be printed" in page.message.text(), timeout=10_000)
    assert len(told) == 1


# --- system printer through QPrinter -------------------------------------------------------

def test_system_printer_paints_on_show_into_a_pdf(qtbot, receipt, tmp_path):
    target = tmp_path / "system.pdf"
    out = ReceiptOutput(output=SYSTEM, make_printer=lambda: pdf_printer(target))
    result = out.render(receipt)  # worker side: nothing painted yet
    assert result == PendingPrint(receipt) and not target.exists()
    assert out.show(result) is True  # GUI thread: paints
    text = pdftotext(target)
    assert receipt.receipt_no in text
    assert nfkc(NAME) in text
    assert nfkc(DEFAULT_FOOTER) in text
    w, h = page_size_mm(target)
    assert w == pytest.approx(58, abs=0.5) and 80 < h < 300  # roll: as tall as the receipt
    png = pdf_pages_png(target, tmp_path / "page", dpi=300)[0]
    assert [b.text for b in decode_barcodes(png)] == [receipt.receipt_no]


def test_system_printer_on_a4_80mm(qtbot, receipt, tmp_path):
    target = tmp_path / "a4.pdf"
    printer = pdf_printer(target)
    pages = qt_receipt_printer.print_receipt(printer, receipt, 80, "谢谢", paper="A4")
    assert pages == 1
    w, h = page_size_mm(target)
    assert (round(w), round(h)) == (210, 297)
    text = pdftotext(target)
    assert receipt.receipt_no in text and NAME in text and "谢谢" in text


@pytest.mark.qt_log_ignore("QPainter::begin", "QPdfWriter", "QPrinter")
def test_system_printer_failure_is_reported_not_raised(qtbot, receipt, tmp_path):
    messages = []
    target = tmp_path / "missing-dir" / "x.pdf"  # the PDF "printer" cannot open its file
    out = ReceiptOutput(output=SYSTEM, make_printer=lambda: pdf_printer(target),
                        notify=messages.append)
    assert out.show(out.render(receipt)) is False
    assert len(messages) == 1 and messages[0].startswith("小票未打印：")
    assert "F5" in messages[0]


def test_no_system_printer_is_reported(qtbot, receipt, monkeypatch):
    monkeypatch.setattr(qt_receipt_printer.QPrinterInfo, "availablePrinterNames",
                        staticmethod(list))
    messages = []
    out = ReceiptOutput(output=SYSTEM, notify=messages.append)
    assert out.show(out.render(receipt)) is False
    assert messages == ["小票未打印：这台电脑没有安装打印机。请检查打印机后按 F5 重打"]


# --- settings ----------------------------------------------------------------------------

def test_from_settings_picks_output_and_printer(tmp_path):
    s = LocalSettings(receipt_output="escpos", receipt_width_mm=80, receipt_footer="",
                      escpos_connection="network", escpos_host=" 192.168.1.50 ",
                      escpos_port=9100)
    out = ReceiptOutput.from_settings(s, folder=tmp_path)
    assert (out.output, out.width_mm, out.footer, out.folder) == (ESCPOS, 80, "", tmp_path)
    assert out.escpos == {"type": "network", "host": "192.168.1.50", "port": 9100,
                          "timeout": 5}
    assert ReceiptOutput.from_settings(LocalSettings()).footer == DEFAULT_FOOTER
    assert escpos_config(LocalSettings(escpos_connection="usb", escpos_usb_vid="0x0416",
                                       escpos_usb_pid="0x5011")) == {
        "type": "usb", "vendor_id": "0x0416", "product_id": "0x5011"}
    bad = ReceiptOutput.from_settings(LocalSettings(receipt_output="fax"))
    assert bad.output == PDF  # a bad settings file still gives receipts
