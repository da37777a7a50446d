"""Entry point ``counter-app``: the counter window by default, admin sub-commands beside it."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from datetime import date
from pathlib import Path

from counter_app.config import default_db_path
from counter_app.errors import CounterError


def _demo(args, db_path: Path) -> int:
    from counter_app.demo import build_demo

    if db_path.exists():
        if args.if_missing:
            print(f"已有数据库 {db_path}，不重建演示数据")
            return 0
        if not args.force:
            print(f"数据库 {db_path} 已存在；重建演示数据请加 --force", file=sys.stderr)
            return 2
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
    as_of = date.fromisoformat(args.as_of) if args.as_of else None
    summary = build_demo(db_path, members=args.members, counter_id=args.counter_id,
                         seed=args.seed, scheme=args.scheme, as_of=as_of,
                         progress=lambda msg: print("  " + msg))
    print(f"演示社区已建好：{db_path}")
    print(f"  会员 {summary.members} 人，积分流水 {summary.points_entries} 条，"
          f"库存流水 {summary.stock_entries} 条，兑换 {summary.redemptions} 笔")
    print("  操作员（PIN）：" + "，".join(f"{n}（{p}）" for n, _r, p in summary.operators))
    return 0


def _init(args, db_path: Path) -> int:
    import getpass

    from counter_app import counters
    from counter_app.db import open_database

    pin = args.pin
    if pin is None:
        if not sys.stdin.isatty():
            print("错误：请用 --pin 给出管理员 PIN", file=sys.stderr)
            return 2
        pin = getpass.getpass("管理员 PIN（4 到 8 位数字）：")
        if getpass.getpass("再输入一次：") != pin:
            print("错误：两次输入的 PIN 不一致", file=sys.stderr)
            return 2
    info = counters.first_setup(
        open_database(db_path), street=args.street, community=args.community, code=args.code,
        counter_id=args.counter_id, counter_name=args.counter_name or f"{args.community}积分超市",
        admin_name=args.admin, admin_pin=pin)
    print(f"已初始化：{info.community} · {info.name}（柜台 {info.id}），数据库 {db_path}")
    return 0


def _check(args, db_path: Path) -> int:
    from counter_app import check
    from counter_app.db import open_database

    from counter_app.backup import check_counter_db

    check_counter_db(db_path)  # never migrate or convert the file being checked
    report = check.verify(open_database(db_path, migrate=False))
    print(f"checked {report.points_entries} points entries, {report.stock_entries} stock "
          f"entries, {report.accounts} accounts")
    if report.ok:
        print("OK: hash chains, sequences and balances are consistent")
        return 0
    print(f"FAILED: {len(report.faults)} fault(s)")
    for fault in report.faults:
        print(f"  - {fault}")
    return 1


def _backup(args, db_path: Path) -> int:
    from counter_app.backup import backup

    out = backup(db_path, Path(args.out))
    print(f"备份完成：{out}")
    return 0


def _restore(args, db_path: Path) -> int:
    from counter_app.backup import restore

    restore(Path(args.backup_file), db_path, force=args.force)
    print(f"已从 {args.backup_file} 恢复到 {db_path}；建议运行 counter-app check")
    return 0


def _search(args, db_path: Path) -> int:
    from counter_app import members
    from counter_app.backup import check_counter_db
    from counter_app.db import open_database

    check_counter_db(db_path)
    with open_database(db_path).read() as s:
        for row in members.search(s, args.text, limit=args.limit):
            print(f"{row.card_code}\t{row.name}\t{row.category_label}\t{row.phone_masked}\t"
                  f"{row.address}\t{row.balance}")
    return 0


def _gui(args, db_path: Path) -> int:
    from counter_app.ui.app import run

    return run(db_path, argv=sys.argv[:1])


def _screenshot(args, db_path: Path) -> int:
    if not db_path.exists():
        print(f"数据库 {db_path} 不存在；先运行 counter-app demo", file=sys.stderr)
        return 2
    from counter_app.ui.shell.screenshots import take_screenshots

    for path in take_screenshots(db_path, Path(args.out), language=args.language):
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="counter-app", description="积分超市柜台")
    p.add_argument("--db", type=Path, help="数据库文件（默认：用户数据目录，或 COUNTER_APP_DB）")
    sub = p.add_subparsers(dest="command")
    g = sub.add_parser("gui", help="打开柜台窗口（默认）")
    g.set_defaults(handler=_gui)
    d = sub.add_parser("demo", help="生成演示社区数据库")
    d.add_argument("--members", type=int, default=2000)
    d.add_argument("--counter-id", default="XF01")
    d.add_argument("--seed", type=int, default=20261122)
    d.add_argument("--scheme", choices=("A", "B"), default="A",
                   help="积分项目方案：A=8类21项(5/10/15分)，B=7类35项(5/10/20分)")
    d.add_argument("--as-of", help="历史截止日期 YYYY-MM-DD（默认今天）")
    d.add_argument("--force", action="store_true", help="覆盖已有数据库")
    d.add_argument("--if-missing", action="store_true", help="数据库已存在时什么也不做")
    d.set_defaults(handler=_demo)
    i = sub.add_parser("init", help="新柜台初始化：社区、本机柜台和第一位管理员")
    i.add_argument("--street", required=True, help="街道，例如 和平街道")
    i.add_argument("--community", required=True, help="社区名称，例如 幸福社区")
    i.add_argument("--code", required=True, help="社区代码：2-4 个字母，作卡号前缀")
    i.add_argument("--counter-id", required=True, help="柜台编号，例如 XF01")
    i.add_argument("--counter-name", help="柜台名称（默认：社区名称+积分超市）")
    i.add_argument("--admin", required=True, help="管理员姓名")
    i.add_argument("--pin", help="管理员 PIN（不给则在终端输入）")
    i.set_defaults(handler=_init)
    c = sub.add_parser("check", help="校验积分与库存账本")
    c.set_defaults(handler=_check)
    b = sub.add_parser("backup", help="在线备份数据库")
    b.add_argument("--out", required=True)
    b.set_defaults(handler=_backup)
    r = sub.add_parser("restore", help="从备份恢复（须先关闭柜台程序）")
    r.add_argument("backup_file")
    r.add_argument("--force", action="store_true")
    r.set_defaults(handler=_restore)
    sc = sub.add_parser("screenshot", help="把各页面渲染成 PNG（无需显示器）")
    sc.add_argument("--out", required=True)
    sc.add_argument("--language", default="zh_CN", choices=("zh_CN", "en"))
    sc.set_defaults(handler=_screenshot)
    s = sub.add_parser("search", help="查找会员")
    s.add_argument("text")
    s.add_argument("--limit", type=int, default=20)
    s.set_defaults(handler=_search)
    from counter_app.documents.commands import register

    register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db_path = args.db or default_db_path()
    try:
        if getattr(args, "func", None):  # sub-commands that take an open Database
            from counter_app.backup import check_counter_db
            from counter_app.db import open_database

            check_counter_db(db_path)  # print … must not create an empty database
            return args.func(args, open_database(db_path))
        handler = getattr(args, "handler", _gui)
        return handler(args, db_path)
    except CounterError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 2
    except (ValueError, FileExistsError) as err:
        print(f"错误：{err}", file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as err:
        print(f"错误：数据库文件 {db_path} 无法使用（{err}）", file=sys.stderr)
        return 2
