"""Encrypted backups into a backup folder, with retention: after each day close and at a
set time of day (LocalSettings.backup_folder / backup_time), or ``counter-app backup --run``.

A backup holds every resident's phone and ID number and the operators' PIN hashes, and it
leaves the PC (a USB stick), so it is encrypted with age (pyrage, scrypt passphrase
recipient) under a passphrase the community office keeps. The passphrase is never written
to the settings file: it comes from the system keyring (backup_secret) or is asked for.

Each backup, step by step (nothing half-written is left in the folder; memory stays
bounded whatever the size: every step streams):

1. the online backup (backup.temporary_copy: SQLite's backup API in one step, read-only
   on the live file) into a private temporary folder on this PC, while the age header's
   scrypt runs beside it;
2. compressed (zstd level 1: a counter file shrinks about five times, and writing it to a
   USB stick is what a backup waited on) and encrypted chunk by chunk (age_stream: age
   format, authenticated, so any changed byte fails decryption) into
   ``<folder>/counter-<COUNTER>-<YYYYmmdd-HHMMSS>.db.age`` via
   ``.part``, hashed with SHA-256 on the way, while PRAGMA quick_check (O(N); the full
   integrity_check takes ~20 s on a 100,000-member file and is done by restore, which
   also runs the full ledger check) reads the copy; the ``.part`` becomes the backup only
   if the check passed;
3. **verified**: the file is read back from the folder (page cache dropped first, so from
   the medium) and its SHA-256 compared with that of the ciphertext that was written, so a
   bad stick or a full disk is found now, not at restore;
4. retention (below) removes the expired backups of this counter from the folder;
5. a ``backup_log`` row records file, size, SHA-256, verified, removed (or the problem).

Retention (``retention()``), per counter, on the backup files in the folder:
keep the newest backup of each of the 30 most recent local days that have a backup
("daily") and the newest backup of each of the 12 most recent calendar months that have
a backup ("monthly"); a file kept by either rule stays, every other one is removed. Days
without a backup (closed days, holidays) use up nothing, so a counter open three days a
week keeps ten weeks of daily backups. Files that do not follow the name pattern (or
belong to another counter) are never touched.

The age payload is the zstd-compressed SQLite file (by hand: ``age -d FILE | zstd -d >
counter.db``); decryption also takes a payload that is the SQLite file itself (backups
made before compression, or a file sealed with ``age`` by hand).

Restore: ``restore_encrypted`` decrypts (streamed) into a temporary file and hands it to
``backup.restore`` (which checks it, refuses while the app runs, keeps the replaced
database aside). A wrong passphrase (WrongPassphrase) or a damaged file (BackupDamaged) is
refused before anything changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

from counter_app import backup, clock
from counter_app.errors import CounterError, InvalidInput
from counter_app.localtime import to_local

DAILY, MONTHLY = 30, 12
SUFFIX = ".db.age"
AGE_MAGIC = b"age-encryption.org/v1"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
ZSTD_LEVEL = 1  # level 3 made the 100,000-member file no smaller, only slower
_NAME = re.compile(r"^counter-(?P<counter>[A-Z0-9]{2,16})-(?P<stamp>\d{8}-\d{6})"
                   + re.escape(SUFFIX) + "$")
MIN_PASSPHRASE = 8
REASONS = {"scheduled": "定时备份", "day_close": "日结后备份", "manual": "手动备份"}


class WrongPassphrase(CounterError):
    message = "备份口令不对（或文件 {path} 已损坏），没有恢复"


class BackupDamaged(CounterError):
    message = "备份文件 {path} 已损坏（校验不通过），没有恢复：请换一份备份"


class BackupFailed(CounterError):
    message = "备份没有完成：{detail}"


@dataclass(frozen=True)
class BackupFile:
    path: Path
    counter_id: str
    taken_at: datetime  # local wall-clock time, from the file name
    size: int

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    sha256: str
    removed: tuple[Path, ...]


def backup_name(counter_id: str, taken_at_local: datetime) -> str:
    return f"counter-{counter_id}-{taken_at_local:%Y%m%d-%H%M%S}{SUFFIX}"


def is_encrypted(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(AGE_MAGIC)) == AGE_MAGIC
    except OSError:
        return False


def list_backups(folder: Path | str, counter_id: str | None = None) -> list[BackupFile]:
    """Backups in ``folder`` (of one counter, or all), newest first."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidInput(detail=f"备份文件夹 {folder} 不存在（U 盘没插上？）")
    out = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if not match or not entry.is_file():
            continue
        if counter_id is not None and match["counter"] != counter_id:
            continue
        taken = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
        out.append(BackupFile(entry, match["counter"], taken, entry.stat().st_size))
    return sorted(out, key=lambda b: (b.taken_at, b.name), reverse=True)


def retention(files: list[BackupFile], daily: int = DAILY,
              monthly: int = MONTHLY) -> tuple[list[BackupFile], list[BackupFile]]:
    """(kept, expired) by the rule in the module docstring, each newest first."""
    keep: set[Path] = set()
    by_counter: dict[str, list[BackupFile]] = {}
    for f in files:
        by_counter.setdefault(f.counter_id, []).append(f)
    for group in by_counter.values():
        group.sort(key=lambda b: (b.taken_at, b.name), reverse=True)
        for key, limit in ((lambda b: b.taken_at.date(), daily),
                           (lambda b: (b.taken_at.year, b.taken_at.month), monthly)):
            seen: list = []
            for f in group:  # newest first: the first of each period is its newest
                k = key(f)
                if k in seen:
                    continue
                if len(seen) >= limit:
                    break
                seen.append(k)
                keep.add(f.path)
    ordered = sorted(files, key=lambda b: (b.taken_at, b.name), reverse=True)
    return ([f for f in ordered if f.path in keep], [f for f in ordered if f.path not in keep])


class _Hashing:
    """A writer that hashes what passes through (SHA-256 for the log and the read-back)
    and starts the medium's writeback every few MiB (FADV_DONTNEED starts it without
    waiting on Linux): the disk writes while the next chunks are encrypted, instead of
    all of it in the final fsync (which was half of a 1 GB backup's time)."""

    _START_WRITEBACK = 16 << 20

    def __init__(self, out):
        self.out, self.sha = out, hashlib.sha256()
        self._written = self._started = 0

    def write(self, data: bytes) -> None:
        self.sha.update(data)
        self.out.write(data)
        self._written += len(data)
        if self._written - self._started >= self._START_WRITEBACK and hasattr(
                os, "posix_fadvise"):
            self.out.flush()
            os.posix_fadvise(self.out.fileno(), self._started,
                             self._written - self._started, os.POSIX_FADV_DONTNEED)
            self._started = self._written


def _sha256_from_medium(path: Path) -> str:
    """SHA-256 of the file as the medium holds it, not of what was just written to memory:
    read with O_DIRECT (Linux: straight from the stick or disk into one reused buffer, no
    page-cache copy: a third of the CPU of buffered reads), else with the page cache
    dropped first."""
    import mmap

    h = hashlib.sha256()
    direct = getattr(os, "O_DIRECT", 0)
    try:
        fd = os.open(path, os.O_RDONLY | direct | getattr(os, "O_BINARY", 0))
    except OSError:  # a file system without O_DIRECT (tmpfs): the page cache way
        direct, fd = 0, os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        if not direct and hasattr(os, "posix_fadvise"):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        with mmap.mmap(-1, 8 << 20) as buf, open(fd, "rb", buffering=0, closefd=False) as raw:
            view = memoryview(buf)  # page-aligned, as O_DIRECT needs
            while n := raw.readinto(buf):
                h.update(view[:n])
            view.release()
    finally:
        os.close(fd)
    return h.hexdigest()


def check_passphrase(passphrase: str | None) -> str:
    if not passphrase or len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput(detail=f"备份口令至少 {MIN_PASSPHRASE} 个字符（由社区办公室保管）")
    return passphrase


def _compressed(raw):
    """A reader of ``raw``'s bytes zstd-compressed (one frame, streamed)."""
    import zstandard

    return zstandard.ZstdCompressor(level=ZSTD_LEVEL).stream_reader(raw, read_size=1 << 20)


class _Unpacking:
    """Where decrypted plaintext goes: a zstd payload is decompressed into ``out`` as it
    comes, a plain SQLite payload (see the module docstring) is written as it is."""

    def __init__(self, out):
        self.out, self.sink = out, None

    def write(self, data: bytes) -> None:
        if self.sink is None:
            if data[:4] == ZSTD_MAGIC:
                import zstandard

                self.sink = zstandard.ZstdDecompressor().stream_writer(
                    self.out, closefd=False, write_return_read=True)
            else:
                self.sink = self.out
        self.sink.write(data)

    def finish(self) -> None:
        if self.sink is not None and self.sink is not self.out:
            self.sink.flush()
            self.sink.close()


def encrypt_to(plain: Path, out: Path, passphrase: str) -> None:
    """Compressed and encrypted, streamed (memory: a few MiB), written via ``.part``."""
    from counter_app import age_stream
    from counter_app.cli.command import atomic_file

    sealer = age_stream.Sealer(check_passphrase(passphrase))
    with open(plain, "rb") as raw, _compressed(raw) as src, atomic_file(out) as dst:
        sealer.encrypt(src, dst)


def decrypt_to(encrypted: Path, out: Path, passphrase: str) -> None:
    """Decrypt ``encrypted`` into ``out``, streamed; WrongPassphrase or BackupDamaged
    (nothing at ``out``) when it does not open."""
    from counter_app import age_stream
    from counter_app.cli.command import atomic_file

    import zstandard

    try:
        with open(encrypted, "rb") as src, atomic_file(out) as dst:
            unpacking = _Unpacking(dst)
            age_stream.decrypt(src, unpacking, passphrase or "")
            unpacking.finish()
    except (age_stream.Damaged, zstandard.ZstdError):
        raise BackupDamaged(path=encrypted) from None
    except age_stream.AgeError:
        raise WrongPassphrase(path=encrypted) from None


class _PrivateTemp:
    """A temporary folder only this user can read, on this PC (never the backup folder):
    the unencrypted copy lives here for seconds and is removed whatever happens."""

    def __enter__(self) -> Path:
        self.path = Path(tempfile.mkdtemp(prefix="counter_app-backup-"))
        os.chmod(self.path, 0o700)
        return self.path

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _log(db, reason: str, *, result: BackupResult | None = None,
         problem: str | None = None) -> None:
    from counter_app.counters import LOCAL_COUNTER
    from counter_app.db.day_models import BackupRecord
    from counter_app.db.models import Setting

    with db.write() as s:
        counter = s.get(Setting, LOCAL_COUNTER)
        s.add(BackupRecord(
            counter_id=counter.value if counter else None, at=clock.now_utc(), reason=reason,
            file=str(result.path) if result else None, size=result.size if result else None,
            sha256=result.sha256 if result else None, verified=result is not None,
            removed=json.dumps([p.name for p in result.removed], ensure_ascii=False)
            if result else None, problem=problem))


def _check_copy(copy: Path, db_path: Path) -> None:
    """The copy's check, its failure told about the counter's database (the copy is a
    temporary file the user never sees)."""
    try:
        backup.check_copy(copy)
    except InvalidInput as exc:
        reason = str(exc.context.get("detail", exc)).replace(str(copy), str(db_path))
        raise BackupFailed(detail=f"{reason}；没有备份，请运行 counter-app check") from None


def _seal(db_path: Path, target: Path, passphrase: str) -> str:
    """Online copy, check and encryption into ``target``; the ciphertext's SHA-256. The
    slow steps overlap (SQLite and scrypt release the GIL): scrypt beside the copy, the
    copy's quick_check beside its encryption; ``target`` appears only if the check passed.
    Memory stays bounded: the copy is streamed, never read whole."""
    from counter_app import age_stream
    from counter_app.cli.command import atomic_file

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="backup") as pool, \
            _PrivateTemp() as tmp:
        sealing = pool.submit(age_stream.Sealer, passphrase)
        try:
            plain = backup.temporary_copy(db_path, tmp / "counter.db")
        finally:
            sealer = sealing.result()
        checking = pool.submit(_check_copy, plain, db_path)
        try:
            with open(plain, "rb") as raw, _compressed(raw) as src, \
                    atomic_file(target) as dst:
                out = _Hashing(dst)
                sealer.encrypt(src, out)
                checking.result()  # a damaged copy: the .part is removed, nothing kept
        finally:
            checking.exception()  # never leave the check reading a removed folder
    return out.sha.hexdigest()


def run_backup(db, folder: Path | str, passphrase: str, *, reason: str = "manual",
               daily: int = DAILY, monthly: int = MONTHLY) -> BackupResult:
    """One encrypted, verified backup of ``db`` into ``folder``, then retention."""
    from counter_app.counters import local_counter

    folder = Path(folder)
    check_passphrase(passphrase)
    counter_id = local_counter(db).id
    try:
        if not folder.is_dir():
            raise InvalidInput(detail=f"备份文件夹 {folder} 不存在（U 盘没插上？）")
        taken = to_local(clock.now_utc()).replace(tzinfo=None)
        target = folder / backup_name(counter_id, taken)
        n = 1
        while target.exists():  # two backups in one second
            n += 1
            target = folder / backup_name(counter_id, taken).replace(SUFFIX, f"-{n}{SUFFIX}")
        digest = _seal(db.path, target, passphrase)
        if _sha256_from_medium(target) != digest:  # read back: a bad stick shows now
            target.unlink(missing_ok=True)
            raise BackupFailed(detail=f"{target} 读回后与写入的不一致（U 盘或磁盘有问题？），已删除")
        _kept, expired = retention(list_backups(folder, counter_id), daily, monthly)
        for old in expired:
            old.path.unlink(missing_ok=True)
        result = BackupResult(target, target.stat().st_size, digest,
                              tuple(f.path for f in expired))
    except CounterError as exc:
        _log(db, reason, problem=str(exc))
        raise
    _log(db, reason, result=result)
    return result


def restore_encrypted(backup_file: Path | str, db_path: Path | str, passphrase: str, *,
                      force: bool = False) -> backup.Restored:
    """Decrypt, then the one restore path (checks, app lock, the old file kept aside)."""
    backup_file = Path(backup_file)
    if not backup_file.is_file():
        raise InvalidInput(detail=f"备份文件 {backup_file} 不存在")
    with _PrivateTemp() as tmp:
        plain = tmp / "counter.db"
        decrypt_to(backup_file, plain, passphrase)
        try:
            return backup.restore(plain, db_path, force=force)
        except backup.BackupRejected as exc:  # name the file the user gave, not the temp
            raise backup.BackupRejected(path=backup_file,
                                        faults=exc.context.get("faults", "")) from None


# --- when -----------------------------------------------------------------------------------


def parse_time(value: str) -> time | None:
    """``"21:00"`` -> 21:00; "" -> None (no timed backup)."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise InvalidInput(detail=f"备份时间“{value}”不对，请写成 HH:MM，例如 21:00") from None


def last_backup_at(db) -> datetime | None:
    """Naive UTC of the last verified backup (any reason)."""
    from sqlalchemy import func, select

    from counter_app.db.day_models import BackupRecord

    with db.read() as s:
        return s.scalar(select(func.max(BackupRecord.at)).where(BackupRecord.verified.is_(True)))


def backup_due(settings, last_at_utc: datetime | None, now_utc: datetime | None = None) -> bool:
    """The timed backup is due: a folder and a time are set, today's time has passed and no
    backup was made since then."""
    at = parse_time(settings.backup_time)
    if not settings.backup_folder or at is None:
        return False
    now_local = to_local(now_utc or clock.now_utc())
    due_local = now_local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if now_local < due_local:
        return False
    return last_at_utc is None or to_local(last_at_utc) < due_local


def backup_with_settings(db, reason: str, passphrase: str | None = None, settings=None) -> str:
    """A backup into the configured folder with the stored (or given) passphrase; the
    outcome as one Chinese line. Never raises for a missing folder or passphrase: after a
    day close the close is done whatever happens to the backup."""
    from counter_app import backup_secret
    from counter_app.config import LocalSettings
    from counter_app.counters import local_counter

    settings = settings or LocalSettings.load()
    if not settings.backup_folder:
        return "未设置备份文件夹，未备份"
    passphrase = passphrase or backup_secret.stored_passphrase(local_counter(db).id)
    if not passphrase:
        _log(db, reason, problem="备份口令未保存在系统密钥环里")
        return ("未备份：备份口令未保存在系统密钥环里（运行 counter-app backup --run "
                "输入口令并加 --save-passphrase）")
    try:
        result = run_backup(db, settings.backup_folder, passphrase, reason=reason)
    except CounterError as exc:
        return f"备份失败：{exc}"
    removed = f"；按保留规则删除旧备份 {len(result.removed)} 份" if result.removed else ""
    return f"已加密备份并校验：{result.path}{removed}"


def backup_after_close(db, passphrase: str | None = None) -> str:
    return backup_with_settings(db, "day_close", passphrase)
