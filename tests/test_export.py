"""reports.export: .xlsx written atomically, typed cells, Chinese text, fitted columns."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook

from counter_app import ledger, members, redemption
from counter_app.redemption import CartLine
from counter_app.reports import export

HEADERS = ["时间", "姓名", "积分", "日期", "备注"]
ROWS = [
    [datetime(2024, 5, 1, 9, 30), "张三", 120, date(2024, 5, 1), "微心愿（帮邻居买菜）"],
    [datetime(2024, 12, 31, 23, 59), "欧阳娜娜", -20, date(2024, 12, 31), None],
]


def read_back(path):
    wb = load_workbook(path)
    ws = wb.active
    return ws, [list(r) for r in ws.iter_rows(values_only=True)]


def test_round_trip_keeps_types_and_chinese_text(tmp_path):
    path = export.export_rows(tmp_path / "导出.xlsx", HEADERS, ROWS, "积分记录")
    ws, values = read_back(path)
    assert ws.title == "积分记录"
    assert values[0] == HEADERS
    assert values[1] == [datetime(2024, 5, 1, 9, 30), "张三", 120, datetime(2024, 5, 1),
                         "微心愿（帮邻居买菜）"]
    assert values[2][1:3] == ["欧阳娜娜", -20] and values[2][4] is None
    assert ws["A2"].is_date and ws["A2"].number_format == export.DATETIME_FORMAT
    assert ws["D2"].is_date and ws["D2"].number_format == export.DATE_FORMAT
    assert ws["C2"].data_type == "n"
    assert all(ws.cell(row=1, column=c).font.b for c in range(1, len(HEADERS) + 1))
    assert ws.freeze_panes == "A2"


def test_columns_fit_their_text_with_chinese_counted_double(tmp_path):
    long_note = "社区志愿服务" * 3  # 18 wide characters
    path = export.export_rows(tmp_path / "w.xlsx", ["备注", "n"], [[long_note, 1]], "w")
    ws, _ = read_back(path)
    assert ws.column_dimensions["A"].width >= 36
    assert ws.column_dimensions["B"].width < 10
    path = export.export_rows(tmp_path / "w2.xlsx", ["x"], [["长" * 200]], "w")
    ws, _ = read_back(path)
    assert ws.column_dimensions["A"].width <= export.MAX_WIDTH + 2


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    path = export.export_rows(tmp_path / "f.xlsx", ["姓名"],
                              [["=HYPERLINK(\"http://x\",\"点我\")"], ["+1"], ["@SUM(1)"]], "f")
    ws, values = read_back(path)
    assert [v[0] for v in values[1:]] == ['=HYPERLINK("http://x","点我")', "+1", "@SUM(1)"]
    assert ws["A2"].data_type == "s"


def test_control_characters_are_dropped_not_fatal(tmp_path):
    path = export.export_rows(tmp_path / "c.xlsx", ["备注"], [["王\x00五\x07"]], "c")
    assert read_back(path)[1][1] == ["王五"]


def test_aware_datetimes_are_written_in_local_time(tmp_path):
    aware = datetime(2024, 3, 1, 2, 0, tzinfo=timezone(timedelta(hours=-5)))
    path = export.export_rows(tmp_path / "t.xlsx", ["时间"], [[aware]], "t")
    assert read_back(path)[1][1][0] == aware.astimezone().replace(tzinfo=None)


@pytest.mark.parametrize("title,expected", [
    ("a/b:c*d?e[f]g\\h", "a_b_c_d_e_f_g_h"),
    ("", "Sheet1"),
    ("会员" * 20, "会员" * 15 + "会"),
])
def test_sheet_titles_are_made_valid(tmp_path, title, expected):
    path = export.export_rows(tmp_path / "s.xlsx", ["x"], [[1]], title)
    assert read_back(path)[0].title == expected


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "keep.xlsx"
    export.export_rows(path, ["旧"], [["原来的内容"]], "old")
    before = path.read_bytes()

    def crash(self, target):
        target.write(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("openpyxl.Workbook.save", crash)
    with pytest.raises(OSError):
        export.export_rows(path, ["新"], [["新的内容"]], "new")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.xlsx"]


def test_a_row_wider_than_the_headers_is_refused(tmp_path):
    with pytest.raises(ValueError):
        export.export_rows(tmp_path / "bad.xlsx", ["一"], [[1, 2]], "bad")
    assert list(tmp_path.iterdir()) == []


def test_member_and_history_sheets_from_real_rows(counter, tmp_path):
    mid = counter.member("李四", phone="13812345678", points=30)
    redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 2)])
    with counter.db.read() as s:
        found = members.search(s, "ls")
        journal = ledger.history(s, mid)
    headers, rows = export.member_sheet(found)
    assert headers == export.MEMBER_HEADERS
    assert rows == [["李四", "居民", found[0].card_code, "138****5678", None, 20, "正常"]]

    headers, rows = export.history_sheet(journal, {counter.reviewer.operator_id: "陈书记"})
    assert [r[1] for r in rows] == ["兑换", "获得积分", "获得积分", "获得积分"]
    assert [r[2] for r in rows] == [-10, 10, 10, 10]
    assert rows[1][4] == "微心愿" and rows[1][6] == "陈书记"
    newest = journal[0].created_at.replace(tzinfo=UTC).astimezone()
    assert rows[0][0] == newest.replace(tzinfo=None, microsecond=0)

    path = export.export_rows(tmp_path / "h.xlsx", headers, rows, "李四")
    ws, values = read_back(path)
    assert values[0] == export.HISTORY_HEADERS
    assert values[1:] == rows
