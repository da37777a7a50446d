"""The app lock: one file beside the database that the running counter program holds.

Replacing a database file under a running process loses data silently (the process keeps
writing to the unlinked file). So the GUI holds this lock for its lifetime, and whatever
replaces or removes the file (restore, ``demo --force``) must take it first: if it is held,
they refuse and name the holder (pid, what it is), read from the lock file.

The lock is an OS lock (fcntl.flock / msvcrt.locking on byte 0), so it is released when its
process dies, however it dies; the holder's description is written after byte 0, where a
refused process can read it (Windows locks only that byte). The file itself is left in
place on release: deleting lock files races with the next taker.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from counter_app import clock
from counter_app.errors import DatabaseInUse, InvalidInput

_INFO_AT = 1  # holder info starts after the locked byte


def lock_path(db_path: Path | str) -> Path:
    return Path(str(db_path) + ".lock")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def holder_info(db_path: Path | str) -> dict:
    """What the lock file says about its holder ({} if it says nothing readable)."""
    try:
        with open(lock_path(db_path), "rb") as f:
            f.seek(_INFO_AT)
            return json.loads(f.read().decode("utf-8") or "{}")
    except (OSError, ValueError):
        return {}


class AppLock:
    """A held app lock. ``release()`` (or leaving a ``with`` block) lets it go."""

    def __init__(self, db_path: Path, fd: int, who: str):
        self.db_path, self._fd, self.who = db_path, fd, who

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, _INFO_AT)
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> AppLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def hold_app_lock(db_path: Path | str, who: str = "柜台程序", *,
                  action: str = "打开") -> AppLock:
    """Take the app lock of ``db_path`` now, or raise DatabaseInUse naming its holder."""
    db_path = Path(db_path)
    try:
        fd = os.open(lock_path(db_path), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise InvalidInput(detail=f"无法在 {db_path.parent} 建立程序锁文件"
                                  f"（{exc.strerror or exc}），请确认该文件夹可以写入") from None
    try:
        if not _try_lock(fd):
            info = holder_info(db_path)
            raise DatabaseInUse(path=db_path, who=info.get("who", "另一个程序"),
                                pid=info.get("pid", "未知"), action=action)
        info = {"pid": os.getpid(), "who": who,
                "since": clock.now_utc().isoformat(timespec="seconds") + "Z"}
        data = json.dumps(info, ensure_ascii=False).encode("utf-8")
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, b" ")
        os.write(fd, data)
        os.ftruncate(fd, _INFO_AT + len(data))
    except BaseException:
        os.close(fd)  # closing drops a lock we may have taken
        raise
    return AppLock(db_path, fd, who)


@contextmanager
def exclusive(db_path: Path | str, who: str, action: str) -> Iterator[AppLock]:
    """Hold the app lock for a block that replaces or removes the database file."""
    with hold_app_lock(db_path, who, action=action) as lock:
        yield lock


def remove_database(db_path: Path | str, *, action: str = "重建演示数据") -> None:
    """Delete a database (and its -wal/-shm) only if no counter program holds it
    (``demo --force``); raises DatabaseInUse naming the program otherwise."""
    db_path = Path(db_path)
    if not db_path.exists():
        return
    with exclusive(db_path, "演示数据生成", action):
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
