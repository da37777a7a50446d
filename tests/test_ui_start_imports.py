"""Start-up performance guard: the log-in window and the counter page do not import what
they do not use (PDF, receipt printer, spreadsheet, pinyin, plotting libraries)."""

from __future__ import annotations

import json

from ui_helpers import run_app_child

HEAVY = ("reportlab", "escpos", "openpyxl", "pypinyin", "pyqtgraph", "numpy")

CHILD = r"""
import json, sys, time
from pathlib import Path
from counter_app.ui.app import make_app
from counter_app.ui.shell.session import CounterSession
from counter_app.ui.shell.screenshots import _admin_actor
heavy = json.loads(sys.argv[2])
app = make_app()
session = CounterSession.open(Path(sys.argv[1]))
session.start()
app.processEvents()
at_login = [m for m in heavy if m in sys.modules]
session.login.actor = _admin_actor(session.db, session.counter.id)
session.login.accept()
page = session.window.pages[0]
end = time.monotonic() + 30
while not page.tiles.buttons and time.monotonic() < end:
    app.processEvents()
    time.sleep(0.005)
print("RESULT " + json.dumps({"login": at_login,
                              "counter": [m for m in heavy if m in sys.modules]}))
"""


def test_log_in_and_counter_import_only_what_they_use(counter, tmp_path):
    counter.db.dispose()
    found = run_app_child(CHILD, counter.db.path, tmp_path, json.dumps(HEAVY))
    assert found["login"] == []
    # reportlab / python-escpos still come with the receipt output (ws-docs' receipt_output)
    assert [m for m in found["counter"] if m not in ("reportlab", "escpos")] == []
