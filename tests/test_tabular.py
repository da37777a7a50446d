"""Reading the office's spreadsheets for imports: header mapping, text cells, every problem."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook

from counter_app import tabular
from counter_app.tabular import Column, ImportRefused, ParseError

COLUMNS = (
    Column("name", ("名称", "name")),
    Column("points", ("积分", "points"), parse=tabular.integer(1, 10_000, "分")),
    Column("code", ("条码", "barcode"), required=False),
    Column("since", ("日期", "date"), required=False, parse=tabular.day),
)


def _xlsx(path, rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_xlsx_numbers_come_back_as_the_digits_typed(tmp_path):
    path = _xlsx(tmp_path / "a.xlsx", [["名称", "积分", "条码"],
                                        ["肥皂", 10, 6901234567892],
                                        [None, None, None],
                                        ["毛巾", 20.0, 6.901234567892e12]])
    sheet = tabular.read_sheet(path)
    assert sheet.header == ["名称", "积分", "条码"]
    assert sheet.rows == [(2, ["肥皂", "10", "6901234567892"]), (4, ["毛巾", "20", "6901234567892"])]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_the_encodings_excel_and_wps_save(tmp_path, encoding):
    path = tmp_path / "a.csv"
    path.write_bytes("名称,积分\r\n肥皂,10\r\n".encode(encoding))
    sheet = tabular.read_sheet(path)
    assert sheet.header == ["名称", "积分"] and sheet.rows == [(2, ["肥皂", "10"])]


def test_headers_match_in_chinese_or_english_ignoring_case_space_and_width(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("ＮＡＭＥ , Points,其他\n肥皂,10,x\n", encoding="utf-8")
    parsed = tabular.parse(tabular.read_sheet(path), COLUMNS)
    assert parsed.problems == []
    assert parsed.rows == [(2, {"name": "肥皂", "points": 10, "code": None, "since": None})]
    assert parsed.ignored_headers == ["其他"]


def test_every_problem_is_collected_with_row_and_column(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("名称,积分,日期\n肥皂,10,2026-03-01\n,abc,2026/3/1\n毛巾,0,明天\n"
                    "牙膏,5,2026年3月2日,多出来\n", encoding="utf-8")
    parsed = tabular.parse(tabular.read_sheet(path), COLUMNS)
    assert [str(p) for p in parsed.problems] == [
        "第 5 行「第 4 列」：有内容但这一列没有表头",
        "第 3 行「名称」：不能为空",
        "第 3 行「积分」：“abc”不是整数",
        "第 4 行「积分」：0分 超出范围（1～10000分）",
        "第 4 行「日期」：“明天”不是日期（例如 2026-03-01）",
    ]
    assert [n for n, _ in parsed.rows] == [2]
    with pytest.raises(ImportRefused) as e:
        parsed.refuse_if_any("物品清单")
    assert str(e.value).startswith("物品清单未导入：共 5 处问题（整个文件都没有导入")
    assert len(e.value.context["problems"]) == 5


def test_missing_and_doubled_headers_are_named(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("名称,name,条码\n肥皂,肥皂,1\n", encoding="utf-8")
    parsed = tabular.parse(tabular.read_sheet(path), COLUMNS)
    assert [str(p) for p in parsed.problems] == [
        "表头「name」：与第 1 列重复",
        "表头「积分」：缺少这一列（可用的表头：积分、points）",
    ]
    assert parsed.rows == []


def test_duplicates_within_the_file_and_against_stored_records():
    rows = [(2, {"code": "1"}), (3, {"code": "2"}), (4, {"code": "1"}), (5, {"code": None})]
    problems = tabular.duplicates(rows, "code", "条码",
                                  existing=lambda v: "物品“肥皂”" if v == "2" else None)
    assert [str(p) for p in problems] == ["第 3 行「条码」：2 已属于物品“肥皂”",
                                          "第 4 行「条码」：1 与第 2 行重复"]


def test_parsers():
    assert tabular.day("2026.3.1") == date(2026, 3, 1)
    assert tabular.integer(0, 20)("１０") == 10
    assert tabular.integer(0, 100)("1,00") == 100
    assert tabular.YES_NO("是") is True and tabular.YES_NO(" NO ") is False
    with pytest.raises(ParseError, match="可选：是、否"):
        tabular.YES_NO("也许")


@pytest.mark.parametrize("name,content,message", [
    ("a.txt.doc", b"x", "只能导入 .xlsx 或 .csv 文件"),
    ("a.xlsx", b"not a zip", "无法读取"),
    ("a.csv", b"", "是空的"),
    ("a.csv", b"\xff\xfe\x00\xd8" * 3, "无法识别文字编码"),
])
def test_unreadable_files_get_a_chinese_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportRefused, match=message):
        tabular.read_sheet(path)
    with pytest.raises(ImportRefused, match="找不到文件"):
        tabular.read_sheet(tmp_path / "missing.csv")


def test_a_number_excel_stored_in_e_notation_is_read_as_its_digits():
    # openpyxl returns a float for a cell Excel saved as "6.901234567892E+12"
    assert tabular.cell_text(6.901234567892e12) == "6901234567892"
    assert tabular.cell_text(2.5) == "2.5"
    assert tabular.cell_text(date(2026, 3, 1)) == "2026-03-01"
