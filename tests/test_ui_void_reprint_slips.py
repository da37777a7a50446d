"""At the counter: the void slip carries the void's facts and F5 prints a reprint marked
补打 (PDF output into the receipts folder, read back with poppler)."""

from __future__ import annotations

from documents_fixtures import nfkc, pdftotext

from counter_app import ledger, redemption
from counter_app.ui.common.context import UiContext
from counter_app.ui.counter.counter_page import CounterPage
from counter_app.ui.counter.void_dialog import VoidDialog
from counter_app.ui.devices.receipt_output import ReceiptOutput


def _flat(path) -> str:
    return pdftotext(path).replace(" ", "").replace("\n", "")


def test_void_slip_and_reprint_from_the_counter_page(qtbot, counter, tmp_path):
    mid = counter.member("赵六", points=50)
    folder = tmp_path / "receipts"
    ctx = UiContext(db=counter.db, counter=counter.info, actor=counter.volunteer)
    page = CounterPage(ctx, ReceiptOutput(folder=folder, open_pdf=False))
    qtbot.addWidget(page)
    receipt_no = redemption.checkout(counter.db, counter.volunteer, mid,
                                     [redemption.CartLine(counter.rice, 1)]).receipt_no

    dialog = VoidDialog(page.ctx, page)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.admin.count() == 1, timeout=5000)
    dialog.reason.setText("会员拿错了")
    dialog.pin.setText("1234")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.submit()
    page.print_receipt(dialog.result_receipt)  # what page.void() does after the dialog
    void_pdf = folder / f"{receipt_no}-void.pdf"
    qtbot.waitUntil(void_pdf.exists, timeout=10_000)
    with counter.db.read() as s:
        balance = ledger.balance_of(s, mid)
    flat = _flat(void_pdf)
    for expected in ("作废单", "作废原因:会员拿错了", "提出人:王阿姨", "批准管理员:管理员",
                     f"作废后余额{balance}积分"):
        assert nfkc(expected) in flat, expected

    page.reprint()  # F5: the last receipt again, now as a reprint of its void slip
    qtbot.waitUntil(lambda: any(folder.glob(f"{receipt_no}-void-reprint-*.pdf")),
                    timeout=10_000)
    (reprint,) = folder.glob(f"{receipt_no}-void-reprint-*.pdf")
    flat = _flat(reprint)
    assert "补打时间" in flat and nfkc(f"作废后余额{balance}积分") in flat
