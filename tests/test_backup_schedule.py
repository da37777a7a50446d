"""Encrypted, verified backups with retention, and the restore drill (issue 11 item 3)."""

import hashlib
import os
import sqlite3
from datetime import date, datetime, timedelta

import pytest

from counter_app import backup_schedule, check, clock, ledger
from counter_app.backup_schedule import BackupDamaged, BackupFile, WrongPassphrase
from counter_app.config import LocalSettings
from counter_app.errors import BackupRejected

PASS = "社区办公室-保管-2026"


def _digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def _ledger(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return (con.execute("SELECT id, seq, delta, hash FROM points_journal ORDER BY counter_id, "
                            "seq").fetchall(),
                con.execute("SELECT member_id, balance FROM points_accounts ORDER BY 1").fetchall(),
                con.execute("SELECT id, seq, delta, hash FROM stock_journal ORDER BY counter_id, "
                            "seq").fetchall())
    finally:
        con.close()


def test_an_encrypted_backup_hides_names_and_phones_and_opens_only_with_its_passphrase(
        counter, tmp_path):
    counter.member(name="欧阳秀英", phone="13912345678", id_number="110101195001011234",
                   points=20)
    folder = tmp_path / "usb"
    folder.mkdir()
    result = backup_schedule.run_backup(counter.db, folder, PASS)
    data = result.path.read_bytes()
    assert data.startswith(backup_schedule.AGE_MAGIC)
    for secret in ("欧阳秀英", "13912345678", "110101195001011234", "argon2"):
        for encoding in ("utf-8", "gb18030", "utf-16-le"):
            assert secret.encode(encoding) not in data
    assert b"SQLite format 3" not in data
    assert list(folder.iterdir()) == [result.path]  # no .part, no plain copy left
    counter.db.dispose()
    before = _digest(counter.db.path)
    with pytest.raises(WrongPassphrase, match="备份口令不对"):
        backup_schedule.restore_encrypted(result.path, counter.db.path, "另一个口令-12345",
                                          force=True)
    assert _digest(counter.db.path) == before
    rows = sqlite3.connect(counter.db.path).execute(
        "SELECT reason, verified, sha256 FROM backup_log").fetchall()
    assert rows == [("manual", 1, _digest(result.path))]


def test_restore_drill_gives_back_the_identical_ledger(counter, tmp_path):
    mid = counter.member(points=30)
    folder = tmp_path / "usb"
    folder.mkdir()
    result = backup_schedule.run_backup(counter.db, folder, PASS, reason="day_close")
    at_backup = _ledger(counter.db.path)
    ledger.adjust(counter.db, counter.admin, mid, 9, "备份之后的记录")  # lost by the restore
    assert _ledger(counter.db.path) != at_backup
    counter.db.dispose()
    restored = backup_schedule.restore_encrypted(result.path, counter.db.path, PASS, force=True)
    assert _ledger(counter.db.path) == at_backup
    assert check.verify(counter.db.path).ok
    assert restored.previous is not None and _ledger(restored.previous) != at_backup


def test_a_corrupted_or_tampered_backup_is_refused_and_the_live_database_untouched(
        counter, tmp_path):
    counter.member(points=10)
    folder = tmp_path / "usb"
    folder.mkdir()
    good = backup_schedule.run_backup(counter.db, folder, PASS).path
    counter.db.dispose()
    before = _digest(counter.db.path)
    damaged = tmp_path / "damaged.db.age"
    raw = bytearray(good.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    with pytest.raises(BackupDamaged, match="已损坏"):
        backup_schedule.restore_encrypted(damaged, counter.db.path, PASS, force=True)
    # Well encrypted, but of a database whose ledger was edited: the restore check refuses.
    plain = tmp_path / "plain.db"
    backup_schedule.decrypt_to(good, plain, PASS)
    con = sqlite3.connect(plain, isolation_level=None)
    con.execute("DROP TRIGGER points_journal_no_update")
    con.execute("UPDATE points_journal SET delta = 500 WHERE seq = 1")
    con.close()
    tampered = tmp_path / "tampered.db.age"
    backup_schedule.encrypt_to(plain, tampered, PASS)
    with pytest.raises(BackupRejected, match=f"备份文件 {tampered} 未通过检查"):
        backup_schedule.restore_encrypted(tampered, counter.db.path, PASS, force=True)
    assert _digest(counter.db.path) == before
    assert not [p for p in counter.db.path.parent.iterdir() if "before-restore" in p.name]


def _fake(folder, counter_id, moment):
    path = folder / backup_schedule.backup_name(counter_id, moment)
    path.write_bytes(b"age-encryption.org/v1\n")
    return path


def _expected_kept(moments, daily=30, monthly=12):
    """The rule again, written differently: newest per day of the newest 30 days with a
    backup, newest per month of the newest 12 months with a backup."""
    newest_of_day, newest_of_month = {}, {}
    for m in moments:
        newest_of_day[m.date()] = max(newest_of_day.get(m.date(), m), m)
        key = (m.year, m.month)
        newest_of_month[key] = max(newest_of_month.get(key, m), m)
    days = sorted(newest_of_day, reverse=True)[:daily]
    months = sorted(newest_of_month, reverse=True)[:monthly]
    return {newest_of_day[d] for d in days} | {newest_of_month[k] for k in months}


def test_retention_removes_exactly_the_expired_backups(counter, tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    start = datetime(2025, 1, 1, 21, 0, 5)
    moments = []
    for n in range(500):  # open about four days a week, sometimes twice a day
        day = start + timedelta(days=n)
        if n % 7 in (1, 3, 4, 6):
            moments.append(day)
            if n % 5 == 0:
                moments.append(day.replace(hour=12))
    for m in moments:
        _fake(folder, "XF01", m)
    other = _fake(folder, "XF02", datetime(2024, 1, 1, 9))  # another counter's: not ours
    stray = folder / "notes.txt"
    stray.write_text("留言")
    files = backup_schedule.list_backups(folder, "XF01")
    kept, expired = backup_schedule.retention(files)
    assert {f.taken_at for f in kept} == _expected_kept(moments)
    assert len(kept) + len(expired) == len(moments)
    now = datetime(2026, 5, 16, 21, 30)  # after the last fake one
    with clock.frozen(now.astimezone()):
        result = backup_schedule.run_backup(counter.db, folder, PASS, reason="scheduled")
    names = {p.name for p in folder.iterdir()}
    new_moment = backup_schedule.list_backups(folder, "XF01")[0].taken_at
    expected = {backup_schedule.backup_name("XF01", m)
                for m in _expected_kept(moments + [new_moment])}
    assert names == expected | {other.name, stray.name}
    assert {p.name for p in result.removed} == \
        {backup_schedule.backup_name("XF01", m) for m in moments} - expected


def test_the_timed_backup_is_due_once_a_day_after_its_time():
    settings = LocalSettings(backup_folder="/media/usb", backup_time="21:00")
    local = datetime(2026, 3, 4, 20, 59).astimezone()

    def utc(moment):
        return clock.FixedClock(moment).now_utc()

    assert not backup_schedule.backup_due(settings, None, utc(local))
    assert backup_schedule.backup_due(settings, None, utc(local + timedelta(minutes=2)))
    done = utc(local + timedelta(minutes=3))
    assert not backup_schedule.backup_due(settings, done, utc(local + timedelta(hours=2)))
    assert backup_schedule.backup_due(settings, done, utc(local + timedelta(days=1, minutes=5)))
    assert not backup_schedule.backup_due(LocalSettings(backup_time="21:00"), None,
                                          utc(local + timedelta(hours=1)))


@pytest.mark.slow
def test_cli_backup_run_list_and_restore(counter, run_cli, tmp_path):
    mid = counter.member(points=10)
    counter.db.dispose()
    folder = tmp_path / "usb"
    folder.mkdir()
    made = run_cli("--db", counter.db.path, "backup", "--run", "--folder", folder,
                   "--passphrase-stdin", input=PASS + "\n")
    assert made.rc == 0, made
    assert "已加密备份并校验" in made.stdout
    listed = run_cli("--db", counter.db.path, "backup", "--list", "--folder", folder)
    (path,) = list(folder.iterdir())
    assert listed.rc == 0 and path.name in listed.stdout and "1 份" in listed.stdout
    wrong = run_cli("--db", counter.db.path, "restore", path, "--force", "--passphrase-stdin",
                    input="不是这个口令-000\n")
    assert wrong.rc == 2 and "备份口令不对" in wrong.stderr
    asked = run_cli("--db", counter.db.path, "restore", path, "--force")  # no terminal
    assert asked.rc == 2 and "--passphrase-stdin" in asked.stderr
    ok = run_cli("--db", counter.db.path, "restore", path, "--force", "--passphrase-stdin",
                 input=PASS + "\n")
    assert ok.rc == 0 and "原数据库保留为" in ok.stdout, ok
    con = sqlite3.connect(counter.db.path)
    assert con.execute("SELECT balance FROM points_accounts WHERE member_id = ?",
                       (mid,)).fetchone() == (10,)
    con.close()


def test_after_a_day_close_the_backup_follows_the_settings(counter, tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    none = backup_schedule.backup_with_settings(counter.db, "day_close",
                                                settings=LocalSettings())
    assert none == "未设置备份文件夹，未备份"
    settings = LocalSettings(backup_folder=str(folder))
    no_key = backup_schedule.backup_with_settings(counter.db, "day_close", settings=settings)
    assert no_key.startswith("未备份：备份口令未保存在系统密钥环里") and not list(folder.iterdir())
    done = backup_schedule.backup_with_settings(counter.db, "day_close", PASS, settings)
    (made,) = folder.iterdir()
    assert done == f"已加密备份并校验：{made}"
    rows = sqlite3.connect(counter.db.path).execute(
        "SELECT reason, verified, problem IS NOT NULL FROM backup_log ORDER BY id").fetchall()
    assert rows == [("day_close", 0, 1), ("day_close", 1, 0)]


def test_a_damaged_live_database_gives_no_backup_and_says_so(counter, tmp_path):
    """The copy's quick_check runs beside its encryption: a failed check leaves nothing in
    the folder (the .part is removed) and the problem in the backup log."""
    for i in range(300):
        counter.member(name=f"居民{i}", phone=f"139{i:08d}")
    counter.db.dispose()
    con = sqlite3.connect(counter.db.path)
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'members'").fetchone()[0]
    page = con.execute("PRAGMA page_size").fetchone()[0]
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    with open(counter.db.path, "r+b") as f:  # the members table's root page: garbage
        f.seek((root - 1) * page + 8)
        f.write(b"\xff" * 64)
    folder = tmp_path / "usb"
    folder.mkdir()
    with pytest.raises(backup_schedule.BackupFailed,
                       match=f"备份没有完成：{counter.db.path} 不是可用的数据库文件.*没有备份"):
        backup_schedule.run_backup(counter.db, folder, PASS)
    assert list(folder.iterdir()) == []
    con = sqlite3.connect(f"file:{counter.db.path}?mode=ro", uri=True)
    rows = con.execute("SELECT verified, problem FROM backup_log").fetchall()
    con.close()
    assert len(rows) == 1 and rows[0][0] == 0 and "malformed" in rows[0][1]


def test_a_backup_is_compressed_and_a_backup_of_before_compression_still_restores(
        counter, tmp_path):
    from counter_app import age_stream

    for i in range(40):
        counter.member(points=10)
    folder = tmp_path / "usb"
    folder.mkdir()
    result = backup_schedule.run_backup(counter.db, folder, PASS)
    counter.db.dispose()
    assert result.size < counter.db.path.stat().st_size / 3
    at_backup = _ledger(counter.db.path)
    # an earlier backup: the age payload is the SQLite file itself, not compressed
    plain = tmp_path / "plain.db"
    backup_schedule.decrypt_to(result.path, plain, PASS)
    assert plain.read_bytes()[:16] == b"SQLite format 3\0"
    earlier = tmp_path / "earlier.db.age"
    with open(plain, "rb") as src, open(earlier, "wb") as dst:
        age_stream.encrypt(src, dst, PASS, log_n=10)
    assert earlier.stat().st_size > plain.stat().st_size
    backup_schedule.restore_encrypted(earlier, counter.db.path, PASS, force=True)
    assert _ledger(counter.db.path) == at_backup and check.verify(counter.db.path).ok


def test_the_backup_folder_and_time_are_set_from_the_command_line(counter, run_cli, tmp_path):
    """Trial: without the window there was no way to set the backup folder; --list and the
    timed backups need it."""
    counter.db.dispose()
    settings = tmp_path / "settings.json"
    env = {"COUNTER_APP_SETTINGS": str(settings)}
    gone = run_cli("--db", counter.db.path, "backup", "--set-folder", tmp_path / "nope", env=env)
    assert gone.rc == 2 and "不存在" in gone.stderr and not settings.exists()
    folder = tmp_path / "usb"
    folder.mkdir()
    bad = run_cli("--db", counter.db.path, "backup", "--set-folder", folder, "--time", "25:99",
                  env=env)
    assert bad.rc == 2 and "备份时间" in bad.stderr and not settings.exists()
    done = run_cli("--db", counter.db.path, "backup", "--set-folder", folder, "--time", "20:30",
                   env=env)
    assert done.rc == 0 and "每天 20:30 定时备份" in done.stdout, done
    saved = LocalSettings.load(settings)
    assert (saved.backup_folder, saved.backup_time) == (str(folder), "20:30")
    made = run_cli("--db", counter.db.path, "backup", "--run", "--passphrase-stdin",
                   input=PASS + "\n", env=env)  # no --folder: the one set
    assert made.rc == 0 and str(folder) in made.stdout, made
    listed = run_cli("--db", counter.db.path, "backup", "--list", env=env)
    assert listed.rc == 0 and "1 份" in listed.stdout
