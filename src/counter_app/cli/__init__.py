"""Entry point ``counter-app``: the counter window by default, admin sub-commands beside it.

One module per group of sub-commands, each with ``register(subparsers)``, listed in
``GROUPS``. Every expected failure is a CounterError
(or an OS/database error that ``system_errors.explain`` types): one Chinese line
on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

from counter_app.cli import (
    data, day, demo_district, district, earning, gui, kiosk, members, printing, reports,
    screenshot, stock, sync,
)
from counter_app.cli.command import Db, open_existing, require_database
from counter_app.cli.parser import ChineseArgumentParser

# Sub-command groups in the order ``--help`` lists them. A new group (district, stock,
# earning …) is a module with register(subparsers), named here and in the import above:
# static imports, so PyInstaller finds them; group modules are cheap to import.
GROUPS = (gui, data, members, printing, reports, screenshot, district, stock, sync, earning,
          day, kiosk, demo_district)

EXIT_USER_ERROR = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE


def build_parser() -> ChineseArgumentParser:
    p = ChineseArgumentParser(prog="counter-app", description="积分超市柜台")
    p.add_argument("--db", type=Path, help="数据库文件（默认：用户数据目录，或 COUNTER_APP_DB）")
    sub = p.add_subparsers(dest="command", title="命令", metavar="命令")
    for group in GROUPS:
        group.register(sub)
    return p


def _run(args, db_path: Path) -> int:
    database = getattr(args, "database", None)
    if database is None:  # no sub-command: the counter window
        from counter_app.cli.gui import run_gui

        return run_gui(args, db_path)
    if database is Db.OPEN:
        return args.handler(args, open_existing(db_path))
    if database is Db.READ:
        require_database(db_path)
    return args.handler(args, db_path)


def _fail(message: str, code: int = EXIT_USER_ERROR) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from counter_app.config import default_db_path

    db_path = args.db or default_db_path()
    try:
        code = _run(args, db_path)
        sys.stdout.flush()  # here, where a reader gone away is caught (below), not at exit
        return code
    except KeyboardInterrupt:
        return _fail("已中断", 130)
    except BrokenPipeError:
        # the reader went away (`counter-app stock levels | head`): not an error of ours;
        # stdout is pointed at devnull so the interpreter's final flush stays quiet
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as err:  # noqa: BLE001  (sorted below: typed, explained, or a bug)
        from counter_app.system_errors import explain

        typed = explain(err, db_path.absolute())
        if typed is not None:
            return _fail(str(typed))
        return _internal_error(err)


def _internal_error(err: Exception) -> int:
    """A bug, not the user's doing: the traceback goes to the log file, one line to the
    volunteer. ``COUNTER_APP_DEBUG=1`` shows the traceback instead."""
    import os
    import traceback

    if os.environ.get("COUNTER_APP_DEBUG"):
        raise err
    where = "（详情无法写入日志）"
    try:
        from counter_app.config import log_dir

        log = log_dir() / "cli-error.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="utf-8") as f:
            traceback.print_exception(err, file=f)
        where = f"，详情见 {log}"
    except OSError:
        pass
    return _fail(f"程序内部出错（{type(err).__name__}）{where}；请把这条信息告诉管理员",
                 EXIT_INTERNAL)
