"""``counter-app print …``: receipts, member cards and shelf labels from the command line.

(Named ``printing`` so the module never shadows the built-in ``print``.) Handlers get an
open counter database; the documents themselves come from ``documents.print_jobs``,
imported only here, when something is printed.
"""

from __future__ import annotations

from pathlib import Path

from counter_app.cli.command import Db, command, write_output


def register(subparsers) -> None:
    from counter_app.cli.reports import PRINT_WHAT, register_print

    p = subparsers.add_parser("print", help="打印：小票、会员卡、货架标签、公示、红黑榜、评选、积分档案")
    sub = p.add_subparsers(dest="print_what", required=True,
                           metavar="{" + ",".join(("receipt", "cards", "labels", *PRINT_WHAT)) + "}")

    r = sub.add_parser("receipt", help="补打一张小票（PDF 或 ESC/POS）")
    r.add_argument("receipt_no", metavar="RECEIPT_NO", help="小票号，如 XF01-000001")
    out = r.add_mutually_exclusive_group(required=True)
    out.add_argument("--pdf", metavar="FILE", help="写成 PDF 文件")
    out.add_argument("--escpos", metavar="FILE",
                     help="ESC/POS 指令写入文件或打印机设备（如 /dev/usb/lp0）")
    r.add_argument("--width", type=int, choices=(58, 80), default=58, help="纸宽（毫米）")
    r.add_argument("--footer", help="小票底部的一句话（不给则用默认的一句）")
    command(r, receipt_cmd, Db.OPEN)

    c = sub.add_parser("cards", help="会员卡 PDF（A4，每页 10 张）")
    c.add_argument("--out", required=True, metavar="FILE.pdf")
    who = c.add_mutually_exclusive_group()
    who.add_argument("--compound", metavar="NAME", help="只打印这个小区的会员")
    who.add_argument("--members", nargs="+", type=int, metavar="ID", help="会员编号")
    c.add_argument("--qr", action="store_true", help="同时印二维码")
    command(c, cards_cmd, Db.OPEN)

    lab = sub.add_parser("labels", help="货架标签 PDF（A4，每页 24 张）")
    lab.add_argument("--out", required=True, metavar="FILE.pdf")
    command(lab, labels_cmd, Db.OPEN)

    register_print(sub)  # notice, boards, honours, points-file (cli/reports.py)


def _send_escpos(target: str, data: bytes) -> None:
    """To a device or a file, in one write (python-escpos's file printer)."""
    from escpos.exceptions import Error as EscposError

    from counter_app.documents.thermal import open_printer
    from counter_app.errors import PrinterError

    # python-escpos reports in English over several lines: say it in one Chinese line.
    why = "文件夹不存在" if not Path(target).parent.is_dir() else "设备不存在、未接通或没有权限"
    try:
        printer = open_printer({"type": "file", "path": target})
    except EscposError:
        raise PrinterError(detail=f"无法打开 {target}（{why}）") from None
    try:
        printer._raw(data)
    except EscposError:
        raise PrinterError(detail=f"无法写入 {target}（{why}）") from None
    finally:
        printer.close()


def receipt_cmd(args, db) -> int:
    from counter_app.documents.layout import DEFAULT_FOOTER
    from counter_app.documents.print_jobs import receipt_job

    footer = DEFAULT_FOOTER if args.footer is None else args.footer
    receipt_no, data = receipt_job(db, args.receipt_no, args.width, footer,
                                   escpos=bool(args.escpos))
    if args.pdf:
        write_output(args.pdf, data)
        print(f"小票 {receipt_no} 已写入 {args.pdf}")
        return 0
    _send_escpos(args.escpos, data)
    print(f"小票 {receipt_no} 已发送到 {args.escpos}（{args.width} 毫米）")
    return 0


def cards_cmd(args, db) -> int:
    from counter_app.documents.print_jobs import card_sheet

    sheet = card_sheet(db, args.members, args.compound, qr=args.qr)
    write_output(args.out, sheet.data)
    print(f"已生成 {sheet.count} 张会员卡，共 {sheet.pages} 页：{args.out}")
    return 0


def labels_cmd(args, db) -> int:
    from counter_app.documents.print_jobs import label_sheet

    sheet = label_sheet(db)
    write_output(args.out, sheet.data)
    print(f"已生成 {sheet.count} 张货架标签，共 {sheet.pages} 页：{args.out}")
    return 0
