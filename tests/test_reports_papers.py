"""Red/black boards, a member's points file and the work-unit reports (.xlsx via openpyxl,
.pdf via pdftotext), through the CLI where a counter would use it."""

from __future__ import annotations

import re
from datetime import datetime

import openpyxl
import pytest

from counter_app import clock, redemption
from counter_app.cli import main
from counter_app.db.models import MemberCategory
from counter_app.reports import boards

from documents_fixtures import nfkc, pdftotext
from reports_fixtures import award, compound

OCT = datetime(2026, 10, 20, 3)
PARTY = MemberCategory.PARTY_IN_SERVICE


@pytest.fixture
def people(counter):
    homes = compound(counter, "阳光花园", rooms=6)
    ids = {}
    for i, (name, cat, unit, pts) in enumerate([
            ("党员甲", PARTY, "区卫健委", 60), ("党员乙", PARTY, "区卫健委", 45),
            ("党员丙", PARTY, "区法院", 45), ("党员丁", MemberCategory.PARTY_NO_POST, None, 0),
            ("居民戊", MemberCategory.RESIDENT, None, 90)]):
        ids[name] = counter.member(name, f"1380000{i:04d}", household_id=homes[i],
                                   category=cat, work_unit=unit)
        if pts:
            award(counter, ids[name], pts, OCT)
    ids["物业"] = counter.member("阳光物业", "13900000001", category=MemberCategory.ORGANISATION,
                               work_unit="区住建局")
    award(counter, ids["物业"], 30, OCT)
    ids["超市"] = counter.member("便民超市", "13900000002", category=MemberCategory.ORGANISATION)
    return ids


def test_boards_follow_the_rule(counter, people):
    b = boards.build(counter.db, "2026-Q4", party_red_top=2, party_black_below=50,
                     org_red_top=1, org_black_below=20)
    assert [(l.rank, l.member.name, l.points) for l in b.party.red] == [
        (1, "党员甲", 60), (2, "党员丙", 45), (2, "党员乙", 45)]
    assert [(l.member.name, l.points) for l in b.party.black] == [
        ("党员丁", 0), ("党员丙", 45), ("党员乙", 45)]
    assert [l.member.name for l in b.organisations.red] == ["阳光物业"]
    assert [l.member.name for l in b.organisations.black] == ["便民超市"]
    assert "居民戊" not in {l.member.name for l in (*b.party.red, *b.party.black)}
    assert boards.build(counter.db, "2026-Q3").party.red == ()


def test_boards_pdf_states_the_rule(counter, people, tmp_path):
    out = tmp_path / "boards.pdf"
    assert main(["--db", str(counter.db.path), "print", "boards", "--quarter", "2026-Q4",
                 "--party-top", "1", "--out", str(out)]) == 0
    text = pdftotext(out)
    assert nfkc("党员红榜") in text and nfkc("党员黑榜") in text and nfkc("驻区单位红榜") in text
    assert nfkc("前 1 名") in text and nfkc("少于 10 分") in text
    assert "13800000000" not in re.sub(r"\s", "", text)


def test_points_file_lists_awards_redemptions_and_balances(counter, people, tmp_path):
    mid = people["党员甲"]
    award(counter, mid, 30, datetime(2025, 12, 10, 3))  # last year: the opening balance
    with clock.frozen(datetime(2026, 11, 2, 3)):
        redemption.checkout(counter.db, counter.volunteer, mid, [redemption.CartLine(counter.soap, 2)])
    out = tmp_path / "file.pdf"
    assert main(["--db", str(counter.db.path), "print", "points-file", "--member", str(mid),
                 "--year", "2026", "--out", str(out)]) == 0
    text = re.sub(r"\s", "", pdftotext(out))
    assert nfkc("年初余额30分，本年获得60分，兑换10分，年末余额80分") in text
    assert nfkc("香皂×2") in text and nfkc("2026-10-") in text
    assert "13800000000" not in text and nfkc("138****0000") in text


def test_work_unit_reports_one_workbook_per_unit(counter, people, tmp_path):
    out = tmp_path / "units"
    assert main(["--db", str(counter.db.path), "report", "work-units", "--from", "2026-10-01",
                 "--to", "2026-10-31", "--out", str(out)]) == 0
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names == ["在职党员/区卫健委.pdf", "在职党员/区卫健委.xlsx", "在职党员/区法院.pdf",
                     "在职党员/区法院.xlsx", "驻区单位/区住建局.pdf", "驻区单位/区住建局.xlsx",
                     "驻区单位/（未登记主管部门）.pdf", "驻区单位/（未登记主管部门）.xlsx"]
    wb = openpyxl.load_workbook(out / "在职党员" / "区卫健委.xlsx")
    summary, detail = wb.worksheets
    rows = list(summary.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "手机", "小区", "服务次数", "积分")
    assert rows[1:] == [("党员甲", "138****0000", "阳光花园", 4, 60),
                        ("党员乙", "138****0001", "阳光花园", 3, 45)]
    details = list(detail.iter_rows(values_only=True))[1:]
    assert sum(r[3] for r in details) == 105 and all(r[4] == "已审核" for r in details)
    assert nfkc("积分 105 分") in pdftotext(out / "在职党员" / "区卫健委.pdf")
    empty = openpyxl.load_workbook(out / "驻区单位" / "（未登记主管部门）.xlsx").worksheets[0]
    assert list(empty.iter_rows(values_only=True))[1] == ("便民超市", "139****0002", "（未登记小区）", 0, 0)


def test_reversed_period_is_refused(counter, people, tmp_path, capsys):
    assert main(["--db", str(counter.db.path), "report", "work-units", "--from", "2026-10-31",
                 "--to", "2026-10-01", "--out", str(tmp_path / "u")]) == 2
    assert "早于开始日期" in capsys.readouterr().err
    assert not (tmp_path / "u").exists()


def test_rules_are_shown_and_changed_only_by_an_administrator(counter, capsys):
    db = str(counter.db.path)
    assert main(["--db", db, "report", "rules"]) == 0
    assert "公示期（天）：7" in capsys.readouterr().out
    assert main(["--db", db, "report", "rules", "--stars", "3", "--operator", "王阿姨",
                 "--pin", "1111"]) == 2
    assert "权限不足" in capsys.readouterr().err
    assert main(["--db", db, "report", "rules", "--stars", "0", "--operator", "管理员",
                 "--pin", "1234"]) == 2
    assert "积分之星人数须为 1 到 500 的整数" in capsys.readouterr().err
    assert main(["--db", db, "report", "rules", "--stars", "3", "--objection-days", "5",
                 "--operator", "管理员", "--pin", "1234"]) == 0
    out = capsys.readouterr().out
    assert "积分之星人数：3" in out and "公示期（天）：5" in out


def test_points_file_by_card_code(counter, people, tmp_path, capsys):
    from counter_app import members

    with counter.db.read() as s:
        card = members.get_member(s, people["物业"]).card_code
    out = tmp_path / "f.pdf"
    assert main(["--db", str(counter.db.path), "print", "points-file", "--member", card,
                 "--year", "2026", "--out", str(out)]) == 0
    assert "阳光物业 2026年度积分档案：获得 30 分" in capsys.readouterr().out
    assert main(["--db", str(counter.db.path), "print", "points-file", "--member", "XF0199999",
                 "--year", "2026", "--out", str(tmp_path / "g.pdf")]) == 2
    assert not (tmp_path / "g.pdf").exists()
