"""Merchant-offer vouchers: issued with the receipt, used exactly once (also by two
processes at once), expired / mistyped / reused refused, voids cancel them."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from counter_app import clock, items, redemption, vouchers
from counter_app.db.models import ItemKind
from counter_app.db.stock_models import VoucherUse
from counter_app.errors import NotReversible
from counter_app.merchants import add as add_merchant
from conftest import TESTS, subprocess_env


@pytest.fixture
def offer(counter):
    shop = add_merchant(counter.db, counter.stock_staff, "老王理发店", address="幸福路 3 号",
                        contact="13800001111")
    item = items.add_item(counter.db, counter.stock_staff, community_id=counter.info.community_id,
                          name="理发八折券", kind=ItemKind.MERCHANT_OFFER, category="商家优惠",
                          points=15, unit="张", merchant_id=shop, voucher_days=7)
    return item


def _redeem(counter, offer, qty=1):
    mid = counter.member(points=40)
    return redemption.checkout(counter.db, counter.volunteer, mid,
                               [redemption.CartLine(offer, qty)])


def test_redeeming_an_offer_issues_vouchers_with_a_check_digit(counter, offer):
    receipt = _redeem(counter, offer, 2)
    assert len(receipt.vouchers) == 2
    for v in receipt.vouchers:
        assert vouchers.normalise(v.code) == v.code and v.merchant == "老王理发店"
        assert (v.last_day - receipt.created_at.date()).days in (7, 8)  # local date
    with counter.db.read() as s:
        assert [v.code for v in redemption.receipt(s, receipt.receipt_no).vouchers] == \
            [v.code for v in receipt.vouchers]


def test_a_voucher_is_used_once_and_mistyped_codes_are_refused(counter, offer):
    (v,) = _redeem(counter, offer).vouchers
    wrong = v.code[:-1] + str((int(v.code[-1]) + 1) % 10)
    with pytest.raises(vouchers.VoucherRefused, match=f"优惠券号 {wrong} 的校验位不对"):
        vouchers.use(counter.db, counter.volunteer, wrong)
    with pytest.raises(vouchers.VoucherRefused, match="不是优惠券号"):
        vouchers.use(counter.db, counter.volunteer, "VC-123")
    used = vouchers.use(counter.db, counter.volunteer, v.code.lower())
    assert used.status == "used" and used.used_counter == "XF01"
    with pytest.raises(vouchers.VoucherRefused, match=f"优惠券 {v.code} 已于 .* 在 XF01 使用，不能再用"):
        vouchers.use(counter.db, counter.volunteer, v.code)


def test_an_expired_voucher_is_refused(counter, offer):
    (v,) = _redeem(counter, offer).vouchers
    with clock.frozen(v.valid_until + timedelta(seconds=1)):
        with pytest.raises(vouchers.VoucherRefused, match="已过期（有效期至"):
            vouchers.use(counter.db, counter.volunteer, v.code)
    with clock.frozen(v.valid_until - timedelta(seconds=1)):
        assert vouchers.use(counter.db, counter.volunteer, v.code).status == "used"


def test_a_void_cancels_unused_vouchers_and_a_used_one_blocks_the_void(counter, offer):
    first = _redeem(counter, offer)
    redemption.void(counter.db, counter.admin, first.receipt_no, "兑错了")
    with pytest.raises(vouchers.VoucherRefused, match="作废，不能再用"):
        vouchers.use(counter.db, counter.volunteer, first.vouchers[0].code)
    second = _redeem(counter, offer)
    vouchers.use(counter.db, counter.volunteer, second.vouchers[0].code)
    with pytest.raises(NotReversible, match="已在商家使用，不能作废这张小票"):
        redemption.void(counter.db, counter.admin, second.receipt_no, "兑错了")


def test_two_processes_using_one_voucher_at_once_one_wins(counter, offer, tmp_path):
    (v,) = _redeem(counter, offer).vouchers
    procs = [subprocess.Popen([sys.executable, str(TESTS / "voucher_worker.py"),
                               str(counter.db.path), v.code, "XF01"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              env=subprocess_env(tmp_path)) for _ in range(2)]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready"
        for p in procs:  # both go at once
            p.stdin.write("go\n")
            p.stdin.flush()
        outs = sorted(p.stdout.readline().strip() for p in procs)
    finally:
        for p in procs:
            p.stdin.close()
            p.wait(timeout=60)
    assert outs[0].startswith("refused: 优惠券") and "已于" in outs[0]
    assert outs[1] == "used"
    with counter.db.read() as s:
        assert s.scalar(select(func.count()).select_from(VoucherUse)) == 1


def test_the_receipt_pdf_prints_the_voucher_code_and_validity(counter, offer, tmp_path):
    from counter_app.documents.receipt_facts import PrintableReceipt
    from counter_app.documents.receipt_pdf import receipt_pdf
    from documents_fixtures import decode_barcodes, nfkc, pdf_pages_png, pdftotext

    receipt = _redeem(counter, offer)
    (v,) = receipt.vouchers
    out = tmp_path / "r.pdf"
    receipt_pdf(PrintableReceipt(receipt), out)
    text = nfkc(pdftotext(out))
    assert "商家优惠券" in text and v.code in text and f"{v.last_day:%Y-%m-%d}" in text
    found = [b for png in pdf_pages_png(out, tmp_path / "page") for b in decode_barcodes(png)]
    kinds = {str(b.format) for b in found if b.text == v.code}
    assert any("QR" in k for k in kinds) and any("128" in k for k in kinds), found


def test_a_voucher_used_at_another_counter_arrives_by_sync_and_is_refused(counter, offer):
    # What the pull writes when another counter's use of this voucher reaches this file.
    from counter_app.db.stock_models import Voucher

    (v,) = _redeem(counter, offer).vouchers
    with counter.db.write() as s:
        voucher = s.scalar(select(Voucher).where(Voucher.code == v.code))
        s.add(VoucherUse(voucher_id=voucher.id, kind="used", counter_id="XF02",
                         at=v.issued_at + timedelta(hours=1)))
    with pytest.raises(vouchers.VoucherRefused, match=f"优惠券 {v.code} 已于 .* 在 XF02 使用，不能再用"):
        vouchers.use(counter.db, counter.volunteer, v.code)
