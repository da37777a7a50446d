"""Online backup and restore of the counter database (SQLite backup API).

Files that are only read (the database being backed up, a backup being checked or
restored) are opened read-only: their bytes never change, also on read-only media.
A restore replaces the file only while holding the app lock (db.app_lock), after the
backup passed the integrity check and the full ledger check, and keeps the replaced
database aside as ``<name>.before-restore-<YYYYmmdd-HHMMSS>``.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from counter_app import clock
from counter_app.db import app_lock
from counter_app.db.readonly import connect_readonly
from counter_app.errors import BackupRejected, InvalidInput
from counter_app.localtime import to_local

_FAULTS_SHOWN = 5


def _integrity(path: Path, integrity: bool = True, quick: bool = False) -> str:
    """Refuse anything but an intact counter database of a schema this program knows;
    its schema revision. ``integrity=False``: all but SQLite's full integrity check (which
    reads the whole file: for commands that only read a file at the head). ``quick``:
    PRAGMA quick_check (O(N), skips index-content checks; for the scheduled backups of a
    large file) instead of the full integrity_check."""
    from counter_app.db.migrate import KNOWN_REVISIONS
    from counter_app.counter_info import LOCAL_COUNTER

    try:
        con = connect_readonly(path)
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(detail=f"{path} 不是可用的数据库文件（{exc}）") from None
    try:
        if integrity:
            pragma = "quick_check" if quick else "integrity_check"
            result = con.execute(f"PRAGMA {pragma}").fetchone()[0]
        else:
            result = "ok"
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
        return version[0]
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(detail=f"{path} 不是可用的数据库文件（{exc}）") from None
    finally:
        con.close()


def check_counter_db(path: Path, *, integrity: bool = True) -> str:
    """For ``counter-app check``: the file must exist and be one of ours, untouched; its
    schema revision (``integrity``: see _integrity)."""
    path = Path(path)
    if not path.exists():
        raise InvalidInput(detail=f"数据库 {path} 不存在")
    return _integrity(path, integrity)


def _copy(source: Path, target: Path, *, durable: bool = True) -> Path:
    """SQLite's online backup of ``source`` (opened read-only) into a fresh ``target``:
    consistent even while the counter keeps writing, and one self-contained file in
    DELETE journal mode (no WAL beside it). ``durable=False``: no fsync, for a temporary
    copy that is read once and removed (the fsync of 500 MB was a second of a backup)."""
    target.unlink(missing_ok=True)
    src = connect_readonly(source)
    try:
        dst = sqlite3.connect(target)
        try:
            if not durable:
                dst.execute("PRAGMA synchronous=OFF")
            src.backup(dst)  # all pages in one step (pages=-1): no restarts, no re-reads
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    except BaseException:
        # A copy that filled the disk mid-page leaves the copy's rollback journal too.
        Path(str(target) + "-journal").unlink(missing_ok=True)
        raise
    finally:
        src.close()
    return target


def temporary_copy(db_path: Path, out: Path) -> Path:
    """The online copy an encrypted backup is made from (backup_schedule): into a private
    temporary file, not fsync'd, not yet checked (check_copy, beside the encryption)."""
    db_path, out = Path(db_path), Path(out)
    if not db_path.exists():
        raise InvalidInput(detail=f"数据库 {db_path} 不存在")
    try:
        return _copy(db_path, out, durable=False)
    except (OSError, sqlite3.Error) as exc:
        raise _target_error(exc, out) from None


def check_copy(path: Path) -> str:
    """A fresh copy is one of ours and intact by PRAGMA quick_check (O(N); it covers the
    source too: same pages); its schema revision."""
    return _integrity(Path(path), quick=True)


def backup(db_path: Path, out: Path) -> Path:
    """Copy a live database (readers and writers may go on) to ``out``, then check it."""
    db_path, out = Path(db_path), Path(out)
    check_counter_db(db_path)
    if out.exists():
        raise InvalidInput(detail=f"备份文件 {out} 已存在，请换一个文件名")
    if not out.parent.is_dir():  # a mistyped folder is not quietly created
        raise InvalidInput(detail=f"文件夹 {out.parent} 不存在，请先建好它或换一个位置")
    tmp = out.with_name(out.name + ".part")
    try:
        _copy(db_path, tmp)
        os.chmod(tmp, 0o600)  # residents' phones and ID numbers: for this user only
        _integrity(tmp)
        os.replace(tmp, out)
    except (OSError, sqlite3.Error) as exc:
        raise _target_error(exc, out) from None  # the copy failed, not the source
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _target_error(exc: Exception, target: Path):
    """A failed copy is about the file being written (full disk, read-only folder)."""
    from counter_app.system_errors import database_error, os_error

    return os_error(exc, target) if isinstance(exc, OSError) else database_error(exc, target)


def verify_backup(backup_file: Path) -> None:
    """The pre-check of a restore: integrity check and the full ledger check, read-only.
    Raises BackupRejected naming the faults."""
    from counter_app import check

    backup_file = Path(backup_file)
    if not backup_file.exists():
        raise InvalidInput(detail=f"备份文件 {backup_file} 不存在")
    _integrity(backup_file)
    report = check.verify(backup_file)
    if not report.ok:
        shown = "；".join(str(f) for f in report.faults[:_FAULTS_SHOWN])
        more = len(report.faults) - _FAULTS_SHOWN
        raise BackupRejected(path=backup_file,
                             faults=shown + (f"；另有 {more} 处问题" if more > 0 else ""))


@dataclass(frozen=True)
class Restored:
    db_path: Path
    previous: Path | None  # where the replaced database was kept, if there was one


def _aside_name(db_path: Path) -> Path:
    stamp = to_local(clock.now_utc()).strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = db_path.with_name(f"{db_path.name}.before-restore-{stamp}-{n}")
    return aside


def _move_database(source: Path, target: Path) -> None:
    """Move a closed database with its WAL (which may hold committed pages after a crash);
    the -shm is only an index and is rebuilt."""
    os.replace(source, target)
    wal = Path(str(source) + "-wal")
    if wal.exists():
        os.replace(wal, Path(str(target) + "-wal"))
    Path(str(source) + "-shm").unlink(missing_ok=True)


def _mark_recovery(path: Path) -> None:
    """A district counter's restored file may lack entries the district already has: it
    writes nothing until a sync fetched them back (sync.recovery, journal.read_head)."""
    con = sqlite3.connect(path)
    try:
        with con:
            joined = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                 "name = 'settings'").fetchone() and con.execute(
                "SELECT 1 FROM settings WHERE key = 'district_id'").fetchone()
            if joined:
                uid = con.execute("SELECT 1 FROM pragma_table_info('settings') "
                                  "WHERE name = 'uid'").fetchone()
                if uid:
                    from counter_app.ids import uuid7

                    con.execute("INSERT INTO settings (key, value, uid) "
                                "VALUES ('sync_recovery_pending', '1', ?) "
                                "ON CONFLICT (key) DO NOTHING", (uuid7(),))
                else:
                    con.execute("INSERT INTO settings (key, value) VALUES "
                                "('sync_recovery_pending', '1') ON CONFLICT (key) DO NOTHING")
    finally:
        con.close()


def restore(backup_file: Path, db_path: Path, *, force: bool = False) -> Restored:
    """Replace the counter database with a checked backup; the counter program must be
    closed (DatabaseInUse otherwise). The replaced database is kept aside."""
    backup_file, db_path = Path(backup_file), Path(db_path)
    verify_backup(backup_file)
    if db_path.exists() and not force:
        raise InvalidInput(detail=f"数据库 {db_path} 已存在；确认要覆盖请加 --force")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with app_lock.exclusive(db_path, "恢复备份", "恢复备份"):
        tmp = db_path.with_name(db_path.name + ".restoring")
        previous = None
        try:
            _copy(backup_file, tmp)
            _integrity(tmp)
            _mark_recovery(tmp)
            if db_path.exists():
                previous = _aside_name(db_path)
                _move_database(db_path, previous)
            os.replace(tmp, db_path)
        except BaseException as exc:
            if previous is not None and not db_path.exists():
                _move_database(previous, db_path)  # put the old database back
                previous = None
            if isinstance(exc, (OSError, sqlite3.Error)):
                raise _target_error(exc, db_path) from None
            raise
        finally:
            tmp.unlink(missing_ok=True)
    return Restored(db_path, previous)
