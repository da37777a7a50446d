"""tabular reads an .xlsx's first sheet through python-calamine with the same text cells as
openpyxl (read-only, data_only) gives: shared and inline strings, rich text and phonetic
guides, numbers, booleans, dates and times in date styles (also a custom 年月日 format and the
1904 system), formulas' cached values, sparse and blank rows, Excel's row numbers."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from counter_app import tabular


def _workbook(path, *, date1904=False, second_sheet=True):
    wb = openpyxl.Workbook()
    if date1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    if second_sheet:  # the first sheet is the one read, wherever its part lies
        wb.create_sheet("说明", 0)
        wb.active = 0
        wb["说明"].append(["只读第一张表"])
        ws = wb.create_sheet("名单", 1)
        wb.move_sheet("名单", -1)
    ws = wb.worksheets[0]
    ws.append(["姓名", "手机", "出生日期", "登记时间", "党员", "积分", "备注", "身份证号"])
    ws.append(["张三", 13812345678, date(1990, 3, 7), datetime(2026, 11, 2, 9, 30), True, 12.5,
               "  前后有空格  ", "110101199003074514"])
    ws.append(["李四", "13987654321", date(1985, 6, 12), None, False, 3, None, 110101198506122810])
    ws["G3"] = "=1+2"
    ws.append([])  # a blank row is dropped, not numbered away
    ws.cell(row=6, column=1, value=CellRichText(["王", TextBlock(InlineFont(b=True), "五")]))
    ws.cell(row=6, column=3, value=date(2001, 1, 31)).number_format = "yyyy年m月d日"
    ws.cell(row=6, column=8, value="11010119850612281X")
    ws.cell(row=7, column=5, value=1.38e10)
    wb.save(path)
    return path


def _openpyxl(path):
    return tabular._read_xlsx_openpyxl(path)


def _rewrite(path, out, change):
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        parts = {i.filename: src.read(i) for i in src.infolist()}
        for name, data in change(parts).items():
            dst.writestr(name, data)
    return out


def _shared(parts: dict) -> dict:
    """As Excel and WPS save: every string in xl/sharedStrings.xml (one with a phonetic
    guide, which is not part of the text), cells t="s"."""
    import re

    strings: list[str] = []

    def to_shared(m):
        strings.append(m.group(2).decode())
        return m.group(1) + b' t="s"><v>' + str(len(strings) - 1).encode() + b"</v></c>"
    parts = dict(parts)
    for sheet in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[sheet] = re.sub(rb'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"><is>(.*?)</is></c>',
                              to_shared, parts[sheet])
    items = "".join(f"<si>{s}</si>" for s in strings)
    items = items.replace("<t>李四</t>", '<t>李四</t><rPh sb="0" eb="1"><t>lǐ</t></rPh>', 1)
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>').encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org'
        b'/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        b"</Relationships>")
    return parts


@pytest.mark.parametrize("date1904, shared", [(False, False), (True, False), (False, True)])
def test_the_same_cells_as_openpyxl(tmp_path, date1904, shared):
    path = _workbook(tmp_path / "r.xlsx", date1904=date1904)
    if shared:
        path = _rewrite(path, tmp_path / "shared.xlsx", _shared)
        with zipfile.ZipFile(path) as z:
            assert b"inlineStr" not in b"".join(z.read(n) for n in z.namelist()
                                                if n.startswith("xl/worksheets/"))
    fast = [(n, cells) for n, cells in tabular._read_xlsx(path) if any(cells)]
    slow = [(n, cells) for n, cells in _openpyxl(path) if any(cells)]
    pad = lambda rows: [(n, c + [""] * (8 - len(c))) for n, c in rows]  # noqa: E731
    assert pad(fast) == pad(slow)
    sheet = tabular.read_sheet(path)
    assert sheet.rows[0][1][:4] == ["张三", "13812345678", "1990-03-07", "2026-11-02 09:30"]
    assert [n for n, _ in sheet.rows] == [2, 3, 6, 7]  # Excel's row numbers
    assert [r[1][0] for r in sheet.rows[:3]] == ["张三", "李四", "王五"]  # no phonetic guide


def test_a_file_calamine_cannot_open_is_judged_by_openpyxl(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(tabular.ImportRefused):
        tabular.read_sheet(broken)


def test_a_sheet_that_starts_below_row_1_keeps_excels_row_numbers(tmp_path):
    """A roster whose title rows are empty: row numbers in the problem report are still
    the ones the user sees in Excel (calamine skips the empty area unless told not to)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B3"], ws["C3"] = "姓名", "手机"
    ws["B4"], ws["C4"] = "张三", "13812345678"
    path = tmp_path / "low.xlsx"
    wb.save(path)
    fast = [(n, c) for n, c in tabular._read_xlsx(path) if any(c)]
    slow = [(n, c) for n, c in _openpyxl(path) if any(c)]
    assert fast == slow
    assert [n for n, _ in fast] == [3, 4]
