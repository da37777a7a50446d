"""``counter-app kiosk``: the member self-service kiosk (便民服务卡查询)."""

from __future__ import annotations

from pathlib import Path

from counter_app.cli.command import Db, command


def register(sub) -> None:
    k = sub.add_parser("kiosk", help="会员自助查询机：刷卡查看积分（全屏，无需登录；管理员 PIN 退出）")
    k.add_argument("--timeout", type=float, default=None, metavar="秒",
                   help="多少秒后回到欢迎页（默认：设置里的 kiosk_timeout_s，20 秒）")
    k.add_argument("--windowed", action="store_true", help="不全屏（试用、截图）")
    k.add_argument("--screenshot", metavar="目录",
                   help="不打开窗口：把欢迎页、会员积分页、拒绝页渲染成 PNG 存到此目录")
    command(k, kiosk_cmd, Db.READ)


def kiosk_cmd(args, db_path: Path) -> int:
    from counter_app.cli.gui import check_display
    from counter_app.errors import InvalidInput

    if args.timeout is not None and not 3 <= args.timeout <= 600:
        raise InvalidInput(detail="--timeout 须在 3 到 600 秒之间")
    if args.screenshot:
        from counter_app.ui.kiosk.kiosk_screenshots import take

        for path in take(db_path, Path(args.screenshot)):
            print(path)
        return 0
    check_display()
    from counter_app.ui.kiosk.kiosk_app import run

    return run(db_path, timeout_s=args.timeout, windowed=args.windowed)
