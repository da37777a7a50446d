"""What every sub-command shares: how it declares its database, and safe output files.

Group modules stay cheap to import (argparse and the standard library only): a
handler imports the database layer, printing or Qt when it runs, so ``--help``,
``check`` and ``search`` never load reportlab, python-escpos or PySide6. Commands that
only read a file at the head read it with plain sqlite3 (``read_only_at_head``; check:
db.raw_read): no SQLAlchemy, models or Alembic, which were ~0.6-0.75 s of their start.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from enum import Enum
from pathlib import Path


class Db(Enum):
    NONE = "none"      # handler(args, db_path): decides itself (the window)
    CREATE = "create"  # handler(args, db_path): may create the database (init, demo, restore)
    READ = "read"      # handler(args, db_path): the database must exist, nothing is created
    OPEN = "open"      # handler(args, db): an existing counter database, opened for the handler


def command(parser, handler, database: Db) -> None:
    parser.set_defaults(handler=handler, database=database)


def require_database(db_path: Path) -> None:
    """A command that reads refuses a missing file, naming the full path; no file appears."""
    from counter_app.errors import DatabaseMissing

    if db_path.is_dir():  # `--db /some/folder`: the file's name is missing (trial)
        from counter_app.errors import InvalidInput

        raise InvalidInput(detail=f"{db_path.absolute()} 是文件夹，不是数据库文件：请给出"
                                  f"数据库文件的路径，例如 {db_path.absolute() / 'counter.db'}")
    if not db_path.is_file():
        raise DatabaseMissing(path=db_path.absolute())


def _at_head(db_path: Path) -> bool:
    """An existing file of ours (refused with a typed error otherwise) whose schema is
    this program's newest: nothing to migrate."""
    from counter_app.backup import check_counter_db
    from counter_app.db.migrate import script_head

    require_database(db_path)
    return check_counter_db(db_path, integrity=False) == script_head()


def open_existing(db_path: Path):
    from counter_app.backup import check_counter_db
    from counter_app.db import open_database

    if not _at_head(db_path):
        check_counter_db(db_path)  # intact, before anything migrates it
    return open_database(db_path)


def read_only_at_head(db_path: Path):
    """For commands that only read (search …): a read-only sqlite3 connection when the
    file is at the head, so they run without SQLAlchemy, the models or Alembic; None
    when it must be migrated first (then open_existing, the full way)."""
    if not _at_head(db_path):
        return None
    from counter_app.db.readonly import connect_readonly

    return connect_readonly(db_path)


def write_output(path: str | Path, data: bytes) -> Path:
    """Write a rendered document all at once via ``<name>.part``: a full disk or a failed
    write leaves the old file (or none), never half a PDF."""
    with atomic_file(path) as f:
        f.write(data)
    return Path(path)


@contextmanager
def atomic_file(path: str | Path):
    """A binary file to write in pieces (a streamed backup) that appears under ``path``
    only when the block ends without an error, fsync'd; otherwise its ``.part`` is removed.
    OSError comes out typed, naming ``path``."""
    from counter_app.system_errors import os_error

    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # the folder itself is unusable: nothing was left in it
        if isinstance(exc, OSError):
            raise os_error(exc, path.absolute()) from None
        raise


def sign_in_operator(db, name: str | None, pin: str | None):
    """The active operator called ``name``, signed in with ``pin`` (else COUNTER_APP_PIN,
    else asked on the terminal): what every writing sub-command acts as."""
    import getpass
    import os
    import sys

    from counter_app import counters, operators
    from counter_app.errors import InvalidInput, NotFound

    if not name:
        raise InvalidInput(detail="请用 --operator 给出操作员姓名")
    found = [op_id for op_id, op_name, _role in operators.list_operators(db) if op_name == name]
    if not found:
        raise NotFound(what=f"操作员“{name}”")
    pin = pin or os.environ.get("COUNTER_APP_PIN")
    if pin is None:
        if not sys.stdin.isatty():
            raise InvalidInput(detail="请用 --pin 或环境变量 COUNTER_APP_PIN 给出操作员 PIN")
        pin = getpass.getpass(f"{name} 的 PIN：")
    return operators.authenticate(db, found[0], pin, counters.local_counter(db).id)


def read_new_pin(pin: str | None) -> str:
    """A new administrator's PIN: ``pin``, else asked twice on the terminal (init, and
    join for a community's first counter)."""
    import getpass
    import sys

    from counter_app.errors import InvalidInput

    if pin is not None:
        return pin
    if not sys.stdin.isatty():
        raise InvalidInput(detail="请用 --pin 给出管理员 PIN")
    pin = getpass.getpass("管理员 PIN（4 到 8 位数字）：")
    if getpass.getpass("再输入一次：") != pin:
        raise InvalidInput(detail="两次输入的 PIN 不一致")
    return pin
