"""Receipt PDFs, member card sheets and shelf labels, read back with poppler and zxing."""

from __future__ import annotations

import dataclasses
import logging
import re

import pytest

from counter_app import members, redemption
from datetime import datetime

from counter_app import ledger
from counter_app.documents import (
    card_sheet_pdf, fonts, label_items, label_sheet_pdf, printable_receipt, receipt_pdf,
    slip_pdf,
)
from counter_app.documents.slip import BARCODE, CUT, QR, TITLE, Slip, SlipLine
from counter_app import card_codes
from counter_app.item_codes import internal_code, item_id_from_code

from documents_fixtures import (
    FOOTER_WITH_YEN, LONG_NAME, add_members, build_world, decode_barcodes, nfkc, pdf_pages_png,
    pdf_streams, pdffonts, pdftotext,
)

HAS_TRUETYPE_CJK = fonts.pdf_font().embedded


def _fmt(barcode) -> str:
    """zxing-cpp's format name, normalised: "EAN-13" / BarcodeFormat.EAN13 -> "EAN13"."""
    return str(barcode.format).split(".")[-1].replace(" ", "").replace("-", "").upper()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build_world(tmp_path_factory.mktemp("pdf"))


@pytest.fixture(scope="module")
def receipt(world):
    with world.db.read() as s:
        return redemption.receipt(s, world.receipt_no)


def _assert_cjk_font_embedded(path):
    rows = pdffonts(path)
    assert rows, "no fonts in PDF"
    if HAS_TRUETYPE_CJK:
        assert all(r["emb"] == "yes" for r in rows), rows  # nothing left to the viewer
        assert any("WenQuanYi" in r["name"] or "YaHei" in r["name"] or "Sim" in r["name"]
                   or "Ming" in r["name"] or "Kai" in r["name"] for r in rows), rows


@pytest.mark.parametrize("width_mm", [58, 80])
def test_receipt_pdf_text_font_and_barcode(receipt, tmp_path, width_mm):
    out = tmp_path / "r.pdf"
    receipt_pdf(receipt, out, width_mm, FOOTER_WITH_YEN)
    text = pdftotext(out)
    flat = text.replace(" ", "").replace("\n", "")
    for expected in ("幸福社区积分超市", "曾小明", "138****5678", "XF01-000001", "90积分",
                     "100积分", "10积分", "1×20=20", "2×35=70", "爱心餐:¥10", "管理员"):
        assert nfkc(expected) in flat, expected
    assert nfkc(LONG_NAME) in flat.replace("2×35=70", "")  # wrapped, not cut
    _assert_cjk_font_embedded(out)
    (png,) = pdf_pages_png(out, tmp_path / "r", dpi=300)
    assert [b.text for b in decode_barcodes(png)] == ["XF01-000001"]


def test_no_fake_bold_in_any_pdf(world, receipt, tmp_path):
    # Fill+stroke text (render mode 2) smears on paper: emphasis is size (or a real bold face)
    receipt_pdf(receipt, tmp_path / "r.pdf", 58)
    with world.db.read() as s:
        label_sheet_pdf(label_items(s, world.info.id, world.info.community_id), tmp_path / "l.pdf")
        card_sheet_pdf([members.get_member(s, world.member_id)], "幸福社区", tmp_path / "c.pdf")
    for name in ("r.pdf", "l.pdf", "c.pdf"):
        ops = pdf_streams(tmp_path / name)
        assert not re.search(rb"(?:^|\s)[1-7] Tr\s", ops), name  # text render mode != fill
    if fonts.pdf_bold_font() is None:  # e.g. WenQuanYi: one face, so one font in the file
        assert len({r["name"] for r in pdffonts(tmp_path / "r.pdf")}) == 1


def test_void_slip_pdf_shows_the_void_and_a_reprint_is_marked(world, tmp_path):
    ledger.adjust(world.db, world.admin, world.member_id, 300, "补发积分")
    r = redemption.checkout(world.db, world.admin, world.member_id,
                            [redemption.CartLine(world.item_ids[0], 1)])
    redemption.void(world.db, world.admin, r.receipt_no, "重复扫码", requested_by="李志愿")
    with world.db.read() as s:
        balance = ledger.balance_of(s, world.member_id)
        void = printable_receipt(s, r.receipt_no, reprinted_at=datetime(2026, 1, 2, 3, 4))
    receipt_pdf(void, tmp_path / "v.pdf", 58)
    flat = pdftotext(tmp_path / "v.pdf").replace(" ", "").replace("\n", "")
    for expected in ("作废单", "撤销兑换", f"原小票号:{r.receipt_no}", "作废原因:重复扫码",
                     "提出人:李志愿", "批准管理员:管理员", f"作废后余额{balance}积分", "补打"):
        assert nfkc(expected) in flat, expected
    assert "兑换后余额" not in flat
    (png,) = pdf_pages_png(tmp_path / "v.pdf", tmp_path / "v", dpi=300)
    assert [b.text for b in decode_barcodes(png)] == [r.receipt_no]


def test_any_slip_renders_to_pdf_with_qr_and_cut(tmp_path):
    slip = Slip("代金券", 32, (SlipLine("爱心代金券", style=TITLE, center=True),
                              SlipLine("VC-2026-0001", kind=QR), SlipLine(kind=CUT),
                              SlipLine("VC-2026-0001", kind=BARCODE), SlipLine(kind=CUT)))
    slip_pdf(slip, tmp_path / "s.pdf", 58)
    assert "爱心代金券" in pdftotext(tmp_path / "s.pdf")
    (png,) = pdf_pages_png(tmp_path / "s.pdf", tmp_path / "s", dpi=300)
    found = sorted((_fmt(b), b.text) for b in decode_barcodes(png))
    assert found == [("CODE128", "VC-2026-0001"), ("QRCODE", "VC-2026-0001")]



def _page_size_mm(path):
    import subprocess

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    line = next(l for l in info.splitlines() if l.startswith("Page size"))
    w, h = (float(v) for v in line.split(":")[1].split("pts")[0].split(" x "))
    return round(w / 72 * 25.4, 1), round(h / 72 * 25.4, 1)


def test_receipt_page_is_roll_width_and_as_tall_as_the_content(receipt, tmp_path):
    receipt_pdf(receipt, tmp_path / "a.pdf", 58)
    longer = dataclasses.replace(receipt, lines=receipt.lines * 5, voided=True)
    receipt_pdf(longer, tmp_path / "b.pdf", 58)
    receipt_pdf(receipt, tmp_path / "c.pdf", 80)
    (wa, ha), (wb, hb), (wc, hc) = (_page_size_mm(tmp_path / n) for n in ("a.pdf", "b.pdf",
                                                                          "c.pdf"))
    assert wa == wb == 58.0 and wc == 80.0
    assert 60 < ha < hb and hc < ha  # 80 mm wraps less, so it is shorter
    assert "作废单" in pdftotext(tmp_path / "b.pdf")


def test_card_sheets_decode_to_exactly_the_members_printed(world, tmp_path):
    ids = add_members(world, 11, compound="锦绣江南")
    with world.db.read() as s:
        rows = [members.get_member(s, i) for i in [world.member_id] + ids]
    assert len(rows) == 12
    out = tmp_path / "cards.pdf"
    assert card_sheet_pdf(rows, "幸福社区", out) == 2
    pages = pdf_pages_png(out, tmp_path / "cards", dpi=300)
    assert len(pages) == 2
    found = [b.text for p in pages for b in decode_barcodes(p)]
    assert sorted(found) == sorted(r.card_code for r in rows)  # each once, nothing else
    text = pdftotext(out)
    for expected in ("幸福社区", "曾小明", "阳光花园 3栋 2单元 501", "测试居民010", "锦绣江南",
                     rows[0].card_code):
        assert nfkc(expected) in text, expected
    _assert_cjk_font_embedded(out)


def test_card_sheet_with_qr_codes(world, tmp_path):
    with world.db.read() as s:
        rows = [members.get_member(s, world.member_id)]
    out = tmp_path / "qr.pdf"
    assert card_sheet_pdf(rows, "幸福社区", out, qr=True) == 1
    (png,) = pdf_pages_png(out, tmp_path / "qr", dpi=300)
    found = sorted((_fmt(b), b.text) for b in decode_barcodes(png))
    code = rows[0].card_code
    assert found == [("CODE128", code), ("QRCODE", code)]
    _assert_cjk_font_embedded(out)


def test_shelf_labels_use_ean13_only_for_valid_codes(world, tmp_path):
    with world.db.read() as s:
        items = label_items(s, world.info.id, world.info.community_id)
    codes = {item.name: code for item, code in items}
    haircut = world.item_ids[3]  # a service: no barcode of its own
    assert codes["大米5kg"] == "6901234567892" and codes["爱心理发"] == internal_code(haircut)
    out = tmp_path / "labels.pdf"
    assert label_sheet_pdf(items, out) == 1
    (png,) = pdf_pages_png(out, tmp_path / "labels", dpi=300)
    found = {b.text: _fmt(b) for b in decode_barcodes(png)}
    assert found == {"6901234567892": "EAN13",  # valid EAN-13
                     "6901234567891": "CODE128",  # bad check digit: printed as is, Code128
                     "JLY-OIL-18": "CODE128",
                     internal_code(haircut): "CODE128"}  # every label can be scanned
    assert item_id_from_code(next(c for c in found if c.startswith("IT"))) == haircut
    flat = pdftotext(out).replace(" ", "").replace("\n", "")
    for expected in ("大米5kg", "20积分/袋", "35积分/桶", "10积分/次", "洗衣皂"):
        assert nfkc(expected) in flat, expected
    _assert_cjk_font_embedded(out)


def test_labels_keep_8_mm_from_every_page_edge(world, tmp_path):
    from PIL import Image

    with world.db.read() as s:
        items = label_items(s, world.info.id, world.info.community_id)
    out = tmp_path / "full.pdf"
    label_sheet_pdf(items * 6, out)  # a full sheet: 24 labels
    (png,) = pdf_pages_png(out, tmp_path / "full", dpi=100)
    with Image.open(png) as img:
        w, h = img.size
        inked = img.convert("L").point(lambda v: 255 if v < 250 else 0).getbbox()
    edge = round(8 / 25.4 * 100)  # 8 mm in pixels at 100 dpi
    left, top, right, bottom = inked  # everything printed, outlines included
    assert left >= edge and top >= edge and right <= w - edge and bottom <= h - edge, inked
    assert right - left > w * 0.85  # and the labels still use the page


def test_internal_item_codes_carry_a_check_digit():
    assert internal_code(12) == "IT-0000125" and item_id_from_code("IT-0000125") == 12
    assert item_id_from_code("it-0000125 ") == 12  # scanners in lower case, stray space
    assert item_id_from_code("IT-0000126") is None  # misread digit
    assert item_id_from_code("IT-0000152") is None  # swapped neighbours
    assert item_id_from_code("IT-0000000") is None and item_id_from_code("6901234567892") is None
    assert not card_codes.is_valid(internal_code(12))  # never mistaken for a member card
    assert item_id_from_code(internal_code(1234567)) == 1234567
    with pytest.raises(ValueError):
        internal_code(0)


def test_many_labels_make_many_pages(tmp_path):
    from types import SimpleNamespace

    items = [(SimpleNamespace(name=f"物品{i}", points=i + 1, unit="件"), f"ITEM{i:04d}")
             for i in range(30)]
    out = tmp_path / "many.pdf"
    assert label_sheet_pdf(items, out) == 2
    pages = pdf_pages_png(out, tmp_path / "many", dpi=300)
    found = sorted(b.text for p in pages for b in decode_barcodes(p))
    assert found == sorted(code for _, code in items)


def test_font_finder_skips_unusable_files_and_falls_back(tmp_path, caplog):
    bogus = tmp_path / "not-a-font.ttf"
    bogus.write_bytes(b"this is no font")
    with caplog.at_level(logging.WARNING, logger="counter_app.documents.fonts"):
        chosen = fonts.choose([bogus, tmp_path / "missing.ttc"])
    assert chosen.name == fonts.FALLBACK_CID and not chosen.embedded
    assert "STSong-Light" in caplog.text


@pytest.mark.skipif(not HAS_TRUETYPE_CJK, reason="no TrueType CJK font installed")
def test_font_finder_finds_an_embeddable_font():
    font = fonts.pdf_font()
    assert font.path is not None and font.path.suffix.lower() in (".ttf", ".ttc")
    assert fonts.cjk_font_path() == font.path


def test_a_slip_pdf_file_appears_whole_and_a_failed_one_changes_nothing(tmp_path):
    path = tmp_path / "r.pdf"
    slip_pdf(Slip("t", 32, (SlipLine("第一张"),)), path, 58)
    first = path.read_bytes()
    with pytest.raises(Exception):  # far too much data for a QR code
        slip_pdf(Slip("t", 32, (SlipLine("x" * 5000, kind=QR),)), path, 58)
    assert path.read_bytes() == first and not list(tmp_path.glob("*.part"))
    slip_pdf(Slip("t", 32, (SlipLine("第二张"),)), path, 58)
    assert "第二张" in pdftotext(path) and not list(tmp_path.glob("*.part"))
