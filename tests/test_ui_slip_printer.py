"""Slips on a system printer (QPrinter printing into a PDF, read back with poppler and
zxing): void slip facts, reprint mark, no synthesized bold; receipt files beside the
database in use."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from documents_fixtures import (
    decode_barcodes, nfkc, pdf_pages_png, pdf_streams, pdftotext,
)
from PySide6.QtPrintSupport import QPrinter

from earning_helpers import credit  # noqa: E402
from counter_app import redemption
from counter_app.documents import fonts, printable_receipt
from counter_app.documents.slip import BARCODE, BIG, CUT, NORMAL, QR, TITLE, Slip, SlipLine
from counter_app.ui.devices import qt_receipt_printer
from counter_app.ui.devices.receipt_output import PDF, ReceiptOutput


def pdf_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


@pytest.fixture
def voided(counter):
    """Checkout 25, 10 points more afterwards, then a void asked for by the volunteer."""
    mid = counter.member("曾小明", phone="13812345678", points=40)
    r = redemption.checkout(counter.db, counter.volunteer, mid,
                            [redemption.CartLine(counter.soap, 1),
                             redemption.CartLine(counter.rice, 1)])
    credit(counter.db, counter.reviewer, mid, counter.point_item)
    redemption.void(counter.db, counter.admin, r.receipt_no, "重复扫码", requested_by="王阿姨")
    with counter.db.read() as s:
        return printable_receipt(s, r.receipt_no, reprinted_at=datetime(2026, 1, 2, 3, 4))


def test_void_slip_on_a_system_printer_shows_the_void(qtbot, voided, tmp_path):
    target = tmp_path / "void.pdf"
    assert qt_receipt_printer.print_receipt(pdf_printer(target), voided, 58) == 1
    flat = pdftotext(target).replace(" ", "").replace("\n", "")
    assert voided.void.balance_after == 50 and voided.receipt.balance_after == 15
    for expected in ("作废单", "撤销兑换", f"原小票号:{voided.receipt_no}", "作废原因:重复扫码",
                     "提出人:王阿姨", "批准管理员:管理员", "作废后余额50积分", "补打",
                     "补打时间"):
        assert nfkc(expected) in flat, expected
    assert "兑换后余额" not in flat
    (png,) = pdf_pages_png(target, tmp_path / "void", dpi=300)
    assert [b.text for b in decode_barcodes(png)] == [voided.receipt_no]


def test_emphasis_is_never_synthesized_bold(qtbot, tmp_path):
    # Without a bold face Qt emboldens by painting each glyph run twice, slightly shifted:
    # the same smear as before. Emphasised lines must draw exactly as often as plain ones.
    texts = ["幸福社区", "会员：曾小明", "兑换后余额 10 积分"]

    def text_draws(style: str, name: str) -> int:
        slip = Slip("t", 32, tuple(SlipLine(t, style=style) for t in texts))
        target = tmp_path / name
        qt_receipt_printer.print_slip(pdf_printer(target), slip, 58)
        return pdf_streams(target).count(b"Tj")

    plain = text_draws(NORMAL, "plain.pdf")
    assert plain > 0
    if fonts.pdf_bold_font() is None:  # e.g. WenQuanYi: no bold face, so size alone
        assert text_draws(TITLE, "title.pdf") == text_draws(BIG, "big.pdf") == plain


def test_any_slip_prints_on_a_system_printer(qtbot, tmp_path):
    slip = Slip("代金券", 32, (SlipLine("爱心代金券", style=TITLE, center=True),
                              SlipLine("VC-2026-0001", kind=QR), SlipLine(kind=CUT),
                              SlipLine("VC-2026-0001", kind=BARCODE), SlipLine(kind=CUT)))
    target = tmp_path / "s.pdf"
    assert qt_receipt_printer.print_slip(pdf_printer(target), slip, 58) == 1
    assert "爱心代金券" in pdftotext(target)
    (png,) = pdf_pages_png(target, tmp_path / "s", dpi=300)
    found = sorted((re.sub(r"[^A-Z0-9]", "", str(b.format).split(".")[-1].upper()), b.text)
                   for b in decode_barcodes(png))
    assert found == [("CODE128", "VC-2026-0001"), ("QRCODE", "VC-2026-0001")]


def test_receipt_pdfs_go_beside_the_database_and_a_reprint_keeps_the_first(voided, tmp_path):
    db_path = tmp_path / "stick" / "counter.db"
    out = ReceiptOutput(output=PDF, open_pdf=False, db_path=db_path)
    first = out.render(voided.receipt)
    again = out.render(voided)  # the reprint of the void slip
    assert first.parent == again.parent == tmp_path / "stick" / "receipts"
    assert first != again and first.exists() and again.exists()
    assert "补打" in pdftotext(again) and "补打" not in pdftotext(first)
