"""Start-up performance guard: the log-in window and the counter page do not import what
they do not use (PDF, receipt printer, spreadsheet, pinyin, plotting libraries)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
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
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
           "COUNTER_APP_SETTINGS": str(tmp_path / "settings.json")}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(counter.db.path), json.dumps(HEAVY)],
                          env=env, capture_output=True, text=True, timeout=120)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line, proc.stderr
    found = json.loads(line[7:])
    assert found["login"] == []
    # reportlab / python-escpos still come with the receipt output (ws-docs' receipt_output)
    assert [m for m in found["counter"] if m not in ("reportlab", "escpos")] == []
