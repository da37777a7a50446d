"""``counter-app print ...``: receipts, member cards and shelf labels from the command line.

Handlers take ``(args, db)`` and return an exit code; every expected failure is
a Chinese message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import functools
import io
import sys
from pathlib import Path

from sqlalchemy import select

from counter_app import counters, members, redemption
from counter_app.db.models import Member, MemberStatus
from counter_app.documents.cards import card_sheet_pdf
from counter_app.documents.labels import label_items, label_sheet_pdf
from counter_app.documents.layout import DEFAULT_FOOTER
from counter_app.documents.receipt_pdf import receipt_pdf
from counter_app.documents.thermal import PrinterError, open_printer, receipt_escpos
from counter_app.errors import CounterError, InvalidInput


def register(subparsers) -> None:
    p = subparsers.add_parser("print", help="打印：小票、会员卡、货架标签")
    sub = p.add_subparsers(dest="print_what", metavar="{receipt,cards,labels}", required=True)

    r = sub.add_parser("receipt", help="补打一张小票（PDF 或 ESC/POS）")
    r.add_argument("receipt_no", metavar="RECEIPT_NO", help="小票号，如 XF01-000001")
    out = r.add_mutually_exclusive_group(required=True)
    out.add_argument("--pdf", metavar="FILE", help="写成 PDF 文件")
    out.add_argument("--escpos", metavar="FILE",
                     help="ESC/POS 指令写入文件或打印机设备（如 /dev/usb/lp0）")
    r.add_argument("--width", type=int, choices=(58, 80), default=58, help="纸宽（毫米）")
    r.add_argument("--footer", default=DEFAULT_FOOTER, help="小票底部的一句话")
    r.set_defaults(func=receipt_cmd)

    c = sub.add_parser("cards", help="会员卡 PDF（A4，每页 10 张）")
    c.add_argument("--out", required=True, metavar="FILE.pdf")
    who = c.add_mutually_exclusive_group()
    who.add_argument("--compound", metavar="NAME", help="只打印这个小区的会员")
    who.add_argument("--members", nargs="+", type=int, metavar="ID", help="会员编号")
    c.add_argument("--qr", action="store_true", help="同时印二维码")
    c.set_defaults(func=cards_cmd)

    lab = sub.add_parser("labels", help="货架标签 PDF（A4，每页 24 张）")
    lab.add_argument("--out", required=True, metavar="FILE.pdf")
    lab.set_defaults(func=labels_cmd)


def _friendly(handler):
    @functools.wraps(handler)
    def run(args, db) -> int:
        try:
            return handler(args, db)
        except CounterError as exc:
            print(f"错误：{exc}", file=sys.stderr)
        except OSError as exc:
            print(f"错误：无法写入 {exc.filename or '输出'}（{exc.strerror or exc}）",
                  file=sys.stderr)
        return 2
    return run


def _write(path: str, data: bytes) -> None:
    """Render first, write once: a failed render leaves no half-written file."""
    Path(path).write_bytes(data)


@_friendly
def receipt_cmd(args, db) -> int:
    from escpos.exceptions import Error as EscposError

    with db.read() as s:
        receipt = redemption.receipt(s, args.receipt_no.strip())
    if args.pdf:
        buf = io.BytesIO()
        receipt_pdf(receipt, buf, args.width, args.footer)
        _write(args.pdf, buf.getvalue())
        print(f"小票 {receipt.receipt_no} 已写入 {args.pdf}")
        return 0
    data = receipt_escpos(receipt, args.width, args.footer)
    printer = open_printer({"type": "file", "path": args.escpos})
    try:
        printer._raw(data)
    except EscposError as exc:
        raise PrinterError(detail=f"无法打开 {args.escpos}：{exc}") from None
    finally:
        printer.close()
    print(f"小票 {receipt.receipt_no} 已发送到 {args.escpos}（{args.width} 毫米）")
    return 0


def _member_rows(db, community_id: int, ids: list[int] | None, compound: str | None):
    with db.read() as s:
        if ids:
            rows = [members.get_member(s, i) for i in dict.fromkeys(ids)]
            for row in rows:
                if row.blocked:
                    raise InvalidInput(detail=f"会员 {row.name}（编号 {row.id}）已停用，不打印会员卡")
            return rows
        all_ids = s.scalars(select(Member.id).where(Member.community_id == community_id,
                                                    Member.status == MemberStatus.ACTIVE)
                            .order_by(Member.id))
        rows = [members.get_member(s, i) for i in all_ids]
    if compound:
        rows = [r for r in rows if r.compound == compound.strip()]
        if not rows:
            raise InvalidInput(detail=f"小区“{compound}”没有在册会员，请核对小区名称")
    return rows


@_friendly
def cards_cmd(args, db) -> int:
    local = counters.local_counter(db)
    rows = _member_rows(db, local.community_id, args.members, args.compound)
    if not rows:
        raise InvalidInput(detail="没有可打印会员卡的会员")
    buf = io.BytesIO()
    pages = card_sheet_pdf(rows, local.community, buf, qr=args.qr)
    _write(args.out, buf.getvalue())
    print(f"已生成 {len(rows)} 张会员卡，共 {pages} 页：{args.out}")
    return 0


@_friendly
def labels_cmd(args, db) -> int:
    local = counters.local_counter(db)
    with db.read() as s:
        items = label_items(s, local.id, local.community_id)
    if not items:
        raise InvalidInput(detail="没有上架的兑换物品，无标签可打印")
    buf = io.BytesIO()
    pages = label_sheet_pdf(items, buf)
    _write(args.out, buf.getvalue())
    print(f"已生成 {len(items)} 张货架标签，共 {pages} 页：{args.out}")
    return 0
