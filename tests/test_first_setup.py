import pytest

from counter_app import counters, operators
from counter_app.cli import main
from counter_app.db import open_database
from counter_app.errors import InvalidInput
from counter_app.ui.shell.first_run_dialog import FirstRunDialog

SETUP = dict(street="和平街道", community="安康社区", code="ak", counter_id="AK01",
             counter_name="安康社区积分超市", admin_name="张站长", admin_pin="2468")


def test_first_setup_creates_counter_and_admin_in_one_go(tmp_path):
    db = open_database(tmp_path / "new.db")
    info = counters.first_setup(db, **SETUP)
    assert (info.id, info.community, info.community_code) == ("AK01", "安康社区", "AK")
    (op_id, name, role), = operators.list_operators(db)
    assert (name, role) == ("张站长", "admin")
    assert operators.authenticate(db, op_id, "2468", "AK01").can(operators.Permission.OPERATORS)
    with pytest.raises(InvalidInput, match="已经设置过"):
        counters.first_setup(db, **SETUP)


@pytest.mark.parametrize("change, message", [
    (dict(code="A1"), "社区代码"), (dict(counter_id="ak 01"), "柜台编号"),
    (dict(admin_pin="12"), "4 到 8 位数字"), (dict(admin_name=" "), "管理员姓名"),
    (dict(community=""), "不能为空"), (dict(community="安康\udcff"), "社区名称里有无法识别的字符"),
    (dict(admin_name="张\udcff"), "管理员姓名里有无法识别的字符"),
])
def test_bad_setup_writes_nothing(tmp_path, change, message):
    db = open_database(tmp_path / "bad.db")
    with pytest.raises(InvalidInput, match=message):
        counters.first_setup(db, **{**SETUP, **change})
    assert operators.list_operators(db) == []
    counters.first_setup(db, **SETUP)  # a corrected second try succeeds


def test_cli_init(tmp_path, capsys):
    db = tmp_path / "cli.db"
    assert main(["--db", str(db), "init", "--street", "和平街道", "--community", "安康社区",
                 "--code", "AK", "--counter-id", "AK01", "--admin", "张站长",
                 "--pin", "2468"]) == 0
    assert "安康社区 · 安康社区积分超市" in capsys.readouterr().out
    assert main(["--db", str(db), "init", "--street", "x", "--community", "y", "--code",
                 "YY", "--counter-id", "YY01", "--admin", "z", "--pin", "1357"]) == 2
    assert "已经设置过" in capsys.readouterr().err


def test_first_run_dialog(qtbot, tmp_path):
    db = open_database(tmp_path / "gui.db")
    dialog = FirstRunDialog(db)
    qtbot.addWidget(dialog)
    dialog.standalone.setChecked(True)  # joining the district: test_first_start_join.py
    for key, value in dict(SETUP, pin="2468", pin2="2469").items():
        if key in dialog.fields:
            dialog.fields[key].setText(value)
    dialog.submit()
    assert dialog.message.text() and dialog.info is None
    dialog.fields["pin2"].setText("2468")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.submit()
    assert dialog.info.id == "AK01" and counters.local_counter(db).id == "AK01"


@pytest.fixture
def gui_run(monkeypatch, tmp_path, language, qapp):
    """ui.app.run without its process-wide side effects (excepthook, log handlers, the
    translators it installs — put back by ``language`` —, the app font)."""
    import logging
    import sys

    from counter_app.ui import app as ui_app

    font = qapp.font()

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setenv("COUNTER_APP_SETTINGS", str(tmp_path / "settings.json"))
    monkeypatch.setenv("COUNTER_APP_DB", str(tmp_path / "default" / "counter.db"))
    root = logging.getLogger()
    handlers = list(root.handlers)
    yield ui_app.run
    root.handlers[:] = handlers
    qapp.setFont(font)


def test_a_new_db_path_asks_first_and_cancel_leaves_nothing(qtbot, tmp_path, gui_run):
    """B12: --db at a new, non-default place: ask with the full path; No creates nothing."""
    target = tmp_path / "x" / "y" / "counter.db"
    asked = []
    assert gui_run(target, confirm_new=lambda new: asked.append(new.question()) or False) == 0
    assert asked == [f"Create a new counter database at {target}?"] or \
        asked == [f"要在 {target} 新建一个柜台数据库吗？"]
    assert not (tmp_path / "x").exists()


def test_cancelled_set_up_of_a_confirmed_new_db_removes_it_again(qtbot, tmp_path, gui_run):
    from PySide6.QtCore import Qt

    from ui_helpers import press_on_next_dialog

    target = tmp_path / "x" / "y" / "counter.db"
    press_on_next_dialog(Qt.Key.Key_Escape)  # the first-run dialog: Cancel
    assert gui_run(target, confirm_new=lambda new: True) == 0
    assert not (tmp_path / "x").exists()
    assert not any(p.name.startswith("counter.db") for p in tmp_path.rglob("*"))


def test_the_running_app_holds_the_database_lock(tmp_path, counter):
    """A1: while the window is up (a real app process), restore and demo --force refuse,
    naming the program; once it has ended, the lock is free again."""
    import subprocess
    import sys
    import time

    from counter_app import backup
    from counter_app.db import app_lock
    from counter_app.errors import DatabaseInUse

    saved = backup.backup(counter.db.path, tmp_path / "saved.db")
    counter.db.dispose()
    from conftest import subprocess_env

    env = subprocess_env(tmp_path, {"QT_QPA_PLATFORM": "offscreen"})
    app = subprocess.Popen([sys.executable, "-c", "import sys; from counter_app.ui.app import run;"
                            " sys.exit(run(sys.argv[1]))", str(counter.db.path)], env=env)
    try:
        deadline = time.monotonic() + 60
        while app_lock.holder_info(counter.db.path).get("pid") != app.pid:
            assert app.poll() is None and time.monotonic() < deadline, "the app did not start"
            time.sleep(0.1)
        with pytest.raises(DatabaseInUse, match=f"正被柜台程序使用（进程号 {app.pid}）"):
            backup.restore(saved, counter.db.path, force=True)
    finally:
        app.kill()
        app.wait()
    with app_lock.hold_app_lock(counter.db.path):
        pass  # the OS released it with the process
