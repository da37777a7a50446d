"""The counter's day: ``day open|close|status``, ``shift start|end|show``, ``selftest``."""

from __future__ import annotations

from pathlib import Path

from counter_app.cli.command import Db, command


def register(sub) -> None:
    t = sub.add_parser("selftest", help="自检：数据库、账本、磁盘、字体、打印机、扫码枪、备份、街道、时间")
    command(t, selftest_cmd, Db.NONE)

    d = sub.add_parser("day", help="营业日：日结报表（可重复打印）")
    dsub = d.add_subparsers(dest="day_command", title="日结命令", metavar="命令", required=True)
    c = dsub.add_parser("close", help="日结：生成并保存当天报表（已日结的日子重新打印同一份）")
    c.add_argument("--date", help="营业日 YYYY-MM-DD（默认今天）")
    c.add_argument("--out", required=True, help="报表文件：.pdf 为 PDF，其他为 ESC/POS 字节流")
    c.add_argument("--width", type=int, choices=(58, 80), default=80, help="纸宽（毫米）")
    c.add_argument("--operator", help="日结人（操作员姓名；补打已日结的日子不需要）")
    c.add_argument("--pin", help="日结人的 PIN（不给则读 COUNTER_APP_PIN 或在终端输入）")
    c.add_argument("--no-sync", action="store_true", help="日结后不与街道同步")
    c.add_argument("--no-backup", action="store_true", help="日结后不自动备份")
    c.add_argument("--passphrase-stdin", action="store_true",
                   help="备份口令从标准输入读（否则用系统密钥环）")
    command(c, day_close_cmd, Db.OPEN)
    s = dsub.add_parser("status", help="今天是否已开门、已日结，谁在当班")
    command(s, day_status_cmd, Db.OPEN)

    sh = sub.add_parser("shift", help="交接班：班次小结")
    shsub = sh.add_subparsers(dest="shift_command", title="交接班命令", metavar="命令",
                              required=True)
    ls = shsub.add_parser("list", help="某天的班次")
    ls.add_argument("--date", help="营业日 YYYY-MM-DD（默认今天）")
    command(ls, shift_list_cmd, Db.OPEN)
    pr = shsub.add_parser("print", help="打印一个班次的交接小结")
    pr.add_argument("shift_id", type=int)
    pr.add_argument("--out", required=True, help=".pdf 为 PDF，其他为 ESC/POS 字节流")
    pr.add_argument("--width", type=int, choices=(58, 80), default=58)
    command(pr, shift_print_cmd, Db.OPEN)


def selftest_cmd(args, db_path: Path) -> int:
    from counter_app import selftest

    report = selftest.run(db_path)
    print(f"柜台自检（数据库 {db_path}）")
    for line in report.lines():
        print("  " + line)
    return 0 if report.ok else 1


def _date(text: str | None):
    from counter_app.reports.period import optional_day

    return optional_day(text)


def _write_slip(slip, out: str, width: int) -> Path:
    from counter_app.cli.command import write_output
    from counter_app.documents.day_slips import slip_bytes

    return write_output(out, slip_bytes(slip, width, pdf=out.lower().endswith(".pdf")))


def day_close_cmd(args, db) -> int:
    import sys

    from counter_app.cli.command import sign_in_operator
    from counter_app.day import day_close
    from counter_app.documents.day_slips import day_close_slip

    from counter_app.errors import InvalidInput

    day = day_close.closable_day(_date(args.date))
    folder = Path(args.out).absolute().parent
    if not folder.is_dir():  # before the close: a typo must not leave a closed day unprinted
        raise InvalidInput(detail=f"报表文件夹 {folder} 不存在")
    stored = day_close.stored_report(db, day)
    if stored is None:  # a close is signed by whoever closes, with their PIN
        if not args.operator:
            raise InvalidInput(detail="日结要由操作员签名：请用 --operator 给出日结人姓名"
                                      "（PIN 用 --pin、COUNTER_APP_PIN 或在终端输入）")
        closed = day_close.close_day(db, sign_in_operator(db, args.operator, args.pin), day)
    else:  # a reprint of what was closed, and what the day had after it
        closed = day_close.Closed(stored, False, 0)
    report = closed.report
    supplement = None if closed.new else day_close.after_close(db, report)
    path = _write_slip(day_close_slip(report, args.width, reprint=not closed.new,
                                      supplement=supplement), args.out, args.width)
    verb = "日结完成" if closed.new else "该日已日结，重新打印"
    print(f"{verb}：{report.day.isoformat()}，报表 {path}")
    for head in report.heads:
        print(f"  {head.label} 链头：第 {head.seq} 条 {head.hash}")
    if supplement is not None:
        print(f"  {day_close.what_came_after(report, supplement)}：已附上补充日结（截至现在）")
        for head in supplement.heads:
            print(f"  现在 {head.label} 链头：第 {head.seq} 条 {head.hash}")
    if closed.new and not args.no_sync:
        print("  同步：" + day_close.sync_after_close(db, closed))
    if closed.new and not args.no_backup:
        from counter_app import backup_schedule

        passphrase = sys.stdin.readline().rstrip("\n") if args.passphrase_stdin else None
        print("  备份：" + backup_schedule.backup_after_close(db, passphrase=passphrase))
    return 0


def day_status_cmd(args, db) -> int:
    from counter_app.day import shifts

    status = shifts.day_status(db)
    print(status.describe())
    return 0


def shift_list_cmd(args, db) -> int:
    from counter_app.day import shifts

    rows = shifts.list_shifts(db, _date(args.date))
    if not rows:
        print("这一天没有班次")
    for r in rows:
        print(r.describe())
    return 0


def shift_print_cmd(args, db) -> int:
    from counter_app.day import shifts
    from counter_app.documents.day_slips import shift_slip

    summary = shifts.stored_summary(db, args.shift_id)
    path = _write_slip(shift_slip(summary, args.width), args.out, args.width)
    print(f"交接小结：{path}")
    return 0
