"""Restore respects the app lock, refuses a failing backup and keeps the old file aside (A1);
check, backup verification and restore's pre-check only read (A2)."""

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from earning_helpers import credit  # noqa: E402
from counter_app import backup, check, clock, ledger
from counter_app.db import app_lock, open_database
from counter_app.errors import BackupRejected, DatabaseInUse, InvalidInput

SRC = str(Path(__file__).resolve().parents[1] / "src")
HOLDER = """
import sys
from counter_app.db.app_lock import hold_app_lock
lock = hold_app_lock(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()
"""


def _env():
    return {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}


@pytest.fixture
def running_app(counter):
    """A real second process holding the app lock of the counter database."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(counter.db.path)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=_env())
    assert proc.stdout.readline().strip() == "ready"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()
                  if p.name.endswith((".restoring", ".part")))


def _balance(path: Path, member_id: int) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT balance FROM points_accounts WHERE member_id = ?",
                           (member_id,)).fetchone()[0]
    finally:
        con.close()


def test_restore_refuses_while_the_app_runs_and_names_it(counter, running_app, tmp_path):
    mid = counter.member(points=10)
    with pytest.raises(InvalidInput, match="不存在"):  # a mistyped folder is not created
        backup.backup(counter.db.path, tmp_path / "b" / "backup.db")
    assert not (tmp_path / "b").exists()
    (tmp_path / "b").mkdir()
    saved = backup.backup(counter.db.path, tmp_path / "b" / "backup.db")
    assert saved.stat().st_mode & 0o777 == 0o600  # phones and ID numbers: the user's only
    credit(counter.db, counter.reviewer, mid, counter.point_item)
    counter.db.dispose()
    before = _digest(counter.db.path)
    with pytest.raises(DatabaseInUse) as err:
        backup.restore(saved, counter.db.path, force=True)
    assert str(err.value) == (f"数据库 {counter.db.path} 正被柜台程序使用（进程号 {running_app.pid}），"
                              f"请先关闭它再恢复备份")
    assert _digest(counter.db.path) == before and _leftovers(tmp_path) == []
    with pytest.raises(DatabaseInUse, match="柜台程序"):
        app_lock.remove_database(counter.db.path)  # the demo --force path
    assert counter.db.path.exists()
    running_app.send_signal(signal.SIGKILL)  # however it ends, the OS releases the lock
    running_app.wait()
    restored = backup.restore(saved, counter.db.path, force=True)
    assert _balance(counter.db.path, mid) == 10 and restored.previous is not None


def test_the_app_lock_is_exclusive_and_released(counter, tmp_path):
    with app_lock.hold_app_lock(counter.db.path) as lock:
        with pytest.raises(DatabaseInUse, match=f"进程号 {os.getpid()}"):
            app_lock.hold_app_lock(counter.db.path, "第二个窗口")
        assert app_lock.holder_info(counter.db.path)["who"] == "柜台程序"
    assert not lock.held
    app_lock.hold_app_lock(counter.db.path).release()


def test_restore_refuses_a_backup_with_a_broken_chain(counter, tmp_path):
    mid = counter.member(points=20)
    saved = backup.backup(counter.db.path, tmp_path / "backup.db")
    con = sqlite3.connect(saved, isolation_level=None)  # an attacker with sqlite3
    con.execute("DROP TRIGGER points_journal_no_update")
    con.execute("UPDATE points_journal SET delta = 500 WHERE seq = 1")
    con.close()
    counter.db.dispose()
    before = _digest(counter.db.path)
    with pytest.raises(BackupRejected) as err:
        backup.restore(saved, counter.db.path, force=True)
    message = str(err.value)
    assert message.startswith(f"备份文件 {saved} 未通过检查，没有恢复：积分账本 柜台 XF01 第 1 条")
    assert "内容被改动" in message and f"会员 {mid}：余额缓存为 20，账本合计为 510" in message
    assert _digest(counter.db.path) == before and _leftovers(tmp_path) == []


def test_restore_keeps_the_replaced_database_aside(counter, tmp_path):
    mid = counter.member(points=10)
    saved = backup.backup(counter.db.path, tmp_path / "backup.db")
    ledger.adjust(counter.db, counter.admin, mid, 7, "备份之后的记录")
    counter.db.dispose()
    with clock.frozen(datetime(2026, 3, 4, 5, 6, 7)):
        restored = backup.restore(saved, counter.db.path, force=True)
    local = clock.FixedClock(datetime(2026, 3, 4, 5, 6, 7)).now_utc()
    from counter_app.localtime import to_local
    stamp = to_local(local).strftime("%Y%m%d-%H%M%S")
    assert restored.previous == counter.db.path.with_name(f"counter.db.before-restore-{stamp}")
    assert _balance(restored.previous, mid) == 17 and _balance(counter.db.path, mid) == 10
    assert check.verify(restored.previous).ok and check.verify(counter.db.path).ok
    assert _leftovers(tmp_path) == []
    db = open_database(counter.db.path)  # the restored file opens and takes writes
    try:
        with db.read() as s:
            assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        db.dispose()


# --- A2: reading never writes ---------------------------------------------------------------


def _journal_mode(path: Path) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        con.close()


def test_check_and_restore_precheck_leave_a_delete_mode_backup_as_it_is(counter, tmp_path):
    counter.member(points=10)
    (tmp_path / "media").mkdir()
    saved = backup.backup(counter.db.path, tmp_path / "media" / "backup.db")
    assert _journal_mode(saved) == "delete"
    before = _digest(saved)
    backup.check_counter_db(saved)
    assert check.verify(saved).ok
    assert check.verify(open_database(saved, migrate=False)).ok  # what the CLI passes today
    backup.verify_backup(saved)
    assert _digest(saved) == before and _journal_mode(saved) == "delete"
    assert sorted(p.name for p in saved.parent.iterdir()) == ["backup.db"]


READ_ONLY_CHECK = """
import sys
from pathlib import Path
from counter_app import backup, check
for name in sys.argv[2:]:
    path = Path(sys.argv[1]) / name
    backup.check_counter_db(path)
    report = check.verify(path)
    backup.verify_backup(path)
    print(name, report.ok, report.points_entries, flush=True)
"""


def _as_reader(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run as a process that cannot write the directory: ourselves after chmod, or — as root,
    whom chmod does not stop — root without the capabilities that override file modes."""
    prefix = []
    if os.geteuid() == 0:
        caps = "-dac_override,-dac_read_search"
        prefix = ["setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}", "--"]
    env = {**_env(), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([*prefix, sys.executable, *argv], capture_output=True, text=True,
                          env=env, cwd=cwd)


def test_check_works_on_read_only_media_and_changes_no_byte(counter, tmp_path):
    counter.member(points=20)
    counter.db.dispose()  # a WAL-mode file, as the counter leaves it
    media = Path(tempfile.mkdtemp(prefix="counter-ro-", dir="/tmp"))
    try:
        shutil.copyfile(counter.db.path, media / "live.db")
        backup.backup(counter.db.path, media / "backup.db")  # DELETE journal mode
        assert (_journal_mode(media / "live.db"), _journal_mode(media / "backup.db")) == (
            "wal", "delete")
        for f in media.iterdir():
            f.chmod(0o444)
        media.chmod(0o555)
        before = {f.name: _digest(f) for f in media.iterdir()}
        proc = _as_reader(["-c", READ_ONLY_CHECK, str(media), "live.db", "backup.db"], media)
        assert proc.returncode == 0, proc.stderr
        assert [line.split()[:2] for line in proc.stdout.splitlines()] == [
            ["live.db", "True"], ["backup.db", "True"]]
        assert {f.name: _digest(f) for f in media.iterdir()} == before  # no -wal/-shm either
    finally:
        media.chmod(0o755)
        shutil.rmtree(media)


def test_restore_from_read_only_media(counter):
    mid = counter.member(points=20)
    media = Path(tempfile.mkdtemp(prefix="counter-ro-", dir="/tmp"))
    target = Path(tempfile.mkdtemp(prefix="counter-rw-", dir="/tmp"))
    try:
        backup.backup(counter.db.path, media / "backup.db")
        (media / "backup.db").chmod(0o444)
        media.chmod(0o555)
        before = _digest(media / "backup.db")
        code = ("import sys; from counter_app import backup; "
                "print(backup.restore(sys.argv[1], sys.argv[2]).db_path)")
        proc = _as_reader(["-c", code, str(media / "backup.db"), str(target / "counter.db")],
                          target)
        assert proc.returncode == 0, proc.stderr
        assert _balance(target / "counter.db", mid) == 20
        assert _digest(media / "backup.db") == before and sorted(os.listdir(media)) == [
            "backup.db"]
    finally:
        media.chmod(0o755)
        shutil.rmtree(media)
        shutil.rmtree(target)


CRASH_AFTER_COMMIT = """
import os, sys
from counter_app import ledger
from counter_app.db import open_database
from counter_app.db.models import Role
from counter_app.operators import Actor
db = open_database(sys.argv[1], migrate=False)
with db.engine.connect() as conn:  # no checkpoint: the commit lives only in the -wal
    conn.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
ledger.adjust(db, Actor(1, "管理员", Role.ADMIN, "XF01"), int(sys.argv[2]), 99, "崩溃前")
os._exit(0)  # no clean close, as in a crash
"""


def test_restore_keeps_the_wal_of_a_crashed_program_with_the_old_file(counter, tmp_path):
    mid = counter.member(points=10)
    saved = backup.backup(counter.db.path, tmp_path / "backup.db")
    counter.db.dispose()
    subprocess.run([sys.executable, "-c", CRASH_AFTER_COMMIT, str(counter.db.path), str(mid)],
                   check=True, env=_env())
    wal = Path(str(counter.db.path) + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    restored = backup.restore(saved, counter.db.path, force=True)
    assert not wal.exists()  # the new file does not replay the old file's WAL
    assert _balance(counter.db.path, mid) == 10
    assert _balance(restored.previous, mid) == 109  # the committed adjustment kept aside
    assert check.verify(restored.previous).ok


def test_remove_database_for_demo_force_when_nobody_holds_it(counter):
    counter.member(points=10)
    path = counter.db.path
    counter.db.dispose()
    app_lock.remove_database(path)
    assert not path.exists() and not Path(str(path) + "-wal").exists()


def test_the_app_lock_in_a_folder_that_cannot_be_written_is_a_typed_error(tmp_path):
    from counter_app.errors import InvalidInput

    with pytest.raises(InvalidInput, match="无法在 .* 建立程序锁文件"):
        app_lock.hold_app_lock(tmp_path / "没有这个文件夹" / "counter.db")


def test_demo_force_refuses_while_the_app_runs_and_keeps_the_database(counter, running_app):
    from counter_app.demo import build_demo

    counter.db.dispose()
    before = _digest(counter.db.path)
    with pytest.raises(DatabaseInUse, match="柜台程序"):
        build_demo(counter.db.path, members=20, replace=True)
    assert _digest(counter.db.path) == before
    assert not counter.db.path.with_name(counter.db.path.name + ".part").exists()
