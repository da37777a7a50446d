"""Counter page: GUI latency as a ratio of the bare core query it wraps, in the same run.

    python bench/bench_counter_ratios.py --db PATH_TO_100K_DEMO_DB [--samples 60]

In one offscreen process (after bench_gui.py's method): each keystroke in the scan box to
its results painted, next to ``lookup.search`` for the same text timed directly; each
keyboard-wedge scan of a card to the member panel painted, next to ``lookup.resolve`` +
``member_details.load`` (what the page runs on its worker for a scan) timed directly.
A ratio near 1 means the GUI adds little to the query; the rest is Qt and the hop to the
worker thread and back.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path


def pct(samples, p):
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def run(db_path: Path, n: int) -> dict[str, list[float]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from counter_app import lookup, member_details
    from counter_app.ui.app import make_app
    from counter_app.ui.devices.receipt_output import ReceiptOutput
    from counter_app.ui.shell.screenshots import _admin_actor, _settle
    from counter_app.ui.shell.session import CounterSession

    app = make_app()
    session = CounterSession.open(db_path, ReceiptOutput(folder=Path(tempfile.mkdtemp()),
                                                         open_pdf=False))
    session.start()
    session.login.actor = _admin_actor(session.db, session.counter.id)
    session.login.accept()
    page = session.window.pages[0]
    while not page.tiles.buttons:
        app.processEvents()
        time.sleep(0.001)
    db, counter_id = session.db, session.counter.id

    con = sqlite3.connect(db_path)
    rows = con.execute("SELECT card_code, name_initials, phone_tail FROM members "
                       "WHERE kind='person' AND phone_tail IS NOT NULL "
                       "ORDER BY random() LIMIT ?", (n,)).fetchall()
    con.close()
    rng = random.Random(3)
    from PySide6.QtCore import QEventLoop, QTimer

    tick = QTimer()
    tick.start(50)  # wakes WaitForMoreEvents, so a missing signal still times out
    shown_results, shown_members = [], []
    page.results_shown.connect(shown_results.append)
    page.member_shown.connect(shown_members.append)

    def wait_for(signal_list, start_len):
        # Wait as the app's event loop does: blocked in Qt's native wait, the GIL free for
        # the worker (a processEvents() spin here held the GIL against the worker's query,
        # which inflated every figure measured with it; the tick bounds each wait).
        deadline = time.monotonic() + 10
        while len(signal_list) == start_len:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            if time.monotonic() > deadline:
                raise RuntimeError(f"no signal for {page.input.text()!r}")

    out = {"gui_key": [], "core_key": [], "gui_scan": [], "core_scan": [],
           "gui_key_cpu": [], "core_key_cpu": [], "gui_scan_cpu": [], "core_scan_cpu": []}
    for card, initials, tail in rows:
        page.cancel()  # Esc: drop the search and the member, as between two people
        page.cancel()
        _settle(app, 0.01)
        text = rng.choice((initials[:2], tail, initials[:3]))
        for i, ch in enumerate(text):
            before = len(shown_results)
            t, c = time.perf_counter(), time.thread_time()
            QTest.keyClick(page.input, ch)
            wait_for(shown_results, before)
            page.results.viewport().repaint()
            out["gui_key"].append((time.perf_counter() - t) * 1000)
            out["gui_key_cpu"].append((time.thread_time() - c) * 1000)  # GUI thread only
            t, c = time.perf_counter(), time.thread_time()
            lookup.search(db, text[:i + 1])
            out["core_key"].append((time.perf_counter() - t) * 1000)
            out["core_key_cpu"].append((time.thread_time() - c) * 1000)
        page.input.clear()
        _settle(app, 0.1)  # a person's last key is long gone when the scanner fires
        before = len(shown_members)
        t, c = time.perf_counter(), time.thread_time()
        QTest.keyClicks(page.input, card)
        QTest.keyClick(page.input, Qt.Key.Key_Return)
        wait_for(shown_members, before)
        page.panel.repaint()
        out["gui_scan"].append((time.perf_counter() - t) * 1000)
        out["gui_scan_cpu"].append((time.thread_time() - c) * 1000)
        t, c = time.perf_counter(), time.thread_time()
        hit = lookup.resolve(db, card, counter_id)
        member_details.load(db, hit.member.id, session.counter)
        out["core_scan"].append((time.perf_counter() - t) * 1000)
        out["core_scan_cpu"].append((time.thread_time() - c) * 1000)
    session.window.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--samples", type=int, default=60)
    args = ap.parse_args()
    out = run(args.db, args.samples)
    print(f"{len(out['gui_key'])} keystrokes, {len(out['gui_scan'])} scans, db {args.db}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print("| measure | GUI p50 / p95 | bare core p50 / p95 | ratio p50 / p95 |")
    print("| --- | --- | --- | --- |")
    for name, gui, core in (("keystroke -> results painted (lookup.search)", "gui_key",
                             "core_key"),
                            ("scan -> member panel painted (lookup.resolve + "
                             "member_details.load)", "gui_scan", "core_scan")):
        g50, g95 = pct(out[gui], 50), pct(out[gui], 95)
        c50, c95 = pct(out[core], 50), pct(out[core], 95)
        print(f"| {name} | {g50:.1f} / {g95:.1f} ms | {c50:.1f} / {c95:.1f} ms | "
              f"{g50 / c50:.1f} / {g95 / c95:.1f} |")
    print()
    print("CPU time (thread_time: moves less with the machine's load than wall time; the GUI "
          "thread's own work, the query runs on the worker)")
    print("| measure | GUI thread CPU p50 / p95 | bare core CPU p50 / p95 |")
    print("| --- | --- | --- |")
    for name, gui, core in (("keystroke", "gui_key_cpu", "core_key_cpu"),
                            ("scan", "gui_scan_cpu", "core_scan_cpu")):
        print(f"| {name} | {pct(out[gui], 50):.1f} / {pct(out[gui], 95):.1f} ms | "
              f"{pct(out[core], 50):.1f} / {pct(out[core], 95):.1f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
