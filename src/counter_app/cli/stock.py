"""Stock commands for staff who script: ``stock`` (receive, writeoff, levels, report),
``import items`` / ``export items``, ``voucher use|check``, ``merchants add|list|settle``.

Writing commands act as an operator: ``--operator NAME`` and the PIN from ``--pin``, the
environment variable COUNTER_APP_PIN, or typed at the terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path

from counter_app.cli.command import Db, command, sign_in_operator
from counter_app.cli.parser import shared_group

SOURCES = ("purchase", "donation", "street", "district", "other")
REASONS = ("damaged", "expired", "lost")


def _as_operator(p) -> None:
    p.add_argument("--operator", required=True, help="操作员姓名")
    p.add_argument("--pin", help="操作员 PIN（或环境变量 COUNTER_APP_PIN；不给则在终端输入）")


def register(sub) -> None:
    st = sub.add_parser("stock", help="库存：入库、报损、库存表、库存报表")
    ss = st.add_subparsers(dest="stock_command", title="库存命令", metavar="命令", required=True)
    r = ss.add_parser("receive", help="入库（要写明来源）")
    r.add_argument("item", help="条码、物品编号（IT-…）或物品名称")
    r.add_argument("qty", type=int)
    r.add_argument("--source", required=True, choices=SOURCES,
                   help="来源：purchase 社区采购、donation 商家让利、street 街道调拨、"
                        "district 区级调拨、other 其他（要写备注）")
    r.add_argument("--merchant", help="商家让利时的商家名称")
    r.add_argument("--note")
    _as_operator(r)
    command(r, receive_cmd, Db.OPEN)
    w = ss.add_parser("writeoff", help="报损（破损、过期、丢失）")
    w.add_argument("item")
    w.add_argument("qty", type=int)
    w.add_argument("--reason", required=True, choices=REASONS,
                   help="damaged 破损、expired 过期、lost 丢失")
    w.add_argument("--note")
    _as_operator(w)
    command(w, writeoff_cmd, Db.OPEN)
    lv = ss.add_parser("levels", help="当前库存")
    command(lv, levels_cmd, Db.OPEN)
    rp = ss.add_parser("report", help="库存报表（PDF 或 .xlsx）：库存与价值、出入库、商家让利")
    rp.add_argument("--out", required=True, type=Path)
    rp.add_argument("--from", dest="date_from")
    rp.add_argument("--to", dest="date_to")
    command(rp, report_cmd, Db.OPEN)

    ims = shared_group(sub, "import")
    ii = ims.add_parser("items", help="导入物品表：有一行出错就整个文件都不导入")
    ii.add_argument("file", type=Path)
    _as_operator(ii)
    command(ii, import_cmd, Db.OPEN)
    exs = shared_group(sub, "export")
    ei = exs.add_parser("items", help="导出物品表（按扩展名：.xlsx 或 .csv）")
    ei.add_argument("file", type=Path)
    command(ei, export_cmd, Db.OPEN)

    v = sub.add_parser("voucher", help="商家优惠券：核销、查询")
    vs = v.add_subparsers(dest="voucher_command", title="优惠券命令", metavar="命令", required=True)
    vu = vs.add_parser("use", help="核销一张优惠券（只能用一次）")
    vu.add_argument("code")
    _as_operator(vu)
    command(vu, voucher_use_cmd, Db.OPEN)
    vc = vs.add_parser("check", help="查询一张优惠券是否有效")
    vc.add_argument("code")
    command(vc, voucher_check_cmd, Db.OPEN)

    m = sub.add_parser("merchants", help="商居联盟商家：登记、名录、月度结算")
    ms = m.add_subparsers(dest="merchant_command", title="商家命令", metavar="命令", required=True)
    ma = ms.add_parser("add", help="登记商家")
    ma.add_argument("name")
    ma.add_argument("--address")
    ma.add_argument("--contact")
    _as_operator(ma)
    command(ma, merchant_add_cmd, Db.OPEN)
    ml = ms.add_parser("list", help="商家名录")
    command(ml, merchant_list_cmd, Db.OPEN)
    mst = ms.add_parser("settle", help="月度结算（PDF 或 .xlsx）")
    mst.add_argument("--month", required=True, help="YYYY-MM")
    mst.add_argument("--out", required=True, type=Path)
    command(mst, settle_cmd, Db.OPEN)


def _actor(db, args):
    return sign_in_operator(db, args.operator, args.pin)


def _item_id(db, text: str) -> int:
    from sqlalchemy import select

    from counter_app.catalogue import item_by_barcode
    from counter_app.db.models import ExchangeItem
    from counter_app.errors import UnknownItem

    with db.read() as s:
        try:
            return item_by_barcode(s, text).id
        except UnknownItem:
            ids = list(s.scalars(select(ExchangeItem.id).where(ExchangeItem.name == text.strip())))
            if len(ids) == 1:
                return ids[0]
            raise


def _merchant_id(db, name: str | None) -> int | None:
    from counter_app import merchants
    from counter_app.errors import NotFound

    if not name:
        return None
    with db.read() as s:
        m = merchants.by_name(s, name)
        if m is None:
            raise NotFound(what=f"商家“{name}”（请先用 counter-app merchants add 登记）")
        return m.id


def receive_cmd(args, db) -> int:
    from counter_app import stock

    actor = _actor(db, args)
    row = stock.receive_goods(db, actor, _item_id(db, args.item), args.qty, args.source,
                              merchant_id=_merchant_id(db, args.merchant), note=args.note)
    with db.read() as s:
        qty = stock.level(s, actor.counter_id, row["item_id"])
    print(f"已入库 {args.qty}，现有库存 {qty}（记录 {row['id']}）")
    return 0


def writeoff_cmd(args, db) -> int:
    from counter_app import stock

    actor = _actor(db, args)
    row = stock.write_off(db, actor, _item_id(db, args.item), args.qty, args.reason, args.note)
    with db.read() as s:
        qty = stock.level(s, actor.counter_id, row["item_id"])
    print(f"已报损 {args.qty}，现有库存 {qty}（记录 {row['id']}）")
    return 0


def levels_cmd(args, db) -> int:
    from counter_app import catalogue, counters

    counter = counters.local_counter(db).id
    for r in catalogue.list_items(db, counter, include_inactive=True):
        if r.stock is None:
            continue
        low = "\t低库存" if r.is_low else ""
        print(f"{r.category}\t{r.name}\t{r.stock}{r.unit}{low}")
    return 0


def _write_doc(out: Path, pdf, sheets) -> Path:
    from counter_app.reports.stock_reports import write_document

    return write_document(out, pdf, sheets)


def _day(text: str | None):
    from counter_app.reports.period import optional_day

    return optional_day(text)


def report_cmd(args, db) -> int:
    from counter_app import counters
    from counter_app.reports import stock_reports as sr

    counter = counters.local_counter(db).id
    d_from, d_to = _day(args.date_from), _day(args.date_to)
    with db.read() as s:
        report = sr.stock_report(s, counter, d_from, d_to)
        name = sr.counter_name(s, counter)
    out = _write_doc(args.out, lambda: sr.stock_report_document(report, name),
                     lambda: sr.stock_report_sheets(report))
    print(f"库存报表（{report['period']}）已写入 {out}")
    return 0


def import_cmd(args, db) -> int:
    from counter_app.item_import import import_items

    result = import_items(db, _actor(db, args), args.file)
    print(f"物品表已导入：{result}")
    if result.ignored_headers:
        print("未识别、已忽略的列：" + "、".join(result.ignored_headers), file=sys.stderr)
    return 0


def export_cmd(args, db) -> int:
    from counter_app.item_import import export_items

    print(f"物品表已导出到 {export_items(db, args.file)}")
    return 0


def voucher_use_cmd(args, db) -> int:
    from counter_app import vouchers

    info = vouchers.use(db, _actor(db, args), args.code)
    print(f"已核销：{info.code} {info.item}（{info.merchant or '商家'}），{info.points} 积分")
    if info.member:
        print(f"  兑换会员：{info.member}")
    return 0


def voucher_check_cmd(args, db) -> int:
    from counter_app import vouchers

    with db.read() as s:
        info = vouchers.check(s, args.code)
    print(vouchers.status_text(info))
    if info.member:  # the merchant compares it with who hands the voucher over (trial)
        print(f"  兑换会员：{info.member}")
    return 0


def merchant_add_cmd(args, db) -> int:
    from counter_app import merchants

    mid = merchants.add(db, _actor(db, args), args.name, address=args.address,
                        contact=args.contact)
    print(f"已登记商家“{args.name.strip()}”（编号 {mid}）")
    return 0


def merchant_list_cmd(args, db) -> int:
    from counter_app import merchants

    rows = merchants.list_merchants(db, include_inactive=True)
    for m in rows:
        print(f"{m.id}\t{m.name}\t{m.address or ''}\t{m.contact or ''}"
              + ("" if m.active else "\t已停用"))
    if not rows:
        print("还没有登记商家（counter-app merchants add 名称 登记）")
    return 0


def settle_cmd(args, db) -> int:
    from counter_app import counters
    from counter_app.reports import stock_reports as sr

    with db.read() as s:
        label, rows = sr.settlement(s, args.month)
    community = counters.local_counter(db).community
    out = _write_doc(args.out, lambda: sr.settlement_document(label, rows, community),
                     lambda: sr.settlement_sheets(rows))
    print(f"{label}商家结算已写入 {out}：{len(rows)} 家商家，"
          f"发放 {sum(r.issued for r in rows)} 张，使用 {sum(r.used for r in rows)} 张")
    return 0
