"""The receipt layout model: widths in printer columns, wrapping, content."""

from __future__ import annotations

import dataclasses
import time
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.documents.layout import (
    COLUMNS, DEFAULT_FOOTER, char_width, receipt_layout, receipt_lines, receipt_slip,
    text_width, wrap,
)
from counter_app.documents.receipt_facts import PrintableReceipt, VoidFacts
from counter_app.documents.slip import BIG, CUT, NORMAL, SMALL, TITLE, SlipLine, budget
from counter_app.redemption import Receipt, ReceiptLine

from documents_fixtures import FOOTER_WITH_YEN, LONG_NAME

RECEIPT = Receipt(
    receipt_no="XF01-000042", created_at=datetime(2024, 5, 1, 6, 30), community="幸福社区",
    counter_id="XF01", counter_name="幸福社区积分超市", operator="管理员", member_id=7,
    member_name="曾小明", phone_masked="138****5678",
    lines=(ReceiptLine("大米5kg", 1, 20), ReceiptLine(LONG_NAME, 2, 35),
           ReceiptLine("爱心理发服务", 12, 1500)),
    total=18090, balance_before=20000,
)
VOID = VoidFacts(voided_at=datetime(2024, 5, 1, 7, 5), reason="会员拿错了物品",
                 approved_by="王管理", requested_by="李志愿", points_back=18090,
                 balance_after=20255)


@pytest.fixture
def shanghai(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _text(slip) -> str:
    return "\n".join(slip.text_lines())


def test_char_width_counts_printer_columns():
    assert [char_width(c) for c in "A1 积￥：×·"] == [1, 1, 1, 2, 2, 2, 2, 2]
    assert text_width("大米5kg") == 7
    assert char_width("\u0301") == 0  # combining accent takes no column


@pytest.mark.parametrize("width_mm", [58, 80])
def test_every_line_fits_the_paper(width_mm):
    columns = COLUMNS[width_mm]
    voided = PrintableReceipt(dataclasses.replace(RECEIPT, voided=True), VOID,
                              reprinted_at=datetime(2024, 5, 2, 1, 0))
    for receipt in (RECEIPT, voided):
        for line in receipt_slip(receipt, columns, FOOTER_WITH_YEN).lines:
            # printed size: title doubles width, big prints 1.5x (PDF) / double height
            assert text_width(line.text(columns)) <= budget(line.style, columns), line
            scale = {TITLE: 2, BIG: 1.5}.get(line.style, 1)
            assert text_width(line.text(columns)) * scale <= columns, line


@pytest.mark.parametrize("columns", [32, 48])
def test_long_names_are_wrapped_not_truncated(columns):
    names = "".join(l.left for l in receipt_layout(RECEIPT, columns))
    assert LONG_NAME in names


def test_receipt_holds_what_the_member_needs_to_see(shanghai):
    lines = receipt_lines(RECEIPT, 32, FOOTER_WITH_YEN)
    text = "\n".join(lines)
    for expected in ("幸福社区积分超市", "幸福社区", "小票号：XF01-000042", "操作员：管理员",
                     "会员：曾小明", "138****5678", "1 × 20 = 20", "12 × 1500 = 18000",
                     "18090 积分", "20000 积分", "1910 积分", "爱心餐：￥10"):
        assert expected in text, expected
    assert "2024-05-01 14:30" in text  # stored 06:30 UTC, shown in local (UTC+8) time
    assert "作废" not in text and "补打" not in text


def test_emphasis_is_size_never_bold():
    slip = receipt_slip(RECEIPT, 32)
    styles = {l.left.split("：")[0]: l.style for l in slip.lines if l.kind == "text"}
    assert styles["幸福社区积分超市"] == TITLE
    assert styles["会员"] == BIG and styles["兑换后余额"] == BIG and styles["合计"] == BIG
    assert styles["小票号"] == NORMAL
    assert slip.lines[-1].kind == CUT


def test_void_slip_says_what_was_undone_why_by_whom_and_the_balance_now(shanghai):
    slip = receipt_slip(dataclasses.replace(RECEIPT, voided=True), 32, void=VOID)
    text = _text(slip)
    for expected in ("作废单", "撤销兑换", "原小票号：XF01-000042", "原兑换时间：2024-05-01 14:30",
                     "作废时间：2024-05-01 15:05", "作废原因：会员拿错了物品", "提出人：李志愿",
                     "批准管理员：王管理", "退回积分", "18090 积分", "作废后余额",
                     "20255 积分", "积分已退回"):
        assert expected in text, expected
    # the sale's balance after (1910) must not appear, least of all in large type
    assert "1910" not in text and "兑换后余额" not in text
    (after,) = [l for l in slip.lines if l.left == "作废后余额"]
    assert after.style == BIG and after.right == "20255 积分"
    assert slip.title == "作废单 XF01-000042"


def test_void_slip_without_facts_prints_no_misleading_balance():
    text = _text(receipt_slip(dataclasses.replace(RECEIPT, voided=True), 32))
    assert "作废单" in text and "1910" not in text and "余额" not in text


def test_reprint_is_marked_with_its_time(shanghai):
    slip = receipt_slip(PrintableReceipt(RECEIPT, reprinted_at=datetime(2024, 5, 2, 1, 0)), 32)
    text = _text(slip)
    assert "补打时间：2024-05-02 09:00" in text
    (mark,) = [l for l in slip.lines if l.left == "补打"]
    assert mark.style == BIG and mark.invert
    assert slip.title == "兑换小票 XF01-000042（补打）"
    void_reprint = receipt_slip(PrintableReceipt(dataclasses.replace(RECEIPT, voided=True), VOID,
                                                 datetime(2024, 5, 2, 1, 0)), 32)
    assert "补打时间" in _text(void_reprint) and "作废后余额" in _text(void_reprint)


def test_a_number_stays_with_its_unit_and_currency_sign():
    # "10" used to end one line and "元爱心餐" start the next
    for width in range(8, 30):
        joined = "|".join(wrap("本月起每位会员可领10元爱心餐券一张，凭￥10抵用", width))
        for broken in ("10|元", "￥|10", "1|0"):
            assert broken not in joined, (width, joined)
        assert not any(l.endswith("（") for l in wrap("联华超市满50减10元代金券（限本社区居民）",
                                                       width)), width


def test_default_footer_and_no_footer():
    assert DEFAULT_FOOTER in "".join(receipt_lines(RECEIPT, 48))
    assert DEFAULT_FOOTER not in "".join(receipt_lines(RECEIPT, 48, footer=None))


def test_voided_receipt_has_banners():
    layout = receipt_layout(dataclasses.replace(RECEIPT, voided=True), 32)
    banners = [l for l in layout if "作废单" in l.left and l.invert]
    assert len(banners) == 2 and layout[0] is banners[0] and layout[-1] is banners[1]
    assert any("积分已退回" in l.left for l in layout)


def test_slip_lines_refuse_unknown_styles():
    with pytest.raises(ValueError):
        SlipLine("x", style="bold")
    assert SlipLine("x", style=SMALL).budget(32) == 32


def test_barcode_line_carries_the_receipt_number():
    (line,) = [l for l in receipt_layout(RECEIPT, 32) if l.kind == "barcode"]
    assert line.left == "XF01-000042"


def test_wrap_keeps_ascii_words_and_chinese_punctuation_rules():
    assert wrap("大米 5kg装", 6) == ["大米", "5kg装"]
    lines = wrap("金龙鱼食用植物调和油，非转基因", 10)
    assert not any(l.startswith("，") for l in lines)
    assert "".join(lines) == "金龙鱼食用植物调和油，非转基因"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("积分超市大米油abcXYZ0123456789 ，。！（）￥-·×"),
               max_size=80),
       st.integers(min_value=2, max_value=48))
def test_wrap_never_exceeds_width_nor_loses_text(text, width):
    lines = wrap(text, width)
    assert all(text_width(l) <= width for l in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_printable_receipt_answers_for_its_receipt():
    printable = PrintableReceipt(RECEIPT, reprinted_at=datetime(2024, 5, 2, 1, 0))
    assert (printable.receipt_no, printable.total, printable.voided) == ("XF01-000042", 18090,
                                                                        False)
    assert dataclasses.replace(printable, void=VOID).void is VOID
    with pytest.raises(AttributeError):
        printable.no_such_field
