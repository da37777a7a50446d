"""The shared fixtures of tests/conftest.py do what other tests rely on: a read-only copy
that cannot be written, the CLI of the tree under test, a second writing process."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import text

from conftest import SRC, subprocess_env
from counter_app import ledger


def test_readonly_copy_is_a_backup_like_file_nobody_can_write(counter, readonly_copy):
    member = counter.member(name="只读")
    copy = readonly_copy(counter)
    before = copy.path.read_bytes()
    con = sqlite3.connect(f"file:{copy.path}?mode=ro", uri=True)
    assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert con.execute("SELECT name FROM members WHERE id = ?", (member,)).fetchone() == ("只读",)
    con.close()
    con = sqlite3.connect(copy.path)  # read-write: the file system must refuse
    with pytest.raises(sqlite3.OperationalError, match="readonly|read-only"):
        con.execute("UPDATE members SET name = 'x'")
        con.commit()
    con.close()
    with pytest.raises(OSError):
        (copy.path.parent / "counter.db-wal").write_bytes(b"")
    assert copy.path.read_bytes() == before


def test_run_cli_runs_the_source_tree_under_test(counter, run_cli):
    rc, out, err = run_cli("--db", counter.db.path, "check")
    assert rc == 0, out + err
    rc, out, err = run_cli("--help")
    assert rc == 0 and "counter-app" in out
    code = "import counter_app; print(counter_app.__file__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=subprocess_env(counter.db.path.parent))
    assert done.stdout.strip().startswith(str(SRC))


def test_second_writer_commits_while_this_process_writes_too(counter, second_writer):
    writer = second_writer()
    writer.wait_for_commits(5)
    mid = counter.member(name="本进程")
    ledger.adjust(counter.db, counter.admin, mid, 50, "并发时本进程写入")
    receipts = writer.stop()
    with counter.db.read() as s:
        stored = {r for (r,) in s.execute(text("SELECT receipt_no FROM redemptions"))}
    assert len(receipts) >= 5 and set(receipts) <= stored
    with counter.db.read() as s:
        assert ledger.balance_of(s, mid) == 50
