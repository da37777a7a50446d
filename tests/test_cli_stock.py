"""The stock CLI: receive / write-off / report, import and export, voucher use, merchant
settlement (PDF via pdftotext, .xlsx via openpyxl), and its Chinese refusals."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from counter_app import items, redemption, vouchers
from counter_app.db.models import ItemKind
from counter_app.merchants import add as add_merchant
from documents_fixtures import nfkc, pdftotext

STAFF = ("--operator", "刘库管", "--pin", "3333")


@pytest.fixture
def db_path(counter):
    return counter.db.path


def test_receive_writeoff_and_refusals(counter, run_cli, db_path):
    r = run_cli("--db", db_path, "stock", "receive", "6901234567908", "12", "--source",
                "purchase", *STAFF)
    assert r.rc == 0 and "现有库存 112" in r.stdout, r.stderr
    r = run_cli("--db", db_path, "stock", "receive", "香皂", "0", "--source", "purchase", *STAFF)
    assert r.rc == 2 and "入库数量必须是正整数（收到 0）" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("--db", db_path, "stock", "receive", "香皂", "3", "--source", "donation", *STAFF)
    assert r.rc == 2 and "商家让利入库要写明是哪一家商家" in r.stderr
    r = run_cli("--db", db_path, "stock", "writeoff", "香皂", "2", "--reason", "damaged", *STAFF)
    assert r.rc == 0 and "现有库存 110" in r.stdout
    r = run_cli("--db", db_path, "stock", "levels")
    assert "香皂\t110块" in r.stdout


def test_stock_report_pdf_and_xlsx(counter, run_cli, db_path, tmp_path):
    shop = add_merchant(counter.db, counter.stock_staff, "好邻居超市")
    from counter_app import stock
    stock.receive_goods(counter.db, counter.stock_staff, counter.rice, 4, "donation",
                        merchant_id=shop)
    pdf = tmp_path / "stock.pdf"
    r = run_cli("--db", db_path, "stock", "report", "--out", pdf)
    assert r.rc == 0, r.stderr
    text = nfkc(pdftotext(pdf))
    assert "库存报表" in text and "大米 5kg" in text and "商家让利" in text
    assert "好邻居超市" in text and "280" in text  # 14 bags x 20 points on hand
    xlsx = tmp_path / "stock.xlsx"
    assert run_cli("--db", db_path, "stock", "report", "--out", xlsx).rc == 0
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["库存与价值", "本期出入库", "商家让利"]
    rice = next(r for r in wb["库存与价值"].iter_rows(min_row=2, values_only=True)
                if r[1] == "大米 5kg")
    assert rice[3:6] == (14, 20, 280)
    assert list(wb["商家让利"].iter_rows(min_row=2, values_only=True)) == [
        ("好邻居超市", "大米 5kg", 4, 80)]


def test_voucher_use_once_and_monthly_settlement(counter, run_cli, db_path, tmp_path):
    shop = add_merchant(counter.db, counter.stock_staff, "老王理发店", address="幸福路 3 号")
    offer = items.add_item(counter.db, counter.stock_staff, community_id=counter.info.community_id,
                           name="理发八折券", kind=ItemKind.MERCHANT_OFFER, category="商家优惠",
                           points=15, unit="张", merchant_id=shop)
    mid = counter.member(points=40)
    receipt = redemption.checkout(counter.db, counter.volunteer, mid,
                                  [redemption.CartLine(offer, 2)])
    code = receipt.vouchers[0].code
    vol = ("--operator", "王阿姨", "--pin", "1111")
    with counter.db.read() as s:
        who = vouchers.check(s, code).member
    r = run_cli("--db", db_path, "voucher", "check", code)
    assert r.rc == 0 and "有效" in r.stdout and f"兑换会员：{who}" in r.stdout, r
    r = run_cli("--db", db_path, "voucher", "use", code, *vol)
    assert r.rc == 0 and "已核销" in r.stdout and f"兑换会员：{who}" in r.stdout, r.stderr
    r = run_cli("--db", db_path, "voucher", "use", code, *vol)
    assert r.rc == 2 and "不能再用" in r.stderr
    r = run_cli("--db", db_path, "voucher", "use", code[:-1] + str((int(code[-1]) + 3) % 10), *vol)
    assert r.rc == 2 and "校验位不对" in r.stderr
    month = receipt.created_at.strftime("%Y-%m")  # UTC month; the local one is the same here
    from counter_app.localtime import local_date
    month = local_date(receipt.created_at).strftime("%Y-%m")
    pdf, xlsx = tmp_path / "settle.pdf", tmp_path / "settle.xlsx"
    r = run_cli("--db", db_path, "merchants", "settle", "--month", month, "--out", pdf)
    assert r.rc == 0 and "发放 2 张，使用 1 张" in r.stdout, r.stderr
    text = nfkc(pdftotext(pdf))
    assert "商居联盟月度结算" in text and "老王理发店" in text and code in text
    assert run_cli("--db", db_path, "merchants", "settle", "--month", month, "--out", xlsx).rc == 0
    wb = load_workbook(xlsx)
    summary = list(wb["汇总"].iter_rows(min_row=2, values_only=True))
    assert summary == [("老王理发店", "幸福路 3 号", None, 2, 1, 30, 15)]
    assert len(list(wb["明细"].iter_rows(min_row=2))) == 2
    r = run_cli("--db", db_path, "merchants", "settle", "--month", "2026-13", "--out", pdf)
    assert r.rc == 2 and "月份“2026-13”的格式不对" in r.stderr


def test_import_export_items(counter, run_cli, db_path, tmp_path):
    out = tmp_path / "items.xlsx"
    assert run_cli("--db", db_path, "export", "items", out).rc == 0
    r = run_cli("--db", db_path, "import", "items", out, *STAFF)
    assert r.rc == 0 and "新增 0 件，修改 0 件，未变 4 件" in r.stdout, r.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("名称,类型,类别,积分\n醋,实物,粮油,abc\n", encoding="utf-8")
    r = run_cli("--db", db_path, "import", "items", bad, *STAFF)
    assert r.rc == 2 and "第 2 行「积分」：“abc”不是整数" in r.stderr
