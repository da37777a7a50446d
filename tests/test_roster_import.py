"""Roster import (roster_import.py, 'counter-app import members'): header mapping in
Chinese and English, every bad row named (row, column, problem), duplicates by ID number
and phone, all-or-nothing; households created from the address."""

from __future__ import annotations

import csv
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from counter_app import members, roster_import
from counter_app.cli import main
from counter_app.db.models import Household, Member, MemberCategory
from counter_app.tabular import ImportRefused

GOOD_ID = "110101199003074514"  # check digit right
BAD_ID = "110101199003074515"  # last digit mistyped


def _csv(path, rows, header=("姓名", "类别", "手机", "身份证号", "小区", "楼栋", "单元", "门牌",
                             "工作单位")):
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def _count(counter, model=Member):
    with counter.db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_good_roster_registers_everyone_with_households(counter, tmp_path):
    path = tmp_path / "roster.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Name", "Category", "Phone", "ID number", "Compound", "Building", "Unit", "Room",
               "Employer"])
    ws.append(["张三", "居民", 13812345678, GOOD_ID, "阳光花园", "1栋", "2单元", "301", None])
    ws.append(["李四", "在职党员", "139 1234 5678", None, "阳光花园", "1栋", "2单元", "302", "区卫健委"])
    ws.append(["王五", None, None, None, "阳光花园", "1栋", "2单元", "301", None])  # same home
    ws.append(["阳光物业", "驻区单位", "13712345678", None, "阳光花园", None, None, None, "区住建局"])
    wb.save(path)
    before = _count(counter)
    plan = roster_import.apply(counter.db, counter.admin, roster_import.read_roster(counter.db, path))
    assert plan.created == 4 and _count(counter) == before + 4
    assert plan.by_category == {"居民": 2, "在职党员": 1, "驻区单位": 1}
    with counter.db.read() as s:
        found = {r.name: r for r in (members.search(s, n)[0] for n in ("张三", "李四", "王五"))}
        org = s.scalar(select(Member).where(Member.name == "阳光物业"))
        assert org.work_unit == "区住建局" and org.compound_id is not None
        assert org.household_id is None
        zs = s.scalar(select(Member).where(Member.name == "张三"))
        ww = s.scalar(select(Member).where(Member.name == "王五"))
        assert zs.household_id == ww.household_id and zs.birth_date == date(1990, 3, 7)
    assert found["张三"].address == "阳光花园1栋2单元301"
    assert found["李四"].work_unit == "区卫健委" and found["李四"].phone_masked == "139****5678"
    assert found["王五"].category == MemberCategory.RESIDENT


def test_bad_rows_import_nothing_and_each_is_named(counter, tmp_path, capsys):
    existing = counter.member("老会员", "13500000000")
    assert existing
    path = _csv(tmp_path / "bad.csv", [
        ["张三", "居民", "13812345678", GOOD_ID, "阳光花园", "1栋", "2单元", "301", ""],  # fine
        ["李四", "居民", "1381234567", "", "", "", "", "", ""],  # row 3: phone too short
        ["王五", "居民", "", BAD_ID, "", "", "", "", ""],  # row 4: check digit
        ["赵六", "在职党员", "", "", "", "", "", "", ""],  # row 5: no work unit
        ["孙七", "居民", "", GOOD_ID, "", "", "", "", ""],  # row 6: same ID as row 2
        ["周八", "居民", "13500000000", "", "", "", "", "", ""],  # row 7: phone of 老会员
        ["吴九", "居民", "", "", "阳光花园", "1栋", "", "", ""],  # row 8: half an address
        ["", "居民", "", "", "", "", "", "", ""],  # row 9: no name
        ["郑十", "外星人", "", "", "", "", "", "", ""],  # row 10: unknown category
    ])
    before, homes = _count(counter), _count(counter, Household)
    with pytest.raises(ImportRefused) as err:
        roster_import.read_roster(counter.db, path)
    problems = err.value.context["problems"]
    assert sorted({p.row for p in problems}) == [3, 4, 5, 6, 7, 8, 9, 10]
    by_row = {p.row: p for p in problems}
    assert by_row[3].column == "手机" and "11 位" in by_row[3].problem
    assert by_row[4].column == "身份证号" and "校验位" in by_row[4].problem
    assert by_row[5].column == "工作单位"
    assert "第 2 行" in by_row[6].problem
    assert "老会员" in by_row[7].problem
    assert by_row[9].column == "姓名" and by_row[10].column == "类别"
    # the CLI says the same and writes nothing
    assert main(["--db", str(counter.db.path), "import", "members", str(path),
                 "--operator", "管理员", "--pin", "1234"]) == 2
    message = capsys.readouterr().err
    for row in (3, 4, 5, 6, 7, 8, 9, 10):
        assert f"第 {row} 行" in message
    assert "Traceback" not in message
    assert _count(counter) == before and _count(counter, Household) == homes


def test_a_missing_name_column_is_a_header_problem(counter, tmp_path):
    path = _csv(tmp_path / "h.csv", [["13812345678"]], header=("手机",))
    with pytest.raises(ImportRefused, match="表头「姓名」：缺少这一列"):
        roster_import.read_roster(counter.db, path)


def test_check_only_writes_nothing(counter, tmp_path, capsys):
    path = _csv(tmp_path / "ok.csv", [["张三", "", "13812345678", "", "", "", "", "", ""]])
    before = _count(counter)
    assert main(["--db", str(counter.db.path), "import", "members", str(path), "--check"]) == 0
    assert "检查通过：1 名会员" in capsys.readouterr().out and _count(counter) == before


def test_a_volunteer_may_not_import(counter, tmp_path):
    from counter_app.errors import PermissionDenied

    path = _csv(tmp_path / "ok.csv", [["张三", "", "", "", "", "", "", "", ""]])
    plan = roster_import.read_roster(counter.db, path)
    with pytest.raises(PermissionDenied):
        roster_import.apply(counter.db, counter.volunteer, plan)
