"""What the stock documents say: merchant settlements, the stock report (on hand with
value in points, movements per period by kind and source, donations per merchant), the
goods-received note, the stocktake count sheet and variance report. Each builds a
documents.table_pdf.Document (PDF) and sheets for xlsx (write_sheets).

Periods are local calendar days; stored times are naive UTC.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from counter_app import clock
from counter_app.db.models import Counter, ExchangeItem, StockEntry, StockKind
from counter_app.db.stock_models import Merchant, Voucher, VoucherEvent, VoucherUse
from counter_app.documents.table_pdf import Document, Table
from counter_app.errors import InvalidInput
from counter_app.localtime import day_start_utc, to_local
from counter_app.stock.receive import WRITEOFF_LABELS, describe_ref

KIND_LABELS = {StockKind.RECEIVE: "入库", StockKind.REDEMPTION: "兑换", StockKind.REVERSAL: "撤销",
               StockKind.ADJUSTMENT: "调整", StockKind.STOCKTAKE: "盘点调整",
               StockKind.WRITEOFF: "报损"}


def month_bounds(month: str) -> tuple[date, date]:
    """'2026-11' -> (first day, first day of the next month)."""
    try:
        first = datetime.strptime(month.strip(), "%Y-%m").date()
    except (ValueError, AttributeError):
        raise InvalidInput(detail=f"月份“{month}”的格式不对，应为 YYYY-MM，例如 2026-11") from None
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, nxt


def _local(t: datetime | None) -> str:
    return to_local(t).strftime("%Y-%m-%d %H:%M") if t else ""


# --- merchant settlement ----------------------------------------------------------------

@dataclass(frozen=True)
class MerchantSettlement:
    merchant_id: int | None
    merchant: str
    address: str | None
    contact: str | None
    issued: int
    used: int
    points_issued: int
    points_used: int
    vouchers: tuple[tuple, ...]  # (code, item, issued, status, used at, points)


def settlement(session: Session, month: str) -> tuple[str, list[MerchantSettlement]]:
    """Per merchant: vouchers issued in the month and vouchers used in the month."""
    first, nxt = month_bounds(month)
    lo, hi = day_start_utc(first), day_start_utc(nxt)
    merchants = {m.id: m for m in session.scalars(select(Merchant))}
    items = dict(session.execute(select(ExchangeItem.id, ExchangeItem.name)).all())
    q = (select(Voucher, VoucherUse).outerjoin(VoucherUse, VoucherUse.voucher_id == Voucher.id)
         .where(((Voucher.issued_at >= lo) & (Voucher.issued_at < hi))
                | ((VoucherUse.kind == str(VoucherEvent.USED)) & (VoucherUse.at >= lo)
                   & (VoucherUse.at < hi)))
         .order_by(Voucher.merchant_id, Voucher.issued_at, Voucher.id))
    acc: dict[int | None, dict] = {mid: dict(issued=0, used=0, pi=0, pu=0, rows=[])
                                   for mid in merchants}
    for v, use in session.execute(q):
        a = acc.setdefault(v.merchant_id, dict(issued=0, used=0, pi=0, pu=0, rows=[]))
        if lo <= v.issued_at < hi:
            a["issued"] += 1
            a["pi"] += v.points
        used_here = use is not None and use.kind == VoucherEvent.USED and lo <= use.at < hi
        if used_here:
            a["used"] += 1
            a["pu"] += v.points
        status = "未使用" if use is None else ("已使用" if use.kind == VoucherEvent.USED
                                               else "已作废")
        if use is None and v.valid_until <= clock.now_utc():
            status = "已过期"
        a["rows"].append((v.code, items.get(v.item_id, ""), _local(v.issued_at), status,
                          _local(use.at) if use else "", v.points))
    out = []
    for mid, a in acc.items():
        m = merchants.get(mid)
        out.append(MerchantSettlement(mid, m.name if m else "（未登记商家）",
                                      m.address if m else None, m.contact if m else None,
                                      a["issued"], a["used"], a["pi"], a["pu"],
                                      tuple(a["rows"])))
    out.sort(key=lambda s: (s.merchant_id is None, s.merchant))
    return f"{first:%Y 年 %-m 月}", out


SETTLE_HEADERS = ("商家", "地址", "联系方式", "发放张数", "使用张数", "发放积分", "使用积分")
VOUCHER_HEADERS = ("商家", "券号", "优惠项目", "发放时间", "状态", "使用时间", "积分")


def settlement_document(label: str, rows: list[MerchantSettlement], community: str) -> Document:
    tables = [Table(SETTLE_HEADERS, [(s.merchant, s.address, s.contact, s.issued, s.used,
                                      s.points_issued, s.points_used) for s in rows],
                    (3, 3, 2, 1.2, 1.2, 1.3, 1.3), title="汇总", right=frozenset({3, 4, 5, 6}),
                    total=("合计", "", "", sum(s.issued for s in rows),
                           sum(s.used for s in rows), sum(s.points_issued for s in rows),
                           sum(s.points_used for s in rows)))]
    for s in rows:
        if s.vouchers:
            tables.append(Table(VOUCHER_HEADERS[1:], s.vouchers, (2.4, 2.6, 2.2, 1.2, 2.2, 1),
                                title=f"{s.merchant} 明细", right=frozenset({5})))
    return Document(f"商居联盟月度结算（{label}）", facts=(f"社区：{community}",
                    f"制表时间：{_local(clock.now_utc())}",
                    "发放：本月兑换时打印的优惠券；使用：本月在商家核销的优惠券。"),
                    tables=tables, signatures=("社区经办人", "商家确认"))


def settlement_sheets(rows: list[MerchantSettlement]):
    return [("汇总", SETTLE_HEADERS, [(s.merchant, s.address, s.contact, s.issued, s.used,
                                       s.points_issued, s.points_used) for s in rows]),
            ("明细", VOUCHER_HEADERS, [(s.merchant, *v) for s in rows for v in s.vouchers])]


# --- stock report -----------------------------------------------------------------------

def _period(d_from: date | None, d_to: date | None) -> tuple[datetime, datetime, str]:
    today = to_local(clock.now_utc()).date()
    d_to = d_to or today
    d_from = d_from or d_to.replace(day=1)
    if d_from > d_to:
        raise InvalidInput(detail=f"起始日期 {d_from} 晚于结束日期 {d_to}")
    return day_start_utc(d_from), day_start_utc(d_to + timedelta(days=1)), f"{d_from} 至 {d_to}"


ON_HAND = ("类别", "物品", "单位", "库存", "单价（积分）", "价值（积分）", "低库存提醒")
MOVES = ("类型", "来源或原因", "笔数", "数量合计")
DONATIONS = ("商家", "物品", "数量", "价值（积分）")


def stock_report(session: Session, counter_id: str, d_from: date | None = None,
                 d_to: date | None = None) -> dict:
    lo, hi, label = _period(d_from, d_to)
    on_hand = []
    for i, qty in session.execute(text(
            "SELECT i.id, COALESCE(l.qty, 0) FROM exchange_items i LEFT JOIN stock_levels l "
            "ON l.item_id = i.id AND l.counter_id = :c WHERE i.tracks_stock "
            "ORDER BY i.category, i.name"), {"c": counter_id}):
        item = session.get(ExchangeItem, i)
        low = "低于提醒线" if item.low_stock is not None and qty <= item.low_stock else ""
        on_hand.append((item.category, item.name, item.unit, qty, item.points,
                        qty * item.points, low))
    moves: dict[tuple[str, str], list[int]] = {}
    donations: dict[tuple[str, str], list[int]] = {}
    for e, name, points in session.execute(
            select(StockEntry, ExchangeItem.name, ExchangeItem.points)
            .join(ExchangeItem, ExchangeItem.id == StockEntry.item_id)
            .where(StockEntry.counter_id == counter_id, StockEntry.created_at >= lo,
                   StockEntry.created_at < hi)):
        kind = StockKind(e.kind)
        if kind is StockKind.RECEIVE:
            info = describe_ref(session, e.ref)
            why = info.label
            if info.source is not None and str(info.source) == "donation":
                d = donations.setdefault((info.merchant or "", name), [0, 0])
                d[0] += e.delta
                d[1] += e.delta * points
        elif kind is StockKind.WRITEOFF:
            why = WRITEOFF_LABELS.get((e.ref or "").partition(":")[2], e.note or "")
        else:
            why = ""
        m = moves.setdefault((KIND_LABELS.get(kind, str(kind)), why), [0, 0])
        m[0] += 1
        m[1] += e.delta
    return dict(period=label, on_hand=on_hand,
                moves=[(k, w, n, q) for (k, w), (n, q) in sorted(moves.items())],
                donations=[(m, i, q, v) for (m, i), (q, v) in sorted(donations.items())])


def stock_report_document(report: dict, counter: str) -> Document:
    on_hand = report["on_hand"]
    return Document(f"库存报表（{report['period']}）",
                    facts=(f"柜台：{counter}", f"制表时间：{_local(clock.now_utc())}"),
                    tables=[Table(ON_HAND, on_hand, (1.5, 3.5, 1, 1.2, 1.5, 1.6, 1.6),
                                  title="库存与价值", right=frozenset({3, 4, 5}),
                                  total=("合计", "", "", sum(r[3] for r in on_hand), "",
                                         sum(r[5] for r in on_hand), "")),
                            Table(MOVES, report["moves"], (2, 4, 1.2, 1.5), title="本期出入库",
                                  right=frozenset({2, 3})),
                            Table(DONATIONS, report["donations"], (3, 3.5, 1.2, 1.6),
                                  title="商家让利", right=frozenset({2, 3}))],
                    signatures=("制表", "复核"))


def stock_report_sheets(report: dict):
    return [("库存与价值", ON_HAND, report["on_hand"]), ("本期出入库", MOVES, report["moves"]),
            ("商家让利", DONATIONS, report["donations"])]


# --- goods-received note, count sheet, variance report ------------------------------------

GRN = ("时间", "物品", "数量", "单位", "来源", "备注")


def goods_received_rows(session: Session, entry_ids) -> list[tuple]:
    rows = []
    for e in session.scalars(select(StockEntry).where(StockEntry.id.in_(list(entry_ids)))
                             .order_by(StockEntry.seq)):
        item = session.get(ExchangeItem, e.item_id)
        rows.append((_local(e.created_at), item.name, e.delta, item.unit,
                     describe_ref(session, e.ref).label, e.note or ""))
    return rows


def goods_received_document(rows, counter: str, operator: str) -> Document:
    return Document("入库单", facts=(f"柜台：{counter}", f"经办：{operator}",
                                     f"打印时间：{_local(clock.now_utc())}"),
                    tables=[Table(GRN, rows, (2.2, 3.5, 1, 0.8, 2.5, 2.5),
                                  right=frozenset({2}),
                                  total=("合计", f"{len(rows)} 笔", sum(r[2] for r in rows),
                                         "", "", ""))],
                    signatures=("送货人", "收货人"))


def count_sheet_document(view, counter: str) -> Document:
    rows = [(r.category, r.name, r.unit, "；".join(f"{s or '未分货架'} {q}" for s, q in r.shelves),
             "" if r.counted is None else r.counted) for r in view.rows]
    return Document("盘点表", facts=(f"柜台：{counter}", f"范围：{view.category or '全部实物'}",
                                     f"开始：{_local(view.opened_at)}", f"状态：{view.status_label}"),
                    tables=[Table(("类别", "物品", "单位", "各货架数量", "实盘合计"), rows,
                                  (1.5, 3.5, 1, 4, 1.5), right=frozenset({4}))],
                    signatures=("盘点人", "监盘人"))


def variance_document(view, counter: str) -> Document:
    rows = [(r.name, r.book_at_count if r.counted is not None else r.book_at_open,
             "" if r.counted is None else r.counted,
             "" if r.variance is None else f"{r.variance:+d}",
             "" if not r.variance else f"{r.variance * r.points:+d}", r.words)
            for r in view.rows]
    diff = [r for r in view.rows if r.variance]
    return Document("盘点差异表", facts=(
        f"柜台：{counter}", f"范围：{view.category or '全部实物'}", f"状态：{view.status_label}",
        f"有差异 {len(diff)} 件，未盘点 {len(view.uncounted)} 件；账面数为盘点那一刻的账面库存"
        f"（盘点期间的兑换已计入）。"),
        tables=[Table(("物品", "账面", "实盘", "差异", "差异积分", "说明"), rows,
                      (3, 1, 1, 1, 1.3, 5), right=frozenset({1, 2, 3, 4}))],
        signatures=("盘点人", "审批（管理员）"))


# --- xlsx -------------------------------------------------------------------------------

def write_sheets(path: str | os.PathLike, sheets) -> Path:
    """Several sheets in one workbook, written like reports.export.export_rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from counter_app.reports import export

    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(export._sheet_title(title))
        for col, h in enumerate(headers, start=1):
            export._set_text(ws.cell(row=1, column=col), h)
            ws.cell(row=1, column=col).font = Font(bold=True)
        for r, values in enumerate(rows, start=2):
            for col, value in enumerate(values, start=1):
                export._set_value(ws.cell(row=r, column=col), value)
        ws.freeze_panes = "A2"
    export._save_atomically(wb, path)
    return path


def write_document(out: str | os.PathLike, pdf, sheets) -> Path:
    """``out`` as a PDF (``pdf()`` -> Document) or an .xlsx (``sheets()``), by its suffix;
    written whole or not at all. The CLI and the stock pages both write through here."""
    from counter_app.cli.command import write_output

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".pdf":
        from counter_app.documents.table_pdf import render

        return write_output(out, render(pdf()))
    if suffix == ".xlsx":
        from counter_app.system_errors import os_error

        try:
            return write_sheets(out, sheets())
        except OSError as exc:
            raise os_error(exc, out.absolute()) from None
    raise InvalidInput(detail=f"只能输出 .pdf 或 .xlsx，不能输出 {out.name}")


def counter_name(session: Session, counter_id: str) -> str:
    c = session.get(Counter, counter_id)
    return f"{c.name}（{c.id}）" if c else counter_id


