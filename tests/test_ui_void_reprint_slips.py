"""At the counter: the void slip carries the void's facts and F5 prints a reprint marked
补打 (PDF output into the receipts folder, read back with poppler)."""

from __future__ import annotations

import pytest
from documents_fixtures import nfkc, pdftotext
from PySide6.QtWidgets import QApplication

from counter_app import ledger
from counter_app.members import get_member
from counter_app.ui.counter.void_dialog import VoidDialog
from counter_app.ui.devices.receipt_output import ReceiptOutput
from counter_app.ui.shell.session import CounterSession

from ui_helpers import login, wedge_scan


@pytest.fixture
def session(qtbot, counter, tmp_path):
    s = CounterSession(counter.db, ReceiptOutput(folder=tmp_path / "receipts", open_pdf=False))
    s.start()
    qtbot.addWidget(s.login)
    yield s
    QApplication.instance().removeEventFilter(s.wedge)
    if s.window is not None:
        s.window.close()
        s.window.deleteLater()


def _flat(path) -> str:
    return pdftotext(path).replace(" ", "").replace("\n", "")


def test_void_slip_and_reprint_from_the_counter_page(qtbot, session, counter, monkeypatch,
                                                     tmp_path):
    mid = counter.member("赵六", points=50)
    window = login(qtbot, session, counter.volunteer.operator_id, "1111")
    page = window.pages[0]
    monkeypatch.setattr(page, "confirm", lambda question: True)
    with counter.db.read() as s:
        card = get_member(s, mid).card_code
    with qtbot.waitSignal(page.member_shown, timeout=5000):
        wedge_scan(page.input, card)
    with qtbot.waitSignal(page.cart.changed, timeout=5000):
        page.tiles.buttons[counter.rice].click()
    with qtbot.waitSignal(page.checked_out, timeout=10_000) as done:
        page.checkout()
    receipt_no = done.args[0].receipt_no
    folder = tmp_path / "receipts"
    qtbot.waitUntil(lambda: (folder / f"{receipt_no}.pdf").exists(), timeout=10_000)

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
