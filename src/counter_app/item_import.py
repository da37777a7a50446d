"""Import and export of the item list (.xlsx or .csv, by extension).

Headers are mapped by name, Chinese or English (tabular.py). Every problem of every row is
collected — row, column, what — and a file with any problem imports nothing. A row with
an ``编号`` (internal code IT-…) updates that item, otherwise a row updates the item of
the same name or adds a new one; an unchanged row changes nothing, so an export imports
back without a single change. A changed price is a dated price change (item_prices).
Categories must be ones the catalogue knows (in use, or the standard list); merchants
must be in the merchant register.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import func, insert, select

from counter_app import audit, clock, tabular
from counter_app.catalogue import KIND_LABELS, PERIOD_LABELS
from counter_app.db.models import Counter, ExchangeItem, ItemBarcode, ItemKind, LimitPeriod
from counter_app.db.stock_models import CapacityPeriod, ItemPrice, Merchant
from counter_app.errors import InvalidInput
from counter_app.ids import uuid7
from counter_app.item_codes import internal_code, item_id_from_code
from counter_app.items import check_barcode, check_fields
from counter_app.operators import Actor, Permission, require
from counter_app.stock.capacity import PERIOD_LABELS as CAPACITY_LABELS
from counter_app.tabular import Column, ParseError, RowProblem

STANDARD_CATEGORIES = ("粮油", "日用品", "清洁用品", "个人护理", "食品", "文具", "服务",
                       "商家优惠", "其他")
BARCODE_SEPARATORS = (";", "；", "、", ",", "，", " ")


def _barcodes(text: str) -> tuple[str, ...]:
    for sep in BARCODE_SEPARATORS[1:]:
        text = text.replace(sep, ";")
    codes = tuple(c for c in (p.strip() for p in text.split(";")) if c)
    out = []
    for code in codes:
        try:
            out.append(check_barcode(code))
        except InvalidInput as e:
            raise ParseError(e.context.get("detail", str(e))) from None
    return tuple(out)


def _code(text: str) -> int:
    item_id = item_id_from_code(text)
    if item_id is None:
        raise ParseError(f"“{text}”不是本柜台的物品编号（IT- 加 7 位数字，校验位要对）")
    return item_id


def _points(text: str) -> int:
    value = tabular.integer(-10**9, 10**9, " 分")(text)
    if value <= 0:
        raise ParseError(f"兑换积分必须大于 0（填的是 {value}）")
    return value


KINDS = {**{v: k for k, v in KIND_LABELS.items()}, **{str(k): k for k in ItemKind},
         "merchant offer": ItemKind.MERCHANT_OFFER, "offer": ItemKind.MERCHANT_OFFER}
LIMITS = {**{v: k for k, v in PERIOD_LABELS.items()}, **{str(k): k for k in LimitPeriod}}
CAPACITIES = {**{v: k for k, v in CAPACITY_LABELS.items()}, **{str(k): k for k in CapacityPeriod}}

COLUMNS = (
    Column("code", ("编号", "code", "item code"), required=False, parse=_code),
    Column("name", ("名称", "name", "item", "物品名称")),
    Column("kind", ("类型", "kind", "type"), parse=tabular.choice(KINDS)),
    Column("category", ("类别", "category")),
    Column("unit", ("单位", "unit"), required=False, default="件"),
    Column("points", ("积分", "points", "兑换积分", "price"), parse=_points),
    Column("barcodes", ("条码", "barcode", "barcodes"), required=False, parse=_barcodes,
           default=()),
    Column("limit_qty", ("限兑数量", "limit", "limit qty"), required=False,
           parse=tabular.integer(1, 10_000)),
    Column("limit_period", ("限兑周期", "limit period"), required=False,
           parse=tabular.choice(LIMITS)),
    Column("min_age", ("最低年龄", "min age", "minimum age"), required=False,
           parse=tabular.integer(1, 150, " 岁")),
    Column("merchant", ("商家", "merchant"), required=False),
    Column("capacity_qty", ("服务名额", "capacity"), required=False,
           parse=tabular.integer(1, 1_000_000)),
    Column("capacity_period", ("名额周期", "capacity period"), required=False,
           parse=tabular.choice(CAPACITIES)),
    Column("low_stock", ("低库存提醒", "low stock", "low stock threshold"), required=False,
           parse=tabular.integer(0, 1_000_000)),
    Column("voucher_days", ("优惠券有效天数", "voucher days"), required=False,
           parse=tabular.integer(1, 3660, " 天")),
    Column("active", ("上架", "active"), required=False, parse=tabular.YES_NO, default=True),
)
HEADERS = tuple(c.label for c in COLUMNS)
FIELDS = ("name", "kind", "category", "unit", "limit_qty", "limit_period", "min_age",
          "merchant_id", "capacity_qty", "capacity_period", "low_stock", "voucher_days",
          "active")


@dataclass(frozen=True)
class ImportResult:
    added: int
    changed: int
    unchanged: int
    ignored_headers: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"新增 {self.added} 件，修改 {self.changed} 件，未变 {self.unchanged} 件"


def known_categories(session) -> set[str]:
    return set(STANDARD_CATEGORIES) | set(session.scalars(select(ExchangeItem.category).distinct()))


def _row_problems(s, number: int, values: dict, header_of, ctx) -> list[RowProblem]:
    """What tabular cannot know: categories, merchants, codes and barcodes in the file."""
    problems = []
    label = header_of
    if values["category"] not in ctx["categories"]:
        problems.append(RowProblem(number, label("category"),
                                   f"没有“{values['category']}”这个类别（可用：" +
                                   "、".join(sorted(ctx["categories"])) + "）"))
    item_id = values.get("code")
    if item_id is not None and item_id not in ctx["items"]:
        problems.append(RowProblem(number, label("code"), f"编号 {internal_code(item_id)} 的物品不存在"))
    if item_id is not None:
        target = item_id if item_id in ctx["items"] else None
    else:
        target = ctx["by_name"].get(values["name"])
    values["target"] = target
    if target is not None and ctx["items"][target].kind != values["kind"]:
        problems.append(RowProblem(number, label("kind"), "物品类型建好后不能再改"))
    merchant = values.get("merchant")
    values["merchant_id"] = None
    if merchant:
        m = ctx["merchants"].get(merchant.casefold())
        legacy = target is not None and ctx["items"][target].merchant_id is None \
            and ctx["items"][target].merchant == merchant  # named before the register
        if m is None and not legacy:
            problems.append(RowProblem(number, label("merchant"),
                                       f"商家“{merchant}”没有登记，请先在商家名录里添加"))
        elif m is not None:
            values["merchant_id"] = m
    if values["kind"] is ItemKind.MERCHANT_OFFER and not merchant:
        problems.append(RowProblem(number, label("merchant"), "商家优惠要写明商家"))
    for code in values.get("barcodes") or ():
        owner = ctx["barcodes"].get(code)
        if owner is not None and owner != target:
            problems.append(RowProblem(number, label("barcodes"),
                                       f"条码 {code} 已被“{ctx['items'][owner].name}”使用"))
        seen = ctx["file_codes"].setdefault(code, number)
        if seen != number:
            problems.append(RowProblem(number, label("barcodes"), f"条码 {code} 与第 {seen} 行重复"))
    fields = {k: values.get(k) for k in ("limit_qty", "limit_period", "capacity_qty",
                                         "capacity_period")}
    try:
        check_fields(s, fields)
    except InvalidInput as e:
        col = "limit_period" if "限兑" in str(e) else "capacity_period"
        problems.append(RowProblem(number, label(col), e.context.get("detail", str(e))))
    return problems


ITEM_COLUMNS = ("id", "uid", "version", "community_id", "kind", "category", "name", "unit",
                "points", "tracks_stock", "merchant", "limit_qty", "limit_period", "min_age",
                "active", "merchant_id", "capacity_qty", "capacity_period", "low_stock",
                "picture", "voucher_days")


def _plain(row: dict) -> dict:
    """An exchange_items row for a Core insert: every column, enums as their text."""
    return {k: (str(row[k]) if isinstance(row.get(k), StrEnum) else row.get(k))
            for k in ITEM_COLUMNS}


def import_items(db, actor: Actor, path: str | Path) -> ImportResult:
    """All rows or none (tabular.ImportRefused lists every problem)."""
    require(actor, Permission.STOCK)
    sheet = tabular.read_sheet(path)
    parsed = tabular.parse(sheet, COLUMNS)
    index, _ = tabular.map_header(sheet, COLUMNS)

    def header_of(key: str) -> str:
        i = index.get(key)
        return sheet.header[i] if i is not None else next(c.label for c in COLUMNS if c.key == key)

    with db.write() as s:
        community = s.scalar(select(Counter.community_id).where(Counter.id == actor.counter_id))
        items = {i.id: i for i in s.scalars(select(ExchangeItem))}
        ctx = {"categories": known_categories(s), "items": items,
               "by_name": {i.name: i.id for i in items.values()},
               "merchants": {m.name.casefold(): m.id for m in s.scalars(select(Merchant))},
               "barcodes": dict(s.execute(select(ItemBarcode.code, ItemBarcode.item_id)).all()),
               "file_codes": {}}
        problems = list(parsed.problems)
        problems += tabular.duplicates(parsed.rows, "name", header_of("name"))
        problems += tabular.duplicates([(n, v) for n, v in parsed.rows if v.get("code")],
                                       "code", header_of("code"))
        for number, values in parsed.rows:
            problems += _row_problems(s, number, values, header_of, ctx)
        if problems:
            problems.sort(key=lambda p: p.row)
            raise tabular.ImportRefused(what="物品表", detail=tabular.describe(problems),
                                        problems=problems)
        added = changed = unchanged = 0
        now = clock.now_utc()
        codes_of: dict[int, set[str]] = {}
        for code, owner in ctx["barcodes"].items():
            codes_of.setdefault(owner, set()).add(code)
        next_id = (s.scalar(select(func.max(ExchangeItem.id))) or 0) + 1
        new_items, new_codes, new_prices = [], [], []
        operator = actor.operator_id
        for _number, v in parsed.rows:
            fields = {k: v.get(k) for k in FIELDS}
            fields["unit"] = fields["unit"] or "件"
            target = v["target"]
            if target is None:  # checked above: one bulk insert per table below
                active = fields.pop("active")
                checked = check_fields(s, fields)
                kind = checked.pop("kind")
                new_items.append(_plain(dict(
                    checked, id=next_id, uid=uuid7(), version=1, community_id=community,
                    kind=kind, points=v["points"], tracks_stock=kind is ItemKind.GOODS,
                    active=active, picture=None, merchant=checked.get("merchant"))))
                new_codes += [dict(code=c, item_id=next_id, uid=uuid7(), version=1)
                              for c in v["barcodes"] or ()]
                new_prices.append(dict(uid=uuid7(), version=1, item_id=next_id,
                                       points=v["points"], changed_at=now,
                                       operator_id=operator, note="导入"))
                next_id += 1
                added += 1
                continue
            item = items[target]
            checked = check_fields(s, {k: fields[k] for k in FIELDS if k != "active"})
            checked.pop("kind")
            checked["active"] = fields["active"]
            if not fields["merchant_id"]:
                checked["merchant"] = item.merchant if item.merchant_id is None else None
            diff = {k: val for k, val in checked.items() if getattr(item, k) != val}
            have = codes_of.get(item.id, set())
            more = [c for c in v["barcodes"] or () if c not in have]
            if v["points"] != item.points:
                new_prices.append(dict(uid=uuid7(), version=1, item_id=item.id,
                                       points=v["points"], changed_at=now,
                                       operator_id=operator, note="导入"))
                diff["points"] = v["points"]
            for key, val in diff.items():
                setattr(item, key, val)
            new_codes += [dict(code=c, item_id=item.id, uid=uuid7(), version=1) for c in more]
            if diff or more:
                changed += 1
            else:
                unchanged += 1
        s.flush()
        if new_items:
            s.execute(insert(ExchangeItem.__table__), new_items)
        if new_codes:
            s.execute(insert(ItemBarcode.__table__), new_codes)
        if new_prices:
            s.execute(insert(ItemPrice.__table__), new_prices)
        audit.record(s, actor, "item.import", file=Path(path).name, added=added,
                     changed=changed)
        return ImportResult(added, changed, unchanged, tuple(parsed.ignored_headers))


def export_rows(session) -> list[list]:
    """The item list as rows under HEADERS (what import_items reads back unchanged)."""
    codes: dict[int, list[str]] = {}
    for code, item_id in session.execute(select(ItemBarcode.code, ItemBarcode.item_id)
                                         .order_by(ItemBarcode.code)):
        codes.setdefault(item_id, []).append(code)
    merchants = dict(session.execute(select(Merchant.id, Merchant.name)).all())
    rows = []
    for i in session.scalars(select(ExchangeItem).order_by(ExchangeItem.category,
                                                           ExchangeItem.name, ExchangeItem.id)):
        rows.append([
            internal_code(i.id), i.name, KIND_LABELS[ItemKind(i.kind)], i.category, i.unit,
            i.points, ";".join(codes.get(i.id, ())), i.limit_qty,
            PERIOD_LABELS[LimitPeriod(i.limit_period)] if i.limit_period else None, i.min_age,
            merchants.get(i.merchant_id) or i.merchant, i.capacity_qty,
            CAPACITY_LABELS[CapacityPeriod(i.capacity_period)] if i.capacity_period else None,
            i.low_stock, i.voucher_days, "是" if i.active else "否"])
    return rows


def export_items(db, path: str | Path) -> Path:
    """.xlsx (text cells stay text: barcodes are never turned into 6.9E+12) or .csv (UTF-8
    with BOM, which Excel and WPS open without asking)."""
    from counter_app.cli.command import write_output

    path = Path(path)
    with db.read() as s:
        rows = export_rows(s)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from counter_app.reports.export import export_rows as write_xlsx

        try:
            return write_xlsx(path, HEADERS, [[("" if c is None else str(c)) if k in (0, 6) else c
                                              for k, c in enumerate(r)] for r in rows],
                              sheet_title="物品")
        except OSError as exc:
            from counter_app.system_errors import os_error

            raise os_error(exc, path.absolute()) from None
    if suffix == ".csv":
        buf = io.StringIO(newline="")
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(HEADERS)
        w.writerows([["" if c is None else c for c in r] for r in rows])
        return write_output(path, buf.getvalue().encode("utf-8-sig"))
    raise InvalidInput(detail=f"只能导出为 .xlsx 或 .csv，不能导出为 {path.name}")

