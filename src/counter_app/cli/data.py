"""The counter database as a whole: ``init``, ``demo``, ``check``, ``backup``, ``restore``."""

from __future__ import annotations

import sys
from pathlib import Path

from counter_app.cli.command import Db, command


def register(sub) -> None:
    d = sub.add_parser("demo", help="生成演示社区数据库")
    d.add_argument("--members", type=int, default=2000)
    d.add_argument("--counter-id", default="XF01")
    d.add_argument("--seed", type=int, default=20261122)
    d.add_argument("--scheme", choices=("A", "B"), default="A",
                   help="积分项目方案：A=8类21项(5/10/15分)，B=7类35项(5/10/20分)")
    d.add_argument("--as-of", help="历史截止日期 YYYY-MM-DD（默认今天）")
    d.add_argument("--force", action="store_true", help="覆盖已有数据库")
    d.add_argument("--if-missing", action="store_true", help="数据库已存在时什么也不做")
    command(d, demo_cmd, Db.CREATE)

    i = sub.add_parser("init", help="新柜台初始化：社区、本机柜台和第一位管理员")
    i.add_argument("--street", required=True, help="街道，例如 和平街道")
    i.add_argument("--community", required=True, help="社区名称，例如 幸福社区")
    i.add_argument("--code", required=True, help="社区代码：2-4 个字母，作卡号前缀")
    i.add_argument("--counter-id", required=True, help="柜台编号，例如 XF01")
    i.add_argument("--counter-name", help="柜台名称（默认：社区名称+积分超市）")
    i.add_argument("--admin", required=True, help="管理员姓名")
    i.add_argument("--pin", help="管理员 PIN（不给则在终端输入）")
    i.add_argument("--scheme", choices=("A", "B"),
                   help="积分项目预设方案：A=8类21项(5/10/15分)，B=7类35项(5/10/20分)；"
                        "不给则以后在积分项目页添加")
    command(i, init_cmd, Db.CREATE)

    c = sub.add_parser("check", help="校验积分与库存账本")
    command(c, check_cmd, Db.READ)

    b = sub.add_parser("backup", help="在线备份数据库")
    b.add_argument("--out", required=True)
    command(b, backup_cmd, Db.READ)

    r = sub.add_parser("restore", help="从备份恢复（须先关闭柜台程序）")
    r.add_argument("backup_file")
    r.add_argument("--force", action="store_true")
    command(r, restore_cmd, Db.CREATE)


def demo_cmd(args, db_path: Path) -> int:
    from datetime import date

    from counter_app.demo import build_demo
    from counter_app.errors import DatabaseExists, InvalidInput

    if db_path.exists():
        if args.if_missing:
            print(f"已有数据库 {db_path}，不重建演示数据")
            return 0
        if not args.force:
            raise DatabaseExists(path=db_path.absolute(), hint="重建演示数据请加 --force")
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else None
    except ValueError:
        raise InvalidInput(detail=f"日期“{args.as_of}”不对，请写成 YYYY-MM-DD") from None
    summary = build_demo(db_path, members=args.members, counter_id=args.counter_id,
                         seed=args.seed, scheme=args.scheme, as_of=as_of, replace=args.force,
                         progress=lambda msg: print("  " + msg, flush=True))
    print(f"演示社区已建好：{db_path}")
    print(f"  会员 {summary.members} 人，积分记录 {summary.points_entries} 条，"
          f"库存记录 {summary.stock_entries} 条，兑换 {summary.redemptions} 笔")
    print("  操作员（PIN）：" + "，".join(f"{n}（{p}）" for n, _r, p in summary.operators))
    return 0


def _read_pin(pin: str | None) -> str:
    import getpass

    from counter_app.errors import InvalidInput

    if pin is not None:
        return pin
    if not sys.stdin.isatty():
        raise InvalidInput(detail="请用 --pin 给出管理员 PIN")
    pin = getpass.getpass("管理员 PIN（4 到 8 位数字）：")
    if getpass.getpass("再输入一次：") != pin:
        raise InvalidInput(detail="两次输入的 PIN 不一致")
    return pin


def init_cmd(args, db_path: Path) -> int:
    from counter_app import counters
    from counter_app.db import open_database

    pin = _read_pin(args.pin)
    created = not db_path.exists()
    db = open_database(db_path)
    try:
        info = counters.first_setup(
            db, street=args.street, community=args.community, code=args.code,
            counter_id=args.counter_id,
            counter_name=args.counter_name or f"{args.community}积分超市",
            admin_name=args.admin, admin_pin=pin, point_scheme=args.scheme)
    except BaseException:
        db.dispose()
        if created:  # a failed set-up leaves no empty database to trip over
            for suffix in ("", "-wal", "-shm"):
                Path(str(db_path) + suffix).unlink(missing_ok=True)
        raise
    db.dispose()
    print(f"已初始化：{info.community} · {info.name}（柜台 {info.id}），数据库 {db_path}")
    return 0


def check_cmd(args, db_path: Path) -> int:
    from counter_app import check
    from counter_app.backup import check_counter_db
    from counter_app.db import open_database

    check_counter_db(db_path)  # never migrate or convert the file being checked
    report = check.verify(open_database(db_path, migrate=False))
    counts = (f"积分记录 {report.points_entries} 条，库存记录 {report.stock_entries} 条，"
              f"账户 {report.accounts} 个")
    if report.ok:
        print(f"账本检查通过：{counts}")
        return 0
    print(f"账本检查未通过：发现 {len(report.faults)} 处问题（{counts}）")
    for fault in report.faults:
        print(f"  - {fault}")
    return 1


def backup_cmd(args, db_path: Path) -> int:
    from counter_app.backup import backup

    out = backup(db_path, Path(args.out))
    print(f"备份完成：{out}")
    return 0


def restore_cmd(args, db_path: Path) -> int:
    from counter_app.backup import restore

    restore(Path(args.backup_file), db_path, force=args.force)
    print(f"已从 {args.backup_file} 恢复到 {db_path}；建议运行 counter-app check")
    return 0
