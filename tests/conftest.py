"""Shared fixtures: a fresh on-disk SQLite counter database per test, with a community,
operators of every role, a point item and a few exchange items; helpers for a read-only copy
of it, the CLI in a subprocess and a second process writing to the same file.

Plugins: logfail (a WARNING log record fails the test unless declared), ci_guards (under
CI=true a skip fails unless its reason is allowed; an empty run says so), pytester (tests
of those two)."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["logfail", "ci_guards", "pytester"]

from PySide6.QtCore import QLocale  # noqa: E402

import counter_app  # noqa: E402
from earning_helpers import credit  # noqa: E402
from counter_app import catalogue, counters, members, operators, stock  # noqa: E402
from counter_app.ui.shell import translations as _ui_app  # noqa: E402
from counter_app.db import open_database  # noqa: E402
from counter_app.db.models import (  # noqa: E402
    ItemKind, LimitPeriod, MemberCategory, PointCategory, PointItem, Role,
)


@dataclass
class Counter:
    db: object
    info: counters.CounterInfo
    admin: operators.Actor
    volunteer: operators.Actor
    stock_staff: operators.Actor
    reviewer: operators.Actor
    point_item: int  # 10 points
    big_point_item: int  # 15 points
    rice: int  # goods, 20 points, stock 10, 2 per quarter
    soap: int  # goods, 5 points, stock 100
    meal: int  # service, 10 points, 70+, 1 per month
    haircut: int  # service, 10 points, no stock

    def member(self, name: str = "张三", phone: str | None = None, points: int = 0,
               id_number: str | None = None,
               category: MemberCategory = MemberCategory.RESIDENT, **kw) -> int:
        mid = members.register(self.db, self.admin, name=name, category=category,
                               community_id=self.info.community_id, phone=phone,
                               id_number=id_number, **kw)
        while points >= 10:
            credit(self.db, self.reviewer, mid, self.point_item)
            points -= 10
        assert points == 0, "award points in steps of 10"
        return mid


@pytest.fixture(scope="session")
def _counter_template(tmp_path_factory) -> Counter:
    # argon2 hashing takes ~0.25 s per PIN: build the set-up once, copy the file per test.
    path = tmp_path_factory.mktemp("template") / "counter.db"
    template = _build_counter(path)
    template.db.dispose()  # closing the last connection checkpoints the WAL into the file
    return template


@pytest.fixture
def counter(_counter_template, tmp_path) -> Counter:
    path = tmp_path / "counter.db"
    shutil.copyfile(_counter_template.db.path, path)
    db = open_database(path)
    yield dataclasses.replace(_counter_template, db=db)
    db.dispose()


def _build_counter(path) -> Counter:
    db = open_database(path)
    info = counters.create_community(db, street="和平街道", community="幸福社区", code="XF",
                                     counter_id="XF01", counter_name="幸福社区积分超市")
    admin_id = operators.add_operator(db, None, "管理员", Role.ADMIN, "1234")
    admin = operators.authenticate(db, admin_id, "1234", info.id)
    actors = {}
    for name, role, pin in (("王阿姨", Role.VOLUNTEER, "1111"), ("刘库管", Role.STOCK, "3333"),
                            ("陈书记", Role.REVIEWER, "4444")):
        op_id = operators.add_operator(db, admin, name, role, pin)
        actors[role] = operators.authenticate(db, op_id, pin, info.id)
    volunteer, stock_staff, reviewer = (actors[Role.VOLUNTEER], actors[Role.STOCK],
                                        actors[Role.REVIEWER])
    with db.write() as s:
        cat = PointCategory(scheme="A", name="志愿服务")
        s.add(cat)
        s.flush()
        p10 = PointItem(category_id=cat.id, name="微心愿", points=10)
        p15 = PointItem(category_id=cat.id, name="结对帮扶", points=15)
        s.add_all([p10, p15])
        s.flush()
        point_ids = (p10.id, p15.id)
    cid = info.community_id
    rice = catalogue.add_item(db, stock_staff, community_id=cid, name="大米 5kg",
                              kind=ItemKind.GOODS, category="粮油", points=20, unit="袋",
                              barcodes=("6901234567892",), limit_qty=2,
                              limit_period=LimitPeriod.QUARTER)
    soap = catalogue.add_item(db, stock_staff, community_id=cid, name="香皂", kind=ItemKind.GOODS,
                              category="日用品", points=5, unit="块", barcodes=("6901234567908",))
    meal = catalogue.add_item(db, stock_staff, community_id=cid, name="10元爱心餐",
                              kind=ItemKind.SERVICE, category="服务", points=10, unit="份",
                              min_age=70, limit_qty=1, limit_period=LimitPeriod.MONTH)
    haircut = catalogue.add_item(db, stock_staff, community_id=cid, name="义剪（理发）",
                                 kind=ItemKind.SERVICE, category="服务", points=10, unit="次")
    stock.receive(db, stock_staff, rice, 10)
    stock.receive(db, stock_staff, soap, 100)
    return Counter(db, info, admin, volunteer, stock_staff, reviewer, point_ids[0], point_ids[1],
                   rice, soap, meal, haircut)


@pytest.fixture
def language(qapp):
    """Switch the UI language with the app's own install_translations; afterwards the
    translators (and default locale) the process had before are put back, whatever they
    were (other tests read English texts)."""
    before, locale = list(_ui_app._translators), QLocale()
    yield lambda code: _ui_app.install_translations(qapp, code)
    for t in _ui_app._translators:
        qapp.removeTranslator(t)
    _ui_app._translators[:] = before
    for t in before:
        qapp.installTranslator(t)
    QLocale.setDefault(locale)


@pytest.fixture(autouse=True)
def _no_blocking_error_boxes(monkeypatch):
    """An error box would wait forever for a click in a test run: record it instead, and
    fail the test if it reported an unexpected (non-domain) error."""
    from PySide6.QtWidgets import QMessageBox

    from counter_app.ui.common import errors as ui_errors

    shown: list[QMessageBox] = []
    monkeypatch.setattr(ui_errors, "_show", shown.append)
    yield shown
    unexpected = [b.text() for b in shown if b.icon() == QMessageBox.Icon.Critical]
    assert not unexpected, f"unexpected error dialog(s): {unexpected}"


# Which logged WARNINGs (and above) tests in other files expect, declared here so that
# those files need no edit: node id (without [parameters]) -> [(logger, level, regex)].
_PRINTER_LOG = ("counter_app.ui.devices.receipt_output", "WARNING", r"ESC/POS printer .* failed")
EXPECTED_LOGS: dict[str, list[tuple[str, str, str]]] = {
    # the test makes the dashboard query raise on purpose
    "tests/test_ui_dashboard.py::test_a_failed_load_says_so_and_keeps_the_last_figures": [
        ("counter_app.ui.dashboard.dashboard_page", "ERROR", "dashboard load failed")],
    # invalid parity on purpose: the session logs it and shows it
    "tests/test_ui_devices.py::test_session_bad_scanner_settings_are_shown_not_raised": [
        ("counter_app.ui.shell.session", "WARNING", "scanner settings not usable")],
    # printer path that does not exist, on purpose (the second one logs on the print thread)
    "tests/test_ui_receipt_output.py::test_unreachable_escpos_printer_raises_a_chinese_counter_error":
        [_PRINTER_LOG],
    "tests/test_ui_receipt_output.py::test_failed_print_keeps_the_redemption_and_the_page_says_so":
        [_PRINTER_LOG],
    # an unknown output name in the settings falls back to PDFs, with a warning
    "tests/test_ui_receipt_output.py::test_from_settings_picks_output_and_printer": [
        ("counter_app.ui.devices.receipt_output", "WARNING", "unknown receipt output 'fax'")],
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        for args in EXPECTED_LOGS.get(item.nodeid.partition("[")[0], ()):
            item.add_marker(pytest.mark.expect_log(*args))


# ---- the source tree under test, in a subprocess -------------------------------------

SRC = Path(counter_app.__file__).resolve().parents[1]  # the tree this run imports
TESTS = Path(__file__).resolve().parent


class CliResult(NamedTuple):
    rc: int
    stdout: str
    stderr: str


def subprocess_env(tmp_path: Path, env: dict | None = None) -> dict:
    """Environment for a child process: the source tree under test first on PYTHONPATH,
    user data/config/cache/log directories inside tmp_path (never the developer's)."""
    home = tmp_path / "home"
    base = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "PYTHONIOENCODING": "utf-8",
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
    }
    base.pop("COUNTER_APP_DB", None)
    base.pop("COUNTER_APP_SETTINGS", None)
    base.update(env or {})
    return {k: v for k, v in base.items() if v is not None}


@pytest.fixture
def run_cli(tmp_path):
    """``run_cli(*args, env=None, input=None, timeout=120) -> (rc, stdout, stderr)``: the
    counter-app CLI (``python -m counter_app``) of the tree under test in a subprocess.
    ``env`` entries override (None removes one); pass ``--db`` in args as the CLI takes it."""
    def run(*args, env: dict | None = None, input: str | None = None,
            timeout: float = 120) -> CliResult:
        proc = subprocess.run([sys.executable, "-m", "counter_app", *map(str, args)],
                              capture_output=True, text=True, encoding="utf-8", input=input,
                              env=subprocess_env(tmp_path, env), timeout=timeout,
                              cwd=tmp_path)
        return CliResult(proc.returncode, proc.stdout, proc.stderr)
    return run


# ---- a read-only copy, as on a write-protected USB stick -----------------------------

@dataclass
class ReadOnlyCopy:
    path: Path
    # "mount": a read-only bind mount (even root cannot write); "chmod": file 0444 and
    # directory 0555, which stops anyone but root.
    how: str


@pytest.fixture
def readonly_copy(tmp_path):
    """``readonly_copy(source) -> ReadOnlyCopy``: a consistent copy (sqlite backup API, WAL
    included) of a Counter, a Database or a file path, converted to journal mode DELETE like
    a backup file, on a read-only file system where possible (as root), else chmod-protected.
    Check ``.how`` if the test depends on root being stopped too."""
    mounts: list[Path] = []
    protected: list[Path] = []

    def make(source, name: str = "counter.db") -> ReadOnlyCopy:
        src_path = Path(getattr(getattr(source, "db", source), "path", source))
        index = len(protected)
        folder = tmp_path / f"ro-src-{index}"
        folder.mkdir()
        target = folder / name
        src, dst = sqlite3.connect(f"file:{src_path}?mode=ro", uri=True), sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            src.close()
            dst.close()
        target.chmod(0o444)
        folder.chmod(0o555)
        protected.append(folder)
        if os.geteuid() == 0 and sys.platform.startswith("linux") and shutil.which("mount"):
            mount_point = tmp_path / f"ro-{index}"
            mount_point.mkdir()
            done = subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(mount_point)],
                                  capture_output=True)
            if done.returncode == 0:
                mounts.append(mount_point)
                return ReadOnlyCopy(mount_point / name, "mount")
        return ReadOnlyCopy(target, "chmod")

    yield make
    for mount_point in mounts:
        subprocess.run(["umount", str(mount_point)], check=True)
    for folder in protected:
        folder.chmod(0o755)  # so pytest can clean tmp_path up


# ---- a second process writing to the same database ------------------------------------

WRITER = TESTS / "crash_worker.py"


class WriterProcess:
    """A child process that redeems in a loop (tests/crash_worker.py) on the same file."""

    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.receipts: list[str] = []  # appended by the reader thread, in commit order
        self._lines = threading.Thread(target=self._read, name="second-writer-stdout",
                                       daemon=True)
        self._lines.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            if line.startswith("XF01-"):
                self.receipts.append(line.strip())

    def wait_for_commits(self, n: int = 1, timeout: float = 60) -> list[str]:
        deadline = time.monotonic() + timeout
        while len(self.receipts) < n:
            assert self.proc.poll() is None, f"the writer died: {self.proc.stderr.read()}"
            assert time.monotonic() < deadline, \
                f"the writer committed {len(self.receipts)} of {n} in {timeout} s"
            time.sleep(0.02)
        return list(self.receipts)

    def stop(self) -> list[str]:
        """Stop it (SIGTERM) and return every receipt it reported as committed."""
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.wait(timeout=30)
        self._lines.join(timeout=30)
        self.proc.stdout.close()
        self.proc.stderr.close()
        return list(self.receipts)


@pytest.fixture
def second_writer(counter, tmp_path):
    """``second_writer(member_ids=None, item=None) -> WriterProcess``: another process
    checking out (as 王阿姨) on the counter's database while the test runs. By default two
    members with 100,000 points each and soap (stock topped up to 100,000)."""
    from counter_app import ledger

    started: list[WriterProcess] = []

    def start(member_ids: list[int] | None = None, item: int | None = None) -> WriterProcess:
        if member_ids is None:
            member_ids = [counter.member(name=n) for n in ("写入甲", "写入乙")]
            for mid in member_ids:
                ledger.adjust(counter.db, counter.admin, mid, 100_000, "并发测试充值")
        if item is None:
            item = counter.soap
            stock.receive(counter.db, counter.stock_staff, item, 100_000)
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(counter.db.path), str(item),
             ",".join(map(str, member_ids))],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
            env=subprocess_env(tmp_path))
        line = proc.stdout.readline()  # before the reader thread takes over stdout
        assert line.strip() == "ready", line + proc.stderr.read()
        writer = WriterProcess(proc)
        started.append(writer)
        return writer

    yield start
    for writer in started:
        writer.stop()


# --- the district: a real PostgreSQL server (tests/pg_server.py) and a district per test ---
# Here rather than in tests/district/conftest.py: two conftest modules would both be
# imported as the top-level module "conftest" and shadow each other.
from pg_server import district, district_template, pg_server  # noqa: E402,F401  (fixtures)


@pytest.fixture
def world(district):  # noqa: F811
    from district_helpers import build_world

    return build_world(district)
