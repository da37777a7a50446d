"""Issue 7 A6/A7/B12/B13: what a user gets wrong or what the machine refuses ends as one
Chinese line on stderr and exit code 2, never a traceback, never a half-built file.
Every case runs ``python -m counter_app`` in a fresh process, as a volunteer would."""

from __future__ import annotations

import resource
import shutil
import sqlite3
from datetime import date

import pytest

from counter_app.demo import build_demo
from counter_app.card_codes import nth_code

from fs_fixtures import (  # noqa: F401  (fixtures)
    assert_one_chinese_error, cli_env, full_disk, leftovers, readonly_dir, run_cli,
)

AS_OF = date(2026, 11, 20)
CARD = nth_code("XF01", 19)  # the demo's member 19


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "counter.db"
    build_demo(path, members=120, as_of=AS_OF)
    return path


# --- A6: the surroundings refuse ---------------------------------------------------------


def test_demo_into_a_read_only_folder(readonly_dir):
    db = readonly_dir / "counter.db"
    proc = run_cli("--db", str(db), "demo", "--members", "50")
    line = assert_one_chinese_error(proc, f"无法写入 {db}：")
    assert ".part" not in line  # the file the user asked for, not the temporary one
    assert not db.exists() and leftovers(readonly_dir) == []


def test_demo_onto_a_full_disk(full_disk):
    db = full_disk / "counter.db"
    proc = run_cli("--db", str(db), "demo", "--members", "3000")
    assert "磁盘空间已满" in assert_one_chinese_error(proc, str(db))
    assert list(full_disk.iterdir()) == []  # neither the database nor its .part


def _file_size_limit(limit: int):
    def apply():  # in the child: a real EFBIG from the kernel once a file passes ``limit``
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_demo_past_the_file_size_limit_keeps_the_old_database(tmp_path):
    db = tmp_path / "counter.db"
    build_demo(db, members=30, as_of=AS_OF)
    before = db.read_bytes()
    proc = run_cli("--db", str(db), "demo", "--members", "3000", "--force",
                   preexec_fn=_file_size_limit(len(before) + 100_000))
    assert_one_chinese_error(proc, str(db))
    assert db.read_bytes() == before  # --force replaces only once the new one is complete
    assert leftovers(tmp_path) == []


def test_database_error_through_sqlalchemy_is_explained(demo_db, tmp_path):
    damaged = tmp_path / "damaged.db"
    shutil.copy(demo_db, damaged)
    con = sqlite3.connect(damaged)
    con.execute("DROP TABLE households")  # the search joins it
    con.commit()
    con.close()
    proc = run_cli("--db", str(damaged), "search", CARD)
    assert_one_chinese_error(proc, str(damaged), "版本不对")


@pytest.mark.parametrize("argv, fragment", [
    ([b"search", b"\xff"], "查找的文字里有无法识别的字符"),
    ([b"search", "张".encode() + b"\xfe"], "查找的文字里有无法识别的字符"),
    ([b"print", b"receipt", b"XF01-\xff", b"--pdf", b"r.pdf"], "无法识别的字符"),
])
def test_undecodable_bytes_in_arguments(demo_db, tmp_path, argv, fragment):
    proc = run_cli(b"--db", str(demo_db).encode(), *argv)
    assert_one_chinese_error(proc, fragment)
    assert not (tmp_path / "r.pdf").exists()


def test_bad_date_and_member_count(tmp_path):
    db = tmp_path / "c.db"
    assert_one_chinese_error(run_cli("--db", str(db), "demo", "--as-of", "2026-13-01"),
                             "YYYY-MM-DD")
    assert_one_chinese_error(run_cli("--db", str(db), "demo", "--members", "10000000000"),
                             "会员人数")
    assert list(tmp_path.iterdir()) == []


def test_failed_init_leaves_no_empty_database(tmp_path):
    db = tmp_path / "new" / "counter.db"
    proc = run_cli("--db", str(db), "init", "--street", "和平街道", "--community", "安康社区",
                   "--code", "A1", "--counter-id", "AK01", "--admin", "张站长", "--pin", "2468")
    assert_one_chinese_error(proc, "社区代码")
    assert not db.exists() and leftovers(db.parent) == []


# --- A7: an unwritable cache -------------------------------------------------------------


def test_commands_work_with_a_read_only_cache_and_home(demo_db, readonly_dir, tmp_path):
    env = cli_env(HOME=str(readonly_dir), XDG_CACHE_HOME=str(readonly_dir / "cache"))
    check = run_cli("--db", str(demo_db), "check", env=env)
    assert check.returncode == 0, check.stderr.decode()
    assert "账本检查通过" in check.stdout.decode()
    search = run_cli("--db", str(demo_db), "search", CARD, env=env)
    assert search.returncode == 0 and CARD.encode() in search.stdout, search.stderr.decode()
    out = tmp_path / "lp0"
    printed = run_cli("--db", str(demo_db), "print", "receipt", "XF01-000001", "--escpos",
                      str(out), env=env)
    assert printed.returncode == 0, printed.stderr.decode()
    assert out.read_bytes().startswith(b"\x1b@")
    assert b"Traceback" not in check.stderr + search.stderr + printed.stderr


# --- B12: a reading command never creates a database -------------------------------------


@pytest.mark.parametrize("argv", [
    ["check"], ["search", "zs"], ["backup", "--out", "b.db"],
    ["print", "labels", "--out", "l.pdf"], ["screenshot", "--out", "shots"],
])
def test_reading_commands_refuse_a_missing_database(tmp_path, argv):
    db = tmp_path / "no" / "such" / "dir" / "counter.db"
    proc = run_cli("--db", str(db), *argv)
    assert_one_chinese_error(proc, f"数据库 {db} 不存在", "counter-app init")
    assert not (tmp_path / "no").exists()


def test_a_folder_given_as_the_database_is_named_a_folder(tmp_path):
    proc = run_cli("--db", str(tmp_path), "search", "张")
    line = assert_one_chinese_error(proc, f"{tmp_path} 是文件夹，不是数据库文件")
    assert str(tmp_path / "counter.db") in line


def test_an_empty_search_asks_what_to_look_for(demo_db):
    proc = run_cli("--db", str(demo_db), "search", "  ")
    assert_one_chinese_error(proc, "请给出要查找的手机号、姓名、拼音首字母或卡号")


def test_relative_missing_database_is_named_by_its_full_path(tmp_path):
    proc = run_cli("--db", "nowhere/counter.db", "check")
    line = assert_one_chinese_error(proc)
    assert "/nowhere/counter.db" in line and line.split("数据库 ")[1].startswith("/")


def test_creating_commands_create_the_folder(tmp_path):
    db = tmp_path / "new" / "dir" / "counter.db"
    proc = run_cli("--db", str(db), "demo", "--members", "20")
    assert proc.returncode == 0, proc.stderr.decode()
    assert db.is_file() and leftovers(db.parent) == []


# --- B13: no display ---------------------------------------------------------------------


def test_window_without_a_display_says_what_to_do(tmp_path):
    env = {k: v for k, v in cli_env().items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    db = tmp_path / "counter.db"
    for argv in ([], ["gui"]):
        proc = run_cli("--db", str(db), *argv, env=env)
        line = assert_one_chinese_error(proc, "./run app", "QT_QPA_PLATFORM=offscreen")
        assert "xcb" not in line
    assert not db.exists()


def test_print_onto_a_full_disk_leaves_no_half_pdf(demo_db, full_disk):
    filler = full_disk / "filler"
    with open(filler, "wb") as f:  # leave ~16 KiB: far less than a sheet of cards
        f.write(b"\0" * (256 * 1024 - 16 * 1024))
    out = full_disk / "cards.pdf"
    proc = run_cli("--db", str(demo_db), "print", "cards", "--out", str(out))
    assert "磁盘空间已满" in assert_one_chinese_error(proc, str(out))
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler"]


def test_backup_onto_a_full_disk_leaves_no_part(demo_db, full_disk):
    out = full_disk / "backup.db"
    proc = run_cli("--db", str(demo_db), "backup", "--out", str(out))
    assert_one_chinese_error(proc, str(out))
    assert list(full_disk.iterdir()) == []


def test_restore_onto_a_full_disk_leaves_no_restoring(demo_db, full_disk):
    target = full_disk / "counter.db"
    proc = run_cli("--db", str(target), "restore", str(demo_db))
    assert_one_chinese_error(proc, str(target))
    # Only the (empty) app-lock file a restore takes: no half-copied database.
    assert [p.name for p in full_disk.iterdir()] in ([], ["counter.db.lock"])


def test_ctrl_c_while_demo_writes_leaves_nothing(tmp_path):
    import signal
    import subprocess
    import sys

    db = tmp_path / "counter.db"
    proc = subprocess.Popen([sys.executable, "-m", "counter_app", "--db", str(db), "demo",
                             "--members", "8000"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=cli_env())
    for line in proc.stdout:  # interrupt once the .part file is being written
        if "正在写入数据库".encode() in line:
            break
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err.decode()
    assert err.decode().strip() == "错误：已中断"
    assert list(tmp_path.iterdir()) == []


def test_a_reader_that_stops_early_is_no_error(demo_db):
    """`counter-app search z | head -1` (trial: 错误：无法写入 文件：Broken pipe): the
    reader is gone before the output is written."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "counter_app", "--db", str(demo_db),
                             "search", "z", "--limit", "500"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=cli_env())
    proc.stdout.close()  # as head does once it has its line
    err = proc.stderr.read().decode("utf-8", "backslashreplace")
    assert proc.wait(timeout=60) == 0 and err == "", err
