"""ESC/POS receipts through python-escpos's File connection, read back byte by byte."""

from __future__ import annotations

import dataclasses

import pytest

from counter_app import redemption
from counter_app.documents import (
    open_printer, print_receipt, printable_receipt, receipt_escpos, slip_escpos,
)
from counter_app.documents.layout import COLUMNS, text_width
from counter_app.documents.slip import BARCODE, CUT, QR, SMALL, Slip, SlipLine
from counter_app.documents.thermal import PrinterError, encode

from documents_fixtures import FOOTER_WITH_YEN, LONG_NAME, build_world, parse_escpos


@pytest.fixture(scope="module")
def receipt(tmp_path_factory):
    world = build_world(tmp_path_factory.mktemp("escpos"))
    with world.db.read() as s:
        return redemption.receipt(s, world.receipt_no)


def _print_to_file(receipt, path, width_mm, footer=FOOTER_WITH_YEN) -> bytes:
    printer = open_printer({"type": "file", "path": str(path)})
    try:
        print_receipt(printer, receipt, width_mm, footer)
    finally:
        printer.close()
    return path.read_bytes()


@pytest.mark.parametrize("width_mm", [58, 80])
def test_file_printer_job_reads_back(receipt, tmp_path, width_mm):
    data = _print_to_file(receipt, tmp_path / "job.bin", width_mm)
    doc = parse_escpos(data)
    text = "\n".join(t for t, _ in doc.lines)
    assert data.startswith(b"\x1b@\x1c&")  # init, then Chinese (FS &) mode
    for expected in ("曾小明", "138****5678", "爱心餐：￥10，欢迎常来！", "90 积分",
                     "100 积分", "10 积分", "小票号：XF01-000001", "1 × 20 = 20"):
        assert expected in text, expected
    assert "?" not in text.replace("????", "")  # nothing fell back to '?' (mask aside)
    assert "￥".encode("gb18030") in data and "：".encode("gb18030") in data
    code128 = [c for c in doc.commands if c.startswith(b"\x1dk")]
    assert code128 == [b"\x1dkI" + bytes([13]) + b"{BXF01-000001"]  # GS k 73 n {B...
    assert doc.commands[-1] in (b"\x1dV\x00", b"\x1dV\x01")  # the cut comes last
    assert (("幸福社区积分超市", 2) in [(t.strip(), f) for t, f in doc.lines])  # double size
    for line, factor in doc.lines:
        assert text_width(line) * factor <= COLUMNS[width_mm], (line, factor)


@pytest.mark.parametrize("width_mm", [58, 80])
def test_long_item_name_is_wrapped_on_paper(receipt, width_mm):
    doc = parse_escpos(receipt_escpos(receipt, width_mm))
    left_parts = "".join(t.split("  ")[0].strip() for t, _ in doc.lines)
    assert LONG_NAME in left_parts


def test_barcode_module_fits_the_paper(receipt):
    def module(width_mm):
        (cmd,) = [c for c in parse_escpos(receipt_escpos(receipt, width_mm)).commands
                  if c.startswith(b"\x1dw")]
        return cmd[2]

    modules = (len("XF01-000001") + 3) * 11 + 2
    assert modules * module(58) <= 384 and modules * module(80) <= 576
    assert module(80) >= module(58) >= 2


def test_voided_receipt_prints_banner_in_reverse(receipt):
    data = receipt_escpos(dataclasses.replace(receipt, voided=True), 58)
    doc = parse_escpos(data)
    banners = [t for t, f in doc.lines if "作废单" in t and f == 2]
    assert len(banners) == 2
    assert b"\x1dB\x01" in doc.commands  # white on black
    assert "本单已作废，积分已退回" in "".join(t for t, _ in doc.lines)


@pytest.fixture(scope="module")
def voided(tmp_path_factory):
    """A real void: checkout 40, 100 points more afterwards, then void (reason, asker, admin)."""
    from counter_app import ledger

    world = build_world(tmp_path_factory.mktemp("escpos-void"))
    ledger.adjust(world.db, world.admin, world.member_id, 200, "补发积分")
    r = redemption.checkout(world.db, world.admin, world.member_id,
                            [redemption.CartLine(world.item_ids[0], 2)])
    ledger.adjust(world.db, world.admin, world.member_id, 100, "补发积分")
    redemption.void(world.db, world.admin, r.receipt_no, "会员拿错了物品", requested_by="李志愿")
    with world.db.read() as s:
        balance = ledger.balance_of(s, world.member_id)
        return printable_receipt(s, r.receipt_no), balance


@pytest.mark.parametrize("width_mm", [58, 80])
def test_void_slip_prints_reason_people_and_the_balance_after_the_void(voided, width_mm):
    printable, balance = voided
    assert printable.void.balance_after == balance  # not the sale's balance_after
    assert balance != printable.receipt.balance_after
    doc = parse_escpos(receipt_escpos(printable, width_mm))
    text = "\n".join(t for t, _ in doc.lines)
    for expected in ("作废单", "撤销兑换", f"原小票号：{printable.receipt.receipt_no}",
                     "作废原因：会员拿错了物品", "提出人：李志愿", "批准管理员：管理员",
                     "作废后余额", f"{balance} 积分", "作废时间："):
        assert expected in text, expected
    assert "兑换后余额" not in text
    (after,) = [i for i, (t, _) in enumerate(doc.lines) if "作废后余额" in t]
    assert b"\x1d!\x01" in doc.commands  # big: double height, never ESC E (smears)
    assert not [c for c in doc.commands if c.startswith(b"\x1bE") and c != b"\x1bE\x00"]


def test_no_emphasized_mode_anywhere(receipt):
    # ESC E (emphasized) smears hanzi on thermal heads: emphasis is double height
    commands = parse_escpos(receipt_escpos(receipt, 58)).commands
    assert not [c for c in commands if c.startswith(b"\x1bE")]
    assert b"\x1d!\x01" in commands and b"\x1d!\x11" in commands


def test_any_slip_prints_through_the_same_step():
    slip = Slip("测试", 32, (SlipLine("日结小票", style=SMALL), SlipLine("VC-0001", kind=QR),
                            SlipLine("VC-0001", kind=BARCODE), SlipLine(kind=CUT),
                            SlipLine("第二联"), SlipLine(kind=CUT)))
    data = slip_escpos(slip, 58)
    assert b"\x1d(k" in data  # native QR (GS ( k)
    assert data.count(b"\x1dV") == 2  # a cut between the two parts and one at the end
    assert slip_escpos(slip, 58, cut=False).count(b"\x1dV") == 1  # the inner cut stays
    with pytest.raises(PrinterError, match="32 列"):
        slip_escpos(slip, 80)


def test_encoder_handles_full_width_punctuation():
    for text in ("￥", "，。！？：；（）【】《》“”", "·×—…", "𠀀䶮"):  # incl. 4-byte GB18030
        assert encode(text).decode("gb18030") == text


def test_plain_python_escpos_would_have_lost_the_yen(tmp_path):
    """Why the project encodes itself: python-escpos's text() turns ￥ into '?'."""
    from escpos.printer import Dummy

    p = Dummy()
    p.text("￥")
    assert "￥".encode("gb18030") not in p.output


def test_no_cut_option(receipt):
    assert not [c for c in parse_escpos(receipt_escpos(receipt, 58, cut=False)).commands
                if c.startswith(b"\x1dV")]


@pytest.mark.parametrize("config, fragment", [
    ({"type": "carrier-pigeon"}, "未知的连接方式"),
    ({"type": "file"}, "path"),
    ({"type": "network"}, "host"),
    ({"type": "serial", "port": "COM3", "baudrate": "fast"}, "baudrate"),
    ({"type": "win32raw", "printer_name": "XP-58"}, "Windows"),
])
def test_printer_factory_rejects_bad_config(config, fragment):
    with pytest.raises(PrinterError, match=fragment):
        open_printer(config)


def test_printer_factory_builds_connections_without_opening():
    from escpos.printer import Network, Serial

    assert isinstance(open_printer({"type": "network", "host": "192.0.2.1"}), Network)
    serial = open_printer({"type": "Serial", "port": "/dev/ttyUSB9", "baudrate": "19200"})
    assert isinstance(serial, Serial) and serial.baudrate == 19200


def test_bad_paper_width(receipt):
    with pytest.raises(PrinterError, match="58 或 80"):
        receipt_escpos(receipt, 76)


def test_control_characters_cannot_inject_commands(receipt):
    sneaky = dataclasses.replace(receipt, member_name="曾\x1bd\x09小明\x1dV\x00")
    doc = parse_escpos(receipt_escpos(sneaky, 58, footer="第一行\n第二行"))  # parser would choke
    text = "\n".join(t for t, _ in doc.lines)
    assert "曾 d 小明 V" in text
    assert "第一行" in text and "第二行" in text
    assert [c for c in doc.commands if c.startswith(b"\x1dV")] == [b"\x1dV\x00"]  # one cut


def test_escpos_is_imported_only_to_print_and_survives_an_unusable_cache(tmp_path):
    # python-escpos writes a cache file when imported: importing the documents package
    # must not load it, and a cache folder that cannot be created must not stop printing.
    import os
    import subprocess
    import sys

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    script = (
        "import sys\n"
        "import counter_app.documents as d\n"
        "assert 'escpos' not in sys.modules, 'escpos imported with the package'\n"
        "from counter_app.documents.slip import Slip, SlipLine\n"
        "job = d.slip_escpos(Slip('t', 32, (SlipLine('你好'),)), 58)\n"
        "assert 'escpos' in sys.modules and '你好'.encode('gb18030') in job\n"
        "print('ok')\n")
    env = {k: v for k, v in os.environ.items() if k != "ESCPOS_CAPABILITIES_PICKLE_DIR"}
    env.update(XDG_CACHE_HOME=str(blocker / "cache"), PYTHONPATH=os.pathsep.join(sys.path))
    run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr
