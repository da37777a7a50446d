"""``counter-app print ...`` (counter_app.cli.printing): happy paths and friendly failures (exit code 2)."""

from __future__ import annotations

import pytest

from counter_app import members
from counter_app.cli import main
from counter_app.item_codes import internal_code

from documents_fixtures import (
    add_members, build_world, decode_barcodes, nfkc, parse_escpos, pdf_pages_png, pdftotext,
)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = build_world(tmp_path_factory.mktemp("cli"))
    w.compound_ids = add_members(w, 3, compound="锦绣江南")
    return w


def run(db, *argv) -> int:
    """Through the real entry point: argument errors exit, failures are exit code 2."""
    return main(["--db", str(db.path), *argv])


def test_receipt_to_pdf(world, tmp_path, capsys):
    out = tmp_path / "r.pdf"
    assert run(world.db, "print", "receipt", world.receipt_no, "--pdf", str(out),
               "--width", "80", "--footer", "爱心餐：￥10") == 0
    text = pdftotext(out)
    assert nfkc("曾小明") in text and nfkc("爱心餐：￥10") in text
    assert str(out) in capsys.readouterr().out


def test_receipt_to_escpos_file(world, tmp_path):
    out = tmp_path / "lp0"
    assert run(world.db, "print", "receipt", world.receipt_no, "--escpos", str(out)) == 0
    doc = parse_escpos(out.read_bytes())
    assert any("曾小明" in t for t, _ in doc.lines)
    assert all(len(t.encode("gb18030")) * f <= 32 for t, f in doc.lines)


def test_unknown_receipt_is_a_clear_message(world, tmp_path, capsys):
    assert run(world.db, "print", "receipt", "XF01-999999", "--pdf", str(tmp_path / "x.pdf")) == 2
    err = capsys.readouterr().err
    assert "XF01-999999" in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_unwritable_output_is_a_clear_message(world, tmp_path, capsys):
    target = tmp_path / "no" / "such" / "dir" / "r.bin"
    assert run(world.db, "print", "receipt", world.receipt_no, "--escpos", str(target)) == 2
    err = capsys.readouterr().err
    assert err == f"错误：打印机设置有误：无法写入 {target}（文件夹不存在）\n"  # one line
    assert run(world.db, "print", "cards", "--out", str(target)) == 2
    assert "无法写入" in capsys.readouterr().err


def test_receipt_needs_exactly_one_output(world):
    with pytest.raises(SystemExit) as exc:
        run(world.db, "print", "receipt", world.receipt_no)
    assert exc.value.code == 2
    with pytest.raises(SystemExit):
        run(world.db, "print", "receipt", world.receipt_no, "--pdf", "a", "--escpos", "b")
    with pytest.raises(SystemExit):
        run(world.db, "print", "receipt", world.receipt_no, "--pdf", "a", "--width", "76")


def test_cards_for_everyone_a_compound_or_listed_members(world, tmp_path, capsys):
    out = tmp_path / "all.pdf"
    assert run(world.db, "print", "cards", "--out", str(out)) == 0
    assert "4 张会员卡" in capsys.readouterr().out
    with world.db.read() as s:
        compound_codes = sorted(members.get_member(s, i).card_code for i in world.compound_ids)
        first = members.get_member(s, world.member_id)
    out = tmp_path / "compound.pdf"
    assert run(world.db, "print", "cards", "--out", str(out), "--compound", "锦绣江南") == 0
    (png,) = pdf_pages_png(out, tmp_path / "compound")
    assert sorted(b.text for b in decode_barcodes(png)) == compound_codes
    out = tmp_path / "one.pdf"
    assert run(world.db, "print", "cards", "--out", str(out), "--members",
               str(world.member_id), str(world.member_id), "--qr") == 0
    (png,) = pdf_pages_png(out, tmp_path / "one")
    assert sorted(b.text for b in decode_barcodes(png)) == [first.card_code] * 2  # bars + QR


def test_cards_bad_selection(world, tmp_path, capsys):
    out = str(tmp_path / "c.pdf")
    assert run(world.db, "print", "cards", "--out", out, "--compound", "不存在小区") == 2
    assert "不存在小区" in capsys.readouterr().err
    assert run(world.db, "print", "cards", "--out", out, "--members", "9999") == 2
    assert "9999" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(world.db, "print", "cards", "--out", out, "--compound", "x", "--members", "1")


def test_cards_refuse_blocked_member(world, tmp_path, capsys):
    blocked = add_members(world, 1)[0]
    members.set_blocked(world.db, world.admin, blocked, True, "测试")
    assert run(world.db, "print", "cards", "--out", str(tmp_path / "b.pdf"), "--members",
               str(blocked)) == 2
    assert "已停用" in capsys.readouterr().err


def test_labels(world, tmp_path, capsys):
    out = tmp_path / "labels.pdf"
    assert run(world.db, "print", "labels", "--out", str(out)) == 0
    assert "4 张货架标签" in capsys.readouterr().out
    (png,) = pdf_pages_png(out, tmp_path / "labels")
    assert sorted(b.text for b in decode_barcodes(png)) == sorted(  # the service: its own code
        ["6901234567892", "6901234567891", "JLY-OIL-18", internal_code(world.item_ids[3])])


def test_print_needs_a_subcommand(world):
    with pytest.raises(SystemExit) as exc:
        run(world.db, "print")
    assert exc.value.code == 2


def test_no_local_counter_is_a_clear_message(tmp_path, capsys):
    from counter_app.db import open_database

    db = open_database(tmp_path / "empty.db")
    assert run(db, "print", "labels", "--out", str(tmp_path / "l.pdf")) == 2
    assert "本机柜台" in capsys.readouterr().err
