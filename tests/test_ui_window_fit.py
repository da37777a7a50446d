"""B4: the main window fits the screen's available area (a 1366×768 laptop showed the
status bar off-screen), and the counter names itself once in titles (B10)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from counter_app.counters import CounterInfo
from counter_app.ui.shell.titles import counter_title

SRC = Path(__file__).resolve().parents[1] / "src"

CHILD = r"""
import json, sys
from counter_app.db import open_database
from counter_app.counters import local_counter
from counter_app.ui.app import make_app
from counter_app.ui.common.context import UiContext
from counter_app.ui.shell.main_window import MainWindow
app = make_app(language="zh_CN")
db = open_database(sys.argv[1])
window = MainWindow(UiContext(db=db, counter=local_counter(db)), [])
window.show_fitted()
for _ in range(20):
    app.processEvents()
area = window.screen().availableGeometry()
g = window.frameGeometry()
print("RESULT " + json.dumps({"area": [area.x(), area.y(), area.width(), area.height()],
                              "frame": [g.x(), g.y(), g.width(), g.height()],
                              "size": [window.width(), window.height()],
                              "maximise": window.maximise,
                              "status_bottom": window.statusBar().geometry().bottom()
                                               + window.geometry().y()}))
"""


# An administrator's window with every page, each shown in turn: a page whose minimum size
# is larger than the screen made the window grow past it (trial at 1366×768: 退出登录, the
# status bar and 兑换 (F9) off-screen after 会员 and 物品 had been opened).
CHILD_PAGES = CHILD.replace(
    "window = MainWindow(UiContext(db=db, counter=local_counter(db)), [])",
    "from counter_app import operators\n"
    "from counter_app.db.models import Role\n"
    "from counter_app.ui.pages import build_pages\n"
    "from counter_app.ui.devices.receipt_output import ReceiptOutput\n"
    "from pathlib import Path\n"
    "from sqlalchemy import text\n"
    "with db.read() as s:\n"
    "    admin_id = s.execute(text(\"SELECT id FROM operators WHERE role = 'admin'\")).scalar()\n"
    "ctx = UiContext(db=db, counter=local_counter(db))\n"
    "ctx.actor = operators.authenticate(db, admin_id, '1234', ctx.counter.id)\n"
    "window = MainWindow(ctx, build_pages(ctx, ReceiptOutput(folder=Path(sys.argv[1]).parent, "
    "open_pdf=False), Role.ADMIN))").replace(
    "for _ in range(20):\n    app.processEvents()",
    "for _ in range(20):\n    app.processEvents()\n"
    "for n in range(len(window.pages)):\n"
    "    window.show_page(n)\n"
    "    for _ in range(5):\n        app.processEvents()")


def _run(tmp_path, counter, width, height, child=CHILD):
    counter.db.dispose()
    config = tmp_path / f"screen-{width}.json"
    config.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96,
                                               "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
           "COUNTER_APP_SETTINGS": str(tmp_path / "settings.json")}
    proc = subprocess.run([sys.executable, "-c", child, str(counter.db.path)], env=env,
                          capture_output=True, text=True, timeout=60)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line, proc.stderr
    return json.loads(line[7:])


def _inside(inner, outer) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return x >= ox and y >= oy and x + w <= ox + ow and y + h <= oy + oh


@pytest.mark.parametrize("width, height, maximise", [(1366, 768, True), (1024, 600, True),
                                                      (1920, 1080, False)])
def test_window_fits_the_available_screen(tmp_path, counter, width, height, maximise):
    r = _run(tmp_path, counter, width, height)
    assert _inside(r["frame"], r["area"]), r
    assert r["status_bottom"] < r["area"][1] + r["area"][3]  # the status bar is on screen
    assert r["maximise"] is maximise
    if not maximise:
        assert r["size"] == [1280, 800]


def test_every_page_of_an_administrator_fits_a_1366x768_screen(tmp_path, counter):
    r = _run(tmp_path, counter, 1366, 768, CHILD_PAGES)
    assert _inside(r["frame"], r["area"]), r
    assert r["status_bottom"] < r["area"][1] + r["area"][3]


def test_counter_title_names_the_community_once():
    def info(name, community):
        return CounterInfo(id="XF01", name=name, community_id=1, community=community,
                           community_code="XF")

    assert counter_title(info("幸福社区积分超市", "幸福社区")) == "幸福社区积分超市"
    assert counter_title(info("一号柜台", "幸福社区")) == "幸福社区 · 一号柜台"


def test_no_display_is_explained_in_chinese(tmp_path):
    """B13 (GUI side): a platform plugin that cannot start ends with a Chinese hint and
    exit code 3, not Qt's English abort (exit 134)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="xcb", COUNTER_APP_SETTINGS=str(tmp_path / "s.json"),
               PYTHONPATH=f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    proc = subprocess.run([sys.executable, "-c", "from counter_app.ui.app import make_app; "
                           "make_app()"], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.startswith("无法打开柜台窗口") and "QT_QPA_PLATFORM=offscreen" in proc.stderr
