"""What the stock pages run on the database worker (plain core calls, asserted there)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from counter_app import catalogue, items, merchants, stock
from counter_app.catalogue import ItemRow
from counter_app.cli.command import write_output
from counter_app.db.stock_models import Merchant
from counter_app.documents.table_pdf import render
from counter_app.reports import stock_reports
from counter_app.reports.dashboard import low_stock
from counter_app.errors import InvalidInput
from counter_app.stock import stocktake
from counter_app.ui.common.ops import db_work


@dataclass(frozen=True)
class Found:
    item: ItemRow | None  # None: no item has this code
    code: str


@db_work
def find_item(db, counter_id: str, text: str) -> Found:
    """A scanned code (barcode, IT- code) or the start of an item's name."""
    text = text.strip()
    with db.read() as s:
        row = catalogue.row_by_barcode(s, counter_id, text) if text.isascii() else None
        if row is None:
            named = [r for r in catalogue.list_items(s, counter_id, include_inactive=True)
                     if text and text in r.name]
            row = named[0] if len(named) == 1 else None
        return Found(row, text)


@db_work
def load_page(db, counter_id: str):
    with db.read() as s:
        return (low_stock(s, counter_id), merchants.list_merchants(s),
                sorted(items_categories(s)))


def items_categories(s) -> set[str]:
    from counter_app.item_import import known_categories

    return known_categories(s)


@dataclass(frozen=True)
class Received:
    entry_id: str
    item: str
    unit: str
    qty: int
    source: str
    level: int


def _merchant_name(db, merchant_id) -> str | None:
    if merchant_id is None:
        return None
    with db.read() as s:
        return s.get(Merchant, merchant_id).name


@db_work
def receive(db, actor, item: ItemRow, qty: int, source: str, merchant_id, note) -> Received:
    """The receipt and what the list shows of it: the level after comes back with the
    entry (RETURNING), the item's name and unit from the row the page already holds."""
    from counter_app.db.stock_models import ReceiveSource
    from counter_app.stock.receive import SourceInfo

    row = stock.receive_goods(db, actor, item.id, qty, source, merchant_id=merchant_id,
                              note=note)
    label = SourceInfo(ReceiveSource(source), _merchant_name(db, merchant_id)).label
    return Received(row["id"], item.name, item.unit, qty, label, row["level"])


@db_work
def write_off(db, actor, item: ItemRow, qty: int, reason: str, note) -> Received:
    from counter_app.db.stock_models import WriteOffReason
    from counter_app.stock.receive import WRITEOFF_LABELS

    row = stock.write_off(db, actor, item.id, qty, reason, note)
    label = "报损：" + WRITEOFF_LABELS[WriteOffReason(reason)]
    return Received(row["id"], item.name, item.unit, -qty, label, row["level"])


@db_work
def add_item(db, actor, fields: dict) -> int:
    return items.add_item(db, actor, community_id=_community(db, actor), **fields)


def _community(db, actor) -> int:
    from counter_app.counters import local_counter

    return local_counter(db).community_id


@db_work
def goods_received_pdf(db, entry_ids, out: Path, operator: str) -> Path:
    with db.read() as s:
        rows = stock_reports.goods_received_rows(s, entry_ids)
        counter = stock_reports.counter_name(s, _counter_of(db))
    return write_output(out, render(stock_reports.goods_received_document(rows, counter, operator)))


@db_work
def goods_received_slip(db, entry_ids, operator: str, width_mm: int):
    """The same note as a slip for the receipt printer (documents.stock_slips)."""
    from counter_app.clock import now_utc
    from counter_app.documents.stock_slips import goods_received_slip as slip
    from counter_app.localtime import to_local

    with db.read() as s:
        rows = stock_reports.goods_received_rows(s, entry_ids)
        counter = stock_reports.counter_name(s, _counter_of(db))
    return slip(rows, counter, operator, f"{to_local(now_utc()):%Y-%m-%d %H:%M}", width_mm)


def _counter_of(db) -> str:
    from counter_app.counters import local_counter

    return local_counter(db).id


@db_work
def stock_report_file(db, counter_id: str, d_from, d_to, out: Path) -> Path:
    """The stock report of the period (on hand with value, movements, donations)."""
    with db.read() as s:
        report = stock_reports.stock_report(s, counter_id, d_from, d_to)
        name = stock_reports.counter_name(s, counter_id)
    return stock_reports.write_document(
        out, lambda: stock_reports.stock_report_document(report, name),
        lambda: stock_reports.stock_report_sheets(report))


# --- stocktake ----------------------------------------------------------------------------

@db_work
def open_or_current(db, actor, category: str | None, open_new: bool):
    sid = stocktake.current(db, actor.counter_id)
    if sid is None and open_new:
        sid = stocktake.open_session(db, actor, category)
    return stocktake.view(db, sid) if sid else None


@db_work
def count_scan(db, actor, sid: str, code: str, shelf: str):
    """One piece counted: by its scanned barcode, or by a typed name as on the restock page
    (trial: 牙膏 typed was refused as 兑换物品不存在 though listed right below)."""
    if not code.isascii():
        with db.read() as s:
            rows = catalogue.list_items(s, actor.counter_id, include_inactive=True)
        exact = [r for r in rows if r.name == code.strip()]
        named = exact or [r for r in rows if code.strip() in r.name]
        if len(named) == 1:
            stocktake.count(db, actor, sid, named[0].id, 1, shelf=shelf)
            return stocktake.view(db, sid)
        if len(named) > 1:
            raise InvalidInput(detail=f"“{code.strip()}”对应多种物品（"
                                      + "、".join(r.name for r in named[:5])
                                      + "）：请输入完整名称或扫条码")
    stocktake.scan(db, actor, sid, code, shelf=shelf)
    return stocktake.view(db, sid)


@db_work
def correct(db, actor, sid: str, item_id: int, shelf: str, qty: int):
    stocktake.count(db, actor, sid, item_id, qty, shelf=shelf, replace=True)
    return stocktake.view(db, sid)


@db_work
def approve(db, actor, sid: str):
    entries = stocktake.approve(db, actor, sid)
    return stocktake.view(db, sid), len(entries)


@db_work
def cancel(db, actor, sid: str):
    stocktake.cancel(db, actor, sid)


@db_work
def stocktake_pdfs(db, sid: str, folder: Path) -> tuple[Path, Path]:
    v = stocktake.view(db, sid)
    with db.read() as s:
        counter = stock_reports.counter_name(s, v.counter_id)
    folder.mkdir(parents=True, exist_ok=True)
    sheet = write_output(folder / f"盘点表-{sid[:8]}.pdf",
                         render(stock_reports.count_sheet_document(v, counter)))
    report = write_output(folder / f"盘点差异表-{sid[:8]}.pdf",
                          render(stock_reports.variance_document(v, counter)))
    return sheet, report


# --- items, merchants, vouchers ---------------------------------------------------------

@dataclass(frozen=True)
class ItemDetails:
    item: ItemRow
    barcodes: tuple[str, ...]
    prices: tuple  # items.PriceChange, newest first


@db_work
def list_all(db, counter_id: str):
    with db.read() as s:
        return (catalogue.list_items(s, counter_id, include_inactive=True),
                merchants.list_merchants(s, include_inactive=True))


@db_work
def item_details(db, counter_id: str, item_id: int) -> ItemDetails:
    with db.read() as s:
        row = next(r for r in catalogue.list_items(s, counter_id, include_inactive=True)
                   if r.id == item_id)
        return ItemDetails(row, tuple(items.barcodes_of(s, item_id)),
                           tuple(items.price_history(s, item_id)))


@db_work
def save_item(db, actor, item_id: int, fields: dict, points: int, barcodes, active: bool):
    items.edit_item(db, actor, item_id, fields=fields, points=points, barcodes=barcodes,
                    active=active)


@db_work
def add_merchant(db, actor, name: str, address: str, contact: str) -> int:
    return merchants.add(db, actor, name, address=address, contact=contact)


@db_work
def check_voucher(db, code: str):
    from counter_app import vouchers

    with db.read() as s:
        info = vouchers.check(s, code)
    return info, vouchers.status_text(info)


@db_work
def use_voucher(db, actor, code: str):
    from counter_app import vouchers

    return vouchers.use(db, actor, code)


@db_work
def import_file(db, actor, path: Path):
    from counter_app.item_import import import_items

    return import_items(db, actor, path)


@db_work
def export_file(db, path: Path) -> Path:
    from counter_app.item_import import export_items

    return export_items(db, path)


@db_work
def settlement_files(db, month: str, folder: Path) -> tuple[Path, Path]:
    from counter_app.counters import local_counter

    with db.read() as s:
        label, rows = stock_reports.settlement(s, month)
    folder.mkdir(parents=True, exist_ok=True)
    community = local_counter(db).community
    pdf = write_output(folder / f"商家结算-{month}.pdf",
                       render(stock_reports.settlement_document(label, rows, community)))
    xlsx = stock_reports.write_sheets(folder / f"商家结算-{month}.xlsx",
                                      stock_reports.settlement_sheets(rows))
    return pdf, xlsx
