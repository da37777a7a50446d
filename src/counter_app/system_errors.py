"""What the operating system or SQLite said, as a typed error a volunteer can read.

The CLI and the GUI show ``str(err)`` of a CounterError; file-system and database
failures arrive as OSError, sqlite3 errors or SQLAlchemy's wrappers of them.
``explain`` turns each into StorageError / DatabaseUnusable / InvalidText, or None
for an exception that is a bug and not the user's situation.
"""

from __future__ import annotations

import errno
import sqlite3
import sys
from pathlib import Path

from counter_app.errors import CounterError, DatabaseUnusable, InvalidText, StorageError

_OS_REASONS = {
    errno.EACCES: "没有写入权限（文件夹是只读的？）",
    errno.EPERM: "没有权限",
    errno.EROFS: "存储设备是只读的",
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EFBIG: "文件超过了允许的大小",
    errno.ENOENT: "文件或文件夹不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.EBUSY: "文件正被占用",
}

# SQLite's own wording (sqlite3_errstr) -> what it means at the counter.
_DB_REASONS = (
    ("database is locked", "正被另一个程序占用，请稍后再试"),
    ("readonly database", "是只读的，不能写入"),
    ("database or disk is full", "磁盘空间已满"),
    ("disk i/o error", "读写磁盘出错（磁盘已满或已拔出？）"),
    ("unable to open database file", "打不开（文件夹不存在或没有权限）"),
    ("file is not a database", "不是数据库文件"),
    ("malformed", "文件已损坏，请从备份恢复"),
    ("no such table", "不是积分超市柜台的数据库，或版本不对"),
)


def os_error(err: OSError, path: Path | str | None = None) -> StorageError:
    """``path``: the file the user asked for (not the temporary ``.part`` the OS named)."""
    where = path or err.filename or "文件"
    reason = _OS_REASONS.get(err.errno, err.strerror or str(err))
    return StorageError(path=where, reason=reason)


def database_error(err: Exception, path: Path | str) -> DatabaseUnusable:
    raw = str(getattr(err, "orig", None) or err).lower()
    for needle, reason in _DB_REASONS:
        if needle in raw:
            return DatabaseUnusable(path=path, reason=reason)
    return DatabaseUnusable(path=path, reason=str(getattr(err, "orig", None) or err))


def _is_database_error(err: Exception) -> bool:
    if isinstance(err, sqlite3.Error):
        return True
    # Only look at SQLAlchemy if it was imported: then it may have wrapped the error.
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(err, sa_exc.DBAPIError)


def explain(err: BaseException, db_path: Path | str) -> CounterError | None:
    """The typed error for an expected failure of the surroundings, None for a bug."""
    if isinstance(err, CounterError):
        return err
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if (sa_exc is not None and isinstance(err, sa_exc.StatementError)
            and not isinstance(err, sa_exc.DBAPIError) and err.orig is not None):
        return explain(err.orig, db_path)  # e.g. a bind parameter SQLite could not encode
    if isinstance(err, Exception) and _is_database_error(err):
        orig = getattr(err, "orig", None)
        if isinstance(orig, OSError):
            return os_error(orig, db_path)
        return database_error(err, db_path)
    if isinstance(err, UnicodeError):  # a lone surrogate got as far as SQLite or a file
        return InvalidText(what="输入的文字")
    if isinstance(err, OSError):
        return os_error(err)
    return None
