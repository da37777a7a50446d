"""The counter's day: ``selftest`` (day close and shifts follow)."""

from __future__ import annotations

from pathlib import Path

from counter_app.cli.command import Db, command


def register(sub) -> None:
    t = sub.add_parser("selftest", help="自检：数据库、账本、磁盘、字体、打印机、扫码枪、备份、街道、时间")
    command(t, selftest_cmd, Db.NONE)


def selftest_cmd(args, db_path: Path) -> int:
    from counter_app import selftest

    report = selftest.run(db_path)
    print(f"柜台自检（数据库 {db_path}）")
    for line in report.lines():
        print("  " + line)
    return 0 if report.ok else 1
