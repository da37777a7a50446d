"""Online backup and restore of the counter database (SQLite backup API)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from counter_app.errors import InvalidInput


def _integrity(path: Path) -> None:
    """Refuse anything but an intact counter database of a schema this program knows."""
    from counter_app.counters import LOCAL_COUNTER
    from counter_app.db.migrate import KNOWN_REVISIONS

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = con.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise InvalidInput(detail=f"{path} 已损坏：{result}")
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "settings", "points_journal"} <= tables:
            raise InvalidInput(detail=f"{path} 不是积分超市柜台的数据库")
        version = con.execute("SELECT version_num FROM alembic_version").fetchone()
        if version is None or version[0] not in KNOWN_REVISIONS:
            raise InvalidInput(detail=f"{path} 的数据库版本 {version and version[0]} "
                                      f"本程序不认识，请用新版程序打开")
        if con.execute("SELECT 1 FROM settings WHERE key = ?", (LOCAL_COUNTER,)).fetchone() is None:
            raise InvalidInput(detail=f"{path} 没有设置本机柜台")
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(detail=f"{path} 不是可用的数据库文件（{exc}）") from None
    finally:
        con.close()


def check_counter_db(path: Path) -> None:
    """For ``counter-app check``: the file must exist and be one of ours, untouched."""
    path = Path(path)
    if not path.exists():
        raise InvalidInput(detail=f"数据库 {path} 不存在")
    _integrity(path)


def _copy(source: Path, target: Path) -> Path:
    """SQLite's online backup of ``source`` into a fresh ``target``: consistent even while
    the counter keeps writing, and one self-contained file (no WAL beside it)."""
    target.unlink(missing_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()
    return target


def backup(db_path: Path, out: Path) -> Path:
    """Copy a live database (readers and writers may go on) to ``out``, then check it."""
    db_path, out = Path(db_path), Path(out)
    check_counter_db(db_path)
    if out.exists():
        raise InvalidInput(detail=f"备份文件 {out} 已存在，请换一个文件名")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = _copy(db_path, out.with_name(out.name + ".part"))
    _integrity(tmp)
    os.replace(tmp, out)
    return out


def restore(backup_file: Path, db_path: Path, *, force: bool = False) -> Path:
    """Replace the counter database with a backup. The counter app must be closed."""
    backup_file, db_path = Path(backup_file), Path(db_path)
    if not backup_file.exists():
        raise InvalidInput(detail=f"备份文件 {backup_file} 不存在")
    _integrity(backup_file)
    if db_path.exists() and not force:
        raise InvalidInput(detail=f"数据库 {db_path} 已存在；确认要覆盖请加 --force")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _copy(backup_file, db_path.with_name(db_path.name + ".restoring"))
    for suffix in ("-wal", "-shm"):  # stale WAL of the old file must not replay onto the new
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    os.replace(tmp, db_path)
    return db_path
