"""``counter-app sync`` (for cron / Task Scheduler: exit 0 done, 1 the sync failed) and
``counter-app --db FILE join --district URL --counter-id ID``.

The district password: in the URL, ``--password-file`` (a file holding it, or the JSON file
``district add-counter --credentials-out`` wrote), ``COUNTER_APP_DISTRICT_PASSWORD``, or typed
at the terminal. It is kept in the OS keyring (0600 file where none exists), never in
settings.json.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from counter_app.cli.command import Db, command


def register(sub) -> None:
    s = sub.add_parser("sync", help="与街道服务器同步（上传本柜台记录，下载会员、余额和黑名单）")
    s.add_argument("--status", action="store_true", help="只显示同步状态：上次成功、等待上传、拒收记录")
    s.add_argument("--setup", action="store_true", help="设置街道服务器地址和密码（不同步）")
    s.add_argument("--district", help="街道服务器地址，例如 postgresql://账号@主机/库名")
    s.add_argument("--password-file", type=Path, help="含密码的文件（或 add-counter 写出的账号文件）")
    s.add_argument("--sslmode", help="SSL 模式；生产环境用 verify-full（并在地址里给 sslrootcert）")
    s.add_argument("--deadline", type=float, default=300.0, help="整次同步的时限（秒，默认 300）")
    s.add_argument("--batch", type=int, default=1000, help="每批上传的记录条数（默认 1000）")
    for name, label in (("per-redemption", "每次兑换积分上限"),
                        ("per-member-day", "每位会员每天兑换积分上限"),
                        ("unsynced-total", "未同步兑换积分总上限"),
                        ("days-without-sync", "未同步超过几天后兑换需管理员 PIN")):
        s.add_argument(f"--cap-{name}", type=int, metavar="N", help=f"离线上限：{label}（0 = 不限）")
    command(s, sync_cmd, Db.OPEN)

    j = sub.add_parser("join", help="从街道服务器新建本柜台数据库（新柜台，或换电脑后找回本柜台）")
    j.add_argument("--district", required=True, help="街道服务器地址")
    j.add_argument("--counter-id", required=True, help="本柜台编号，例如 XF02")
    j.add_argument("--password-file", type=Path, help="含密码的文件（或 add-counter 写出的账号文件）")
    j.add_argument("--sslmode", help="SSL 模式；生产环境用 verify-full")
    j.add_argument("--admin", help="社区的第一台柜台：第一位管理员的姓名（街道上还没有操作员时）")
    j.add_argument("--pin", help="第一位管理员的 PIN（不给则在终端输入）")
    command(j, join_cmd, Db.CREATE)


def _password(args, url: str) -> str | None:
    import json

    from counter_app.sync.connection import split_password

    _, in_url = split_password(url)
    if in_url:
        return in_url
    if args.password_file is not None:
        from counter_app.errors import InvalidInput

        try:
            raw = args.password_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise InvalidInput(detail=f"读不了密码文件 {args.password_file}：{exc.strerror}") from None
        try:
            data = json.loads(raw)
            return data["password"] if isinstance(data, dict) else raw
        except (ValueError, KeyError):
            return raw
    if os.environ.get("COUNTER_APP_DISTRICT_PASSWORD"):
        return os.environ["COUNTER_APP_DISTRICT_PASSWORD"]
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("街道数据库密码：")
    return None


def _progress(stage: str, done: int, total) -> None:
    labels = {"connect": "连接街道服务器", "recover": "取回本柜台记录", "push_registers": "上传登记变更",
              "push_points": "上传积分记录", "push_stock": "上传库存记录", "pull": "下载"}
    if stage == "connect":
        print(f"  {labels[stage]}……", flush=True)
    elif stage in labels and done:  # a stage with nothing to move says nothing
        print(f"  {labels[stage]}…… {done} 条", flush=True)


def sync_cmd(args, db) -> int:
    from counter_app.sync import settings
    from counter_app.sync.run import sync_once
    from counter_app.sync.status import status

    caps = {name: getattr(args, f"cap_{name}") for name in
            ("per_redemption", "per_member_day", "unsynced_total", "days_without_sync")
            if getattr(args, f"cap_{name}") is not None}
    if caps:
        now = settings.set_caps(db, **caps)
        print("离线上限：" + "，".join(
            f"{settings.Caps.LABELS[k]} {getattr(now, k) or '不限'}" for k in settings.Caps.LABELS))
        return 0
    if args.setup:
        return _setup(args, db)
    if args.status:
        for line in status(db).lines():
            print(line)
        return 0
    print("开始同步……", flush=True)
    report = sync_once(db, progress=_progress, deadline=args.deadline,
                       batch=max(1, args.batch))
    print(report.summary())
    return 0 if report.ok else 1


def _setup(args, db) -> int:
    from counter_app.counters import local_counter
    from counter_app.errors import InvalidInput
    from counter_app.sync import credentials, settings
    from counter_app.sync.connection import account, split_password

    if not args.district:
        raise InvalidInput(detail="请用 --district 给出街道服务器地址")
    url, _ = split_password(args.district)
    password = _password(args, args.district)
    counter_id = local_counter(db).id
    settings.configure(db, url, args.sslmode)
    if password:
        where = credentials.store(account(url, counter_id), password)
        print(f"已保存街道服务器地址；密码保存在{where}")
    else:
        print("已保存街道服务器地址（没有给密码）")
    return 0


def join_cmd(args, db_path: Path) -> int:
    from counter_app.sync.join import join

    password = _password(args, args.district)
    first_admin = None
    if args.admin:
        from counter_app.cli.command import read_new_pin

        first_admin = (args.admin, read_new_pin(args.pin))
    print(f"正在从街道服务器建立柜台 {args.counter_id} 的数据库……", flush=True)
    joined = join(db_path, args.district, args.counter_id, password=password,
                  sslmode=args.sslmode, progress=_progress, first_admin=first_admin)
    r = joined.report
    print(f"已加入街道：{joined.community}，柜台 {joined.counter_id}，数据库 {joined.path}")
    if joined.first_admin:
        print(f"已建第一位管理员：{joined.first_admin}（下次同步时上传到街道）")
    print(f"下载 {r.rows_pulled} 条；取回本柜台以前的记录 {r.recovered} 条；"
          f"密码保存在{joined.password_kept_in}")
    return 0
