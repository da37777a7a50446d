"""The receipt layout model: widths in printer columns, wrapping, content."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.documents.layout import (
    COLUMNS, DEFAULT_FOOTER, char_width, receipt_layout, receipt_lines, text_width, wrap,
)
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


def test_char_width_counts_printer_columns():
    assert [char_width(c) for c in "A1 积￥：×·"] == [1, 1, 1, 2, 2, 2, 2, 2]
    assert text_width("大米5kg") == 7
    assert char_width("\u0301") == 0  # combining accent takes no column


@pytest.mark.parametrize("width_mm", [58, 80])
def test_every_line_fits_the_paper(width_mm):
    columns = COLUMNS[width_mm]
    for line in receipt_layout(RECEIPT, columns, FOOTER_WITH_YEN):
        factor = 2 if line.wide else 1
        assert text_width(line.text(columns)) * factor <= columns, line


@pytest.mark.parametrize("columns", [32, 48])
def test_long_names_are_wrapped_not_truncated(columns):
    names = "".join(l.left for l in receipt_layout(RECEIPT, columns))
    assert LONG_NAME in names


def test_receipt_holds_what_the_member_needs_to_see():
    lines = receipt_lines(RECEIPT, 32, FOOTER_WITH_YEN, tz=timezone(timedelta(hours=8)))
    text = "\n".join(lines)
    for expected in ("幸福社区积分超市", "幸福社区", "小票号：XF01-000042", "操作员：管理员",
                     "会员：曾小明", "138****5678", "1 × 20 = 20", "12 × 1500 = 18000",
                     "18090 积分", "20000 积分", "1910 积分", "爱心餐：￥10"):
        assert expected in text, expected
    assert "2024-05-01 14:30" in text  # stored 06:30 UTC, shown in local (UTC+8) time
    assert "已作废" not in text


def test_default_footer_and_no_footer():
    assert DEFAULT_FOOTER in "".join(receipt_lines(RECEIPT, 48))
    assert DEFAULT_FOOTER not in "".join(receipt_lines(RECEIPT, 48, footer=None))


def test_voided_receipt_has_banners():
    layout = receipt_layout(dataclasses.replace(RECEIPT, voided=True), 32)
    banners = [l for l in layout if "已作废" in l.left and l.invert]
    assert len(banners) == 2 and layout[0] is banners[0] and layout[-1] is banners[1]
    assert any("积分已退回" in l.left for l in layout)


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
