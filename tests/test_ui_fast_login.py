"""Issue 7 performance: the log-in shows before SQLAlchemy and the ORM models load
(~60 % of the old start); the database opens on the worker while the PIN is typed.

Guarded by what is loaded (sys.modules) when the log-in has painted, not by timing."""

from __future__ import annotations

import json
import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from counter_app.sign_in import read_start
from counter_app.ui.shell.session import WARM_IMPORTS

from ui_helpers import run_app_child

CORE = ("sqlalchemy", "alembic", "argon2", "counter_app.db.models", "counter_app.operators")

CHILD = r"""
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QEvent, QObject
from counter_app.ui.app import make_app
from counter_app.sign_in import read_start
from counter_app.ui.shell.session import CounterSession
core = json.loads(sys.argv[2])
app = make_app()
session = CounterSession.starting(read_start(Path(sys.argv[1])), Path(sys.argv[1]))
seen = {}
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "login" not in seen:
            seen["login"] = [m for m in core if m in sys.modules]
            seen["names"] = [b.text() for b in session.login.operator_buttons.buttons()]
        return False
painted = Painted()
session.start()
session.login.installEventFilter(painted)  # after the session's own first-paint filter
end = time.monotonic() + 60
while "login" not in seen and time.monotonic() < end:
    app.processEvents()
    time.sleep(0.002)
from counter_app.ui.common.ops import wait_idle
from counter_app.ui.shell.session import WARM_IMPORTS
while session.db.db is None and time.monotonic() < end:  # the PIN is being typed
    app.processEvents()
    time.sleep(0.01)
wait_idle()
seen["warm"] = [m for m in WARM_IMPORTS if m in sys.modules]
seen["window"] = session.window is not None
session.login.pin.setText("1234")
session.login.try_login()
page = None
while time.monotonic() < end:
    app.processEvents()
    time.sleep(0.005)
    if session.window is not None:
        page = session.window.pages[0]
        if page.tiles.buttons:
            break
seen["counter"] = bool(page and page.tiles.buttons)
seen["db"] = type(session.db).__name__
print("RESULT " + json.dumps(seen))
"""


def test_log_in_paints_before_the_database_layer_loads(counter, tmp_path):
    counter.db.dispose()
    seen = run_app_child(CHILD, counter.db.path, tmp_path, json.dumps(CORE))
    assert seen["login"] == []  # painted with the names, nothing of the ORM loaded yet
    assert seen["names"][0] == "管理员（管理员）"
    # while the PIN is typed the worker also loads what the window imports (no widget yet)
    assert seen["warm"] == list(WARM_IMPORTS) and not seen["window"]
    assert seen["counter"] and seen["db"] == "Database"  # the PIN logs in; the page works


def test_read_start_only_for_a_database_ready_as_it_is(counter, tmp_path):
    counter.db.dispose()
    start = read_start(counter.db.path)
    assert start.counter == counter.info
    assert [name for _id, name, _role in start.screen.operators][0] == "管理员"
    assert read_start(tmp_path / "missing.db") is None and not (tmp_path / "missing.db").exists()
    old = tmp_path / "old.db"
    old.write_bytes(counter.db.path.read_bytes())
    con = sqlite3.connect(old)
    con.execute("UPDATE alembic_version SET version_num = '0001'")  # to migrate: full way
    con.commit()
    con.close()
    assert read_start(old) is None
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    assert read_start(junk) is None


def test_a_pin_typed_before_the_open_began_still_logs_in(qtbot, counter, tmp_path):
    from counter_app.ui.devices.receipt_output import ReceiptOutput
    from counter_app.ui.shell.session import CounterSession

    counter.db.dispose()
    session = CounterSession.starting(read_start(counter.db.path), counter.db.path,
                                      ReceiptOutput(folder=tmp_path / "r", open_pdf=False))
    session.start()
    qtbot.addWidget(session.login)
    try:
        # Right away: the open is still waiting for the first paint; the PIN check opens.
        session.login.select_operator(counter.volunteer.operator_id)
        QTest.keyClicks(session.login.pin, "1111")
        with qtbot.waitSignal(session.login.accepted, timeout=20_000):
            QTest.keyClick(session.login.pin, Qt.Key.Key_Return)
        assert session.window is not None and session.ctx.actor.name == "王阿姨"
        assert type(session.db).__name__ == "Database" and session.ctx.db is session.db
        assert session.ctx.counter == counter.info
    finally:
        session.shutdown()
        if session.window is not None:
            session.window.close()
        if hasattr(session.db, "dispose"):
            session.db.dispose()
