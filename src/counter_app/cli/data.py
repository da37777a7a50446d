"""The counter database as a whole: ``init``, ``demo``, ``check``, ``backup``, ``restore``."""

from __future__ import annotations

import sys
from pathlib import Path

from counter_app.cli.command import Db, command, read_new_pin


def register(sub) -> None:
    d = sub.add_parser("demo", help="生成演示社区数据库")
    d.add_argument("--members", type=int, default=2000, help="会员人数（默认 2000）")
    d.add_argument("--counter-id", default="XF01", help="本机柜台编号（默认 XF01）")
    d.add_argument("--seed", type=int, default=20261122,
                   help="随机种子：同一个种子生成同样的数据（默认 20261122）")
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

    b = sub.add_parser("backup", help="在线备份数据库（--run 加密备份到备份文件夹，--list 列出）")
    what = b.add_mutually_exclusive_group(required=True)
    what.add_argument("--out", help="不加密的备份文件（留在本机用）")
    what.add_argument("--run", action="store_true",
                      help="加密备份到备份文件夹，校验，并按保留规则删除过期备份")
    what.add_argument("--list", action="store_true", help="列出备份文件夹里的备份")
    what.add_argument("--set-folder", metavar="文件夹",
                      help="把备份文件夹存进本机设置（定时备份、日结后备份和 --run/--list 都用它；"
                           "没有图形界面时也能设置）")
    b.add_argument("--folder", help="备份文件夹（默认：设置里的备份文件夹）")
    b.add_argument("--time", metavar="HH:MM", help="和 --set-folder 一起：每天定时备份的时间")
    b.add_argument("--passphrase-stdin", action="store_true", help="备份口令从标准输入读")
    b.add_argument("--save-passphrase", action="store_true",
                   help="把口令存进系统密钥环，供定时备份和日结后备份使用")
    command(b, backup_cmd, Db.READ)

    r = sub.add_parser("restore", help="从备份恢复（须先关闭柜台程序；加密备份会询问口令）")
    r.add_argument("backup_file")
    r.add_argument("--force", action="store_true")
    r.add_argument("--passphrase-stdin", action="store_true", help="备份口令从标准输入读")
    command(r, restore_cmd, Db.CREATE)


def demo_cmd(args, db_path: Path) -> int:
    from counter_app.demo import build_demo
    from counter_app.errors import DatabaseExists
    from counter_app.reports.period import optional_day

    if db_path.exists():
        if args.if_missing:
            print(f"已有数据库 {db_path}，不重建演示数据")
            return 0
        if not args.force:
            raise DatabaseExists(path=db_path.absolute(), hint="重建演示数据请加 --force")
    as_of = optional_day(args.as_of)
    summary = build_demo(db_path, members=args.members, counter_id=args.counter_id,
                         seed=args.seed, scheme=args.scheme, as_of=as_of, replace=args.force,
                         progress=lambda msg: print("  " + msg, flush=True))
    print(f"演示社区已建好：{db_path}")
    print(f"  会员 {summary.members} 人，积分记录 {summary.points_entries} 条，"
          f"库存记录 {summary.stock_entries} 条，兑换 {summary.redemptions} 笔")
    print("  操作员（PIN）：" + "，".join(f"{n}（{p}）" for n, _r, p in summary.operators))
    return 0


def init_cmd(args, db_path: Path) -> int:
    from counter_app import counters
    from counter_app.db import open_database

    pin = read_new_pin(args.pin)
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

    check_counter_db(db_path)  # never migrate or convert the file being checked
    report = check.verify(db_path)  # plain sqlite3, read-only: no SQLAlchemy at all
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
    if args.out:
        from counter_app.backup import backup

        out = backup(db_path, Path(args.out))
        print(f"备份完成：{out}")
        return 0
    from counter_app import backup_schedule
    from counter_app.config import LocalSettings
    from counter_app.errors import InvalidInput

    if args.set_folder:
        return _set_backup_folder(Path(args.set_folder), args.time)
    folder = args.folder or LocalSettings.load().backup_folder
    if not folder:
        raise InvalidInput(detail="没有设置备份文件夹：请用 --folder 指定，或用 backup --set-folder "
                                  "存进设置（可以是 U 盘上的文件夹）")
    if args.list:
        return _list_backups(Path(folder))
    from counter_app import backup_secret
    from counter_app.cli.command import open_existing

    db = open_existing(db_path)
    counter_id = _counter_id(db)
    passphrase = (_read_passphrase(args, confirm=True) if args.passphrase_stdin or
                  args.save_passphrase else backup_secret.stored_passphrase(counter_id)
                  or _read_passphrase(args, confirm=True))
    result = backup_schedule.run_backup(db, folder, passphrase, reason="manual")
    print(f"已加密备份并校验：{result.path}（{result.size / 1024 / 1024:.1f} MB）")
    for old in result.removed:
        print(f"  按保留规则删除：{old.name}")
    if args.save_passphrase:
        saved = backup_secret.store_passphrase(counter_id, passphrase)
        print("  口令已存入系统密钥环" if saved else "  这台电脑没有可用的系统密钥环，口令没有保存")
    return 0


def _set_backup_folder(folder: Path, at: str | None) -> int:
    """The settings dialog's backup folder (and time), from the command line (trial: a PC
    set up without the window had no way to set them)."""
    from counter_app.backup_schedule import parse_time
    from counter_app.config import LocalSettings
    from counter_app.errors import InvalidInput

    folder = folder.expanduser().absolute()
    if not folder.is_dir():
        raise InvalidInput(detail=f"备份文件夹 {folder} 不存在（U 盘没插上？）：请先建好它")
    if at is not None:
        parse_time(at)  # refuses what is not HH:MM ("" turns the timed backup off)
    settings = LocalSettings.load()
    settings.backup_folder = str(folder)
    if at is not None:
        settings.backup_time = at.strip()
    settings.save()
    print(f"备份文件夹已设为 {folder}；每天 {settings.backup_time} 定时备份（程序开着时），"
          f"日结后也备份")
    return 0


def _counter_id(db) -> str:
    from counter_app.counters import local_counter

    return local_counter(db).id


def _list_backups(folder: Path) -> int:
    from counter_app import backup_schedule

    files = backup_schedule.list_backups(folder)
    kept, expired = backup_schedule.retention(files)
    print(f"备份文件夹 {folder}：{len(files)} 份（保留规则：最近 {backup_schedule.DAILY} 个"
          f"有备份的日子每天一份，最近 {backup_schedule.MONTHLY} 个月每月一份）")
    doomed = {f.path for f in expired}
    for f in files:
        mark = "  下次备份时删除" if f.path in doomed else ""
        print(f"  {f.taken_at:%Y-%m-%d %H:%M:%S}  柜台 {f.counter_id}  "
              f"{f.size / 1024 / 1024:7.1f} MB  {f.name}{mark}")
    return 0


def _read_passphrase(args, confirm: bool = False) -> str:
    import getpass

    from counter_app.errors import InvalidInput

    if args.passphrase_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InvalidInput(detail="需要备份口令：请在终端运行，或加 --passphrase-stdin")
    passphrase = getpass.getpass("备份口令（社区办公室保管）：")
    if confirm and getpass.getpass("再输入一次：") != passphrase:
        raise InvalidInput(detail="两次输入的口令不一致")
    return passphrase


def restore_cmd(args, db_path: Path) -> int:
    from counter_app import backup_schedule
    from counter_app.backup import restore

    source = Path(args.backup_file)
    if backup_schedule.is_encrypted(source):
        done = backup_schedule.restore_encrypted(source, db_path, _read_passphrase(args),
                                                 force=args.force)
    else:
        done = restore(source, db_path, force=args.force)
    aside = f"；原数据库保留为 {done.previous}" if done.previous else ""
    print(f"已从 {args.backup_file} 恢复到 {db_path}{aside}；建议运行 counter-app check")
    return 0
