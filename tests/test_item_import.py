"""Item import/export: headers by name (Chinese or English), every bad row named, nothing
imported from a file with one bad row, export -> import changes nothing."""

from __future__ import annotations

import csv

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from counter_app import item_import
from counter_app.db.models import ExchangeItem
from counter_app.db.stock_models import ItemPrice
from counter_app.merchants import add as add_merchant
from counter_app.tabular import ImportRefused


def _count(counter):
    with counter.db.read() as s:
        return s.scalar(select(func.count()).select_from(ExchangeItem))


def _csv(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_english_headers_add_items(counter, tmp_path):
    add_merchant(counter.db, counter.stock_staff, "好邻居超市")
    path = _csv(tmp_path / "items.csv", [
        ["Name", "Kind", "Category", "Unit", "Points", "Barcode", "Merchant", "Capacity",
         "Capacity period"],
        ["酱油", "goods", "粮油", "瓶", "8", "036000291452", "", "", ""],
        ["洗车九折券", "merchant offer", "商家优惠", "张", "12", "", "好邻居超市", "", ""],
        ["爱心餐", "服务", "服务", "份", "10", "", "", "30", "每周"],
    ])
    result = item_import.import_items(counter.db, counter.stock_staff, path)
    assert (result.added, result.changed) == (3, 0)
    with counter.db.read() as s:
        meal = s.scalar(select(ExchangeItem).where(ExchangeItem.name == "爱心餐"))
        assert (meal.capacity_qty, meal.capacity_period, meal.tracks_stock) == (30, "week", False)


def test_a_file_with_bad_rows_imports_nothing_and_names_every_one(counter, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["名称", "类型", "类别", "单位", "积分", "条码", "商家"])
    ws.append(["酱油", "实物", "粮油", "瓶", 8, "036000291452", None])  # fine
    ws.append(["醋", "实物", "粮油", "瓶", "八", None, None])  # wrong type
    ws.append(["盐", "实物", "调味品", "袋", 3, None, None])  # unknown category
    ws.append(["糖", "实物", "食品", "袋", 0, None, None])  # price zero
    ws.append(["面条", "实物", "食品", "把", 4, "6901234567893", None])  # wrong check digit
    ws.append(["挂面", "实物", "食品", "把", 4, "6901234567892", None])  # barcode of 大米
    ws.append(["酱油", "实物", "粮油", "瓶", 8, None, None])  # duplicate row
    ws.append(["理发券", "商家优惠", "商家优惠", "张", 9, None, "不存在的店"])  # unknown merchant
    wb.save(tmp_path / "bad.xlsx")
    before = _count(counter)
    with pytest.raises(ImportRefused) as err:
        item_import.import_items(counter.db, counter.stock_staff, tmp_path / "bad.xlsx")
    found = {(p.row, p.column) for p in err.value.context["problems"]}
    assert found >= {(3, "积分"), (4, "类别"), (5, "积分"), (6, "条码"), (7, "条码"), (8, "名称"),
                     (9, "商家")}, err.value.context["problems"]
    text = str(err.value)
    assert "物品表未导入" in text and "第 3 行「积分」：“八”不是整数" in text
    assert "没有“调味品”这个类别" in text and "校验位不对" in text
    assert "已被“大米 5kg”使用" in text and "与第 2 行重复" in text
    assert "商家“不存在的店”没有登记" in text
    assert 1 not in {p.row for p in err.value.context["problems"]}
    assert _count(counter) == before


def test_a_missing_column_is_named(counter, tmp_path):
    path = _csv(tmp_path / "x.csv", [["名称", "类别", "积分"], ["酱油", "粮油", "8"]])
    with pytest.raises(ImportRefused, match="表头「类型」：缺少这一列"):
        item_import.import_items(counter.db, counter.stock_staff, path)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_imports_back_unchanged(counter, tmp_path, suffix):
    path = tmp_path / f"items{suffix}"
    item_import.export_items(counter.db, path)
    with counter.db.read() as s:
        prices = s.scalar(select(func.count()).select_from(ItemPrice))
        outbox = s.execute(select(func.max(ExchangeItem.version))).scalar()
    result = item_import.import_items(counter.db, counter.stock_staff, path)
    assert (result.added, result.changed, result.unchanged) == (0, 0, 4)
    with counter.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ItemPrice)) == prices
        assert s.execute(select(func.max(ExchangeItem.version))).scalar() == outbox
    if suffix == ".xlsx":
        ws = load_workbook(path).active
        header = [c.value for c in ws[1]]
        assert header[:6] == ["编号", "名称", "类型", "类别", "单位", "积分"]
        rice = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "大米 5kg")
        assert rice[6] == "6901234567892" and rice[5] == 20  # barcode text, points a number
    else:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_changed_price_in_an_import_is_a_dated_price_change(counter, tmp_path):
    path = tmp_path / "items.csv"
    item_import.export_items(counter.db, path)
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    for r in rows[1:]:
        if r[1] == "香皂":
            r[5] = "6"
    _csv(path, rows)
    result = item_import.import_items(counter.db, counter.stock_staff, path)
    assert (result.added, result.changed) == (0, 1)
    with counter.db.read() as s:
        notes = [p.note for p in s.scalars(select(ItemPrice).where(ItemPrice.item_id == counter.soap))]
    assert notes == ["新建", "导入"]
