"""``counter-app screenshot``: every page rendered to PNG, no display needed."""

from __future__ import annotations

from pathlib import Path

from counter_app.cli.command import Db, command


def register(sub) -> None:
    sc = sub.add_parser("screenshot", help="把各页面渲染成 PNG（无需显示器）")
    sc.add_argument("--out", required=True)
    sc.add_argument("--language", default="zh_CN", choices=("zh_CN", "en"))
    command(sc, screenshot_cmd, Db.READ)


def screenshot_cmd(args, db_path: Path) -> int:
    from counter_app.ui.shell.screenshots import take_screenshots

    for path in take_screenshots(db_path, Path(args.out), language=args.language):
        print(path)
    return 0
