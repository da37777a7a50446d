"""Issue 7 performance: what the log-in → counter page path must not do again. Checked
on what is loaded and built, not by timing (timing is bench/bench_gui.py's job)."""

from __future__ import annotations

import json
import subprocess
import sys

from counter_app.catalogue import list_items
from counter_app.ui.counter.item_tiles import ItemTiles


def test_the_window_and_its_sync_indicator_do_not_load_psycopg():
    """psycopg is for a running sync; loading it with the status bar cost 0.2–0.4 s."""
    script = ("import json, sys; import counter_app.ui.shell.main_window, "
              "counter_app.ui.sync.indicator, counter_app.ui.sync.runner; "
              "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'psycopg')))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, env={"QT_QPA_PLATFORM": "offscreen",
                                          "PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path)})
    assert json.loads(out.stdout.splitlines()[-1]) == []


def test_tiles_are_kept_when_the_same_catalogue_comes_again(qtbot, counter):
    """The counter page reloads its items each time it is shown; the same list must not
    rebuild every tile (it did, three times at log-in)."""
    tiles = ItemTiles()
    qtbot.addWidget(tiles)
    items = list_items(counter.db, "XF01")
    tiles.set_items(items)
    first = dict(tiles.buttons)
    tiles.set_items(list_items(counter.db, "XF01"))
    assert tiles.buttons == first and all(tiles.buttons[i] is b for i, b in first.items())
    changed = [items[0].__class__(**{**items[0].__dict__, "points": items[0].points + 1}),
               *items[1:]]
    tiles.set_items(changed)  # a new price: new tiles
    assert tiles.buttons[items[0].id] is not first[items[0].id]
