"""Issue 7 A7 / performance: commands that do not print load no printing, PDF, Qt or
pinyin library (python-escpos even writes a cache file when imported). Checked on
sys.modules in a fresh process, not by timing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date

from counter_app.demo import build_demo
from counter_app.card_codes import nth_code

from fs_fixtures import cli_env

HEAVY = ("PySide6", "shiboken6", "reportlab", "escpos", "openpyxl", "barcode", "qrcode",
         "PIL", "pypinyin", "psycopg", "tenacity", "pyqtgraph")

SCRIPT = """
import contextlib, io, json, sys
heavy = set(sys.argv[2].split(","))
loaded = lambda: sorted({m.split(".")[0] for m in sys.modules} & heavy)
seen = {}
import counter_app.cli
from counter_app.cli import build_parser, main
build_parser()
seen["import and parser"] = loaded()
for argv in (["check"], ["search", sys.argv[3]], ["search", "zs"]):
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["--db", sys.argv[1], *argv]) == 0
    seen[" ".join(argv)] = loaded()
print(json.dumps(seen))
"""


def test_cli_check_and_search_import_no_heavy_library(tmp_path):
    db = tmp_path / "d.db"
    build_demo(db, members=60, as_of=date(2026, 11, 20))
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(db), ",".join(HEAVY),
                           nth_code("XF01", 7)], capture_output=True, text=True,
                          env=cli_env())
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout)
    assert seen == {"import and parser": [], "check": [], f"search {nth_code('XF01', 7)}": [],
                    "search zs": []}


def test_the_guard_sees_a_heavy_import(tmp_path):
    # The same check after a print command must see python-escpos: the scan works.
    db = tmp_path / "d.db"
    build_demo(db, members=20, as_of=date(2026, 11, 20))
    script = ("import sys, contextlib, io; from counter_app.cli import main\n"
              "with contextlib.redirect_stdout(io.StringIO()):\n"
              f"    main(['--db', {str(db)!r}, 'print', 'receipt', 'XF01-000001', '--escpos',"
              f" {str(tmp_path / 'lp0')!r}])\n"
              "print('escpos' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=cli_env())
    assert proc.stdout.strip() == "True", proc.stderr


LEAN = """
import contextlib, io, json, sys
from counter_app.cli import main
seen = {}
for argv in (["check"], ["search", sys.argv[2]], ["search", sys.argv[3]]):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--db", sys.argv[1], *argv])
    seen[argv[0] + " " + argv[-1]] = [code, len(out.getvalue().splitlines()) > 0, sorted(
        {m.split(".")[0] for m in sys.modules} & {"sqlalchemy", "alembic", "argon2"})]
print(json.dumps(seen))
"""


def test_cli_check_and_search_read_with_plain_sqlite3(tmp_path):
    # On a file at the head, `check` (db.raw_read) and `search` (member_search) read through
    # read-only sqlite3: importing SQLAlchemy and declaring the ORM models was ~0.4-0.75 s
    # of their start.
    db = tmp_path / "d.db"
    build_demo(db, members=30, as_of=date(2026, 11, 20))
    card = nth_code("XF01", 7)
    con = sqlite3.connect(db)
    initials = con.execute("SELECT name_initials FROM members WHERE id = 5").fetchone()[0]
    con.close()
    proc = subprocess.run([sys.executable, "-c", LEAN, str(db), card, initials],
                          capture_output=True, text=True, env=cli_env())
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"check check": [0, True, []],
                                       f"search {card}": [0, True, []],
                                       f"search {initials}": [0, True, []]}


def test_cli_search_of_an_older_file_migrates_it_first(tmp_path):
    from identity_fixtures import as_schema_0002

    from counter_app.db import open_database
    from counter_app.db.migrate import HEAD, current_revision

    db = tmp_path / "d.db"
    build_demo(db, members=20, as_of=date(2026, 11, 20))
    as_schema_0002(db)
    proc = subprocess.run([sys.executable, "-m", "counter_app", "--db", str(db), "search",
                           nth_code("XF01", 3)], capture_output=True, text=True, env=cli_env())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(nth_code("XF01", 3) + "\t")
    opened = open_database(db, migrate=False)
    assert current_revision(opened) == HEAD
    opened.dispose()
