"""GUI benchmark at district scale (offscreen). Usage:
    python bench/bench_gui.py --db PATH_TO_100K_DEMO_DB

Starts the real app in a child process and measures: process start to the log-in screen
shown, to a usable counter page (item tiles loaded), keystroke in the search box to
results painted, scan (keyboard-wedge burst) to member panel painted, and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path


def pct(samples, p):
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def bare_child(started: float, exit_at: str | None = None) -> None:
    """The floor under every start-up figure, measured in the same run: a bare
    QApplication with one QWidget shown (same interpreter, same machine load)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    w = QWidget()
    w.resize(400, 300)
    w.show()
    app.processEvents()
    w.repaint()
    out = {"to_shown_s": time.time() - started,
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    print("RESULT " + json.dumps(out), flush=True)
    if exit_at:
        os._exit(0)


def child(db_path: Path, started: float, n: int, exit_at: str | None = None) -> None:
    import faulthandler
    faulthandler.dump_traceback_later(300, exit=True)  # a loaded machine is slow
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import tempfile

    from counter_app.ui.app import make_app  # first, as `counter-app` does
    from counter_app.ui.shell.session import CounterSession

    # Only what the app itself imports before the log-in (the receipt output and the
    # screenshot helpers import reportlab and SQLAlchemy: they come after the figure).
    out = {}
    app = make_app()
    if hasattr(CounterSession, "starting"):  # as ui/app.run starts (--src of older trees)
        from counter_app.sign_in import read_start

        session = CounterSession.starting(read_start(db_path), db_path)
        # The app begins the open on the log-in's first paint; here it begins once the
        # figure is taken, so the worker's imports (counted by callgrind, all threads) and
        # its GIL do not land inside "start -> log-in painted".
        session._open_after_first_paint = lambda: None
    else:
        session = CounterSession.open(db_path)
    session.start()
    app.processEvents()
    session.login.repaint()
    out["to_login_s"] = time.time() - started
    if exit_at == "login":
        sys.stdout.flush()
        os._exit(0)  # instruction count up to here (--instructions)
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from counter_app.ui.devices.receipt_output import ReceiptOutput
    from counter_app.ui.shell.screenshots import _admin_actor, _settle

    session.receipts = ReceiptOutput(folder=Path(tempfile.mkdtemp()), open_pdf=False)
    session._own_receipts = False
    if hasattr(session, "_begin_open"):
        session._begin_open()
    # In use the PIN is typed while the database opens behind the log-in; here the log-in
    # comes as soon as it is open (the worst case: a PIN typed at once).
    while type(session.db).__name__ == "OpeningDatabase":
        app.processEvents()
        time.sleep(0.001)
    out["db_open_s"] = time.time() - started
    accepted = time.perf_counter()
    session.login.actor = _admin_actor(session.db, session.counter.id)
    session.login.accept()
    page = session.window.pages[0]
    while not page.tiles.buttons:
        app.processEvents()
        time.sleep(0.001)
    session.window.repaint()
    out["to_counter_s"] = time.time() - started
    out["login_to_counter_s"] = time.perf_counter() - accepted

    con = sqlite3.connect(db_path)
    rows = con.execute("SELECT card_code, name_initials, phone_tail FROM members "
                       "WHERE kind='person' AND phone_tail IS NOT NULL "
                       "ORDER BY random() LIMIT ?", (n,)).fetchall()
    con.close()
    rng = random.Random(3)

    def wait_for(signal_list, start_len):
        # Wait as the app's event loop does: blocked in Qt's native wait, the GIL free for
        # the worker (a processEvents() spin here held the GIL against the worker's query,
        # which inflated every figure measured with it; the tick bounds each wait).
        deadline = time.monotonic() + 10
        while len(signal_list) == start_len:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            if time.monotonic() > deadline:
                raise RuntimeError(f"no signal: input={page.input.text()!r} "
                                   f"waiting={page.search.waiting} "
                                   f"msg={page.message.text()!r}")

    from PySide6.QtCore import QEventLoop, QTimer

    tick = QTimer()
    tick.start(50)  # wakes WaitForMoreEvents, so a missing signal still times out
    shown_results, shown_members = [], []
    page.results_shown.connect(shown_results.append)
    page.member_shown.connect(shown_members.append)
    keystroke, scan = [], []
    for card, initials, tail in rows:
        page.input.clear()
        _settle(app, 0.01)
        text = rng.choice((initials[:2], tail, initials[:3]))
        for ch in text:
            before = len(shown_results)
            t = time.perf_counter()
            QTest.keyClick(page.input, ch)
            wait_for(shown_results, before)
            page.results.viewport().repaint()
            keystroke.append((time.perf_counter() - t) * 1000)
        page.input.clear()
        _settle(app, 0.1)  # a person's last key is long gone when the scanner fires
        before = len(shown_members)
        t = time.perf_counter()
        QTest.keyClicks(page.input, card)
        QTest.keyClick(page.input, Qt.Key.Key_Return)
        wait_for(shown_members, before)
        page.panel.repaint()
        scan.append((time.perf_counter() - t) * 1000)
    out["keystroke_ms"] = keystroke
    out["scan_ms"] = scan
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(out), flush=True)


def callgrind_instructions(argv: list[str], env: dict[str, str]) -> int:
    """Instructions executed by ``argv`` (valgrind callgrind's "Collected"): independent of
    how loaded the machine is, unlike wall time."""
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           *argv], capture_output=True, text=True, env=env)
    for line in proc.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1])
    raise RuntimeError(proc.stderr[-2000:])


def instructions(db: Path, others: list[Path]) -> int:
    src = Path(__file__).resolve().parents[1] / "src"
    base_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    bare = callgrind_instructions([sys.executable, __file__, "--bare", "--exit-at", "login",
                                   "--started", "0"], base_env)
    print(f"instructions from start to shown, valgrind callgrind, db {db}")
    print("| tree | start -> log-in painted | / bare Qt window |")
    print("| --- | --- | --- |")
    print(f"| bare QApplication + QWidget | {bare / 1e9:.2f} G | 1.0x |", flush=True)
    for tree in [src, *others]:
        env = {**base_env, "PYTHONPATH": f"{tree}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
        n = callgrind_instructions([sys.executable, __file__, "--child", "--exit-at", "login",
                                    "--db", str(db), "--started", "0"], env)
        print(f"| {tree} | {n / 1e9:.2f} G | {n / bare:.1f}x |", flush=True)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--samples", type=int, default=60)
    ap.add_argument("--child", action="store_true")
    ap.add_argument("--bare", action="store_true")
    ap.add_argument("--started", type=float)
    ap.add_argument("--exit-at", choices=["login"])
    ap.add_argument("--instructions", action="store_true",
                    help="count instructions (valgrind callgrind) from start to the log-in "
                         "painted, for the bare baseline, this tree and each --src")
    ap.add_argument("--src", type=Path, action="append", default=[],
                    help="with --instructions: also count this src/ folder (repeatable)")
    args = ap.parse_args()
    if args.bare:
        bare_child(args.started, args.exit_at)
        return 0
    if args.child:
        child(args.db, args.started, args.samples, args.exit_at)
        return 0
    if args.instructions:
        return instructions(args.db, args.src)
    # The app's bytecode as scripts/setup.sh leaves it (compiled): with PYTHONDONTWRITEBYTECODE
    # set and no .pyc, every child would compile the sources and time the compiler.
    import compileall
    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "src"), quiet=1)
    runs, bare = [], []
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for _ in range(3):  # app and bare baseline interleaved: both see the same machine load
        for target, extra in ((bare, ["--bare"]), (runs, ["--child"])):
            started = time.time()
            proc = subprocess.run([sys.executable, __file__, *extra, "--db", str(args.db),
                                   "--started", repr(started), "--samples", str(args.samples)],
                                  capture_output=True, text=True, env=env)
            line = next((l for l in proc.stdout.splitlines() if l.startswith("RESULT ")), None)
            if line is None:
                print(proc.stdout, proc.stderr)
                return 1
            target.append(json.loads(line[7:]))
    key = [x for r in runs for x in r["keystroke_ms"]]
    scan = [x for r in runs for x in r["scan_ms"]]
    print(f"3 runs, {len(key)} keystrokes, {len(scan)} scans, db {args.db}, "
          f"load average {os.getloadavg()[0]:.1f}")
    def median(values):
        return sorted(values)[len(values) // 2]

    floor = median([b["to_shown_s"] for b in bare])
    floor_rss = max(b["peak_rss_mb"] for b in bare)
    login, counter = median([r["to_login_s"] for r in runs]), median([r["to_counter_s"] for r in runs])
    opened = median([r["db_open_s"] for r in runs])
    after = median([r["login_to_counter_s"] for r in runs])
    rss = max(r["peak_rss_mb"] for r in runs)
    rows = [
        ("bare QApplication + QWidget shown (median)", f"{floor:.2f} s", "baseline", "1.0x"),
        ("start -> log-in screen (median of 3)", f"{login:.2f} s", "<= 1.0 s", f"{login / floor:.1f}x"),
        ("start -> database open behind the log-in", f"{opened:.2f} s", "", f"{opened / floor:.1f}x"),
        ("start -> usable counter page (PIN at once)", f"{counter:.2f} s", "<= 1.5 s", f"{counter / floor:.1f}x"),
        ("log-in accepted -> usable counter page", f"{after:.2f} s", "", f"{after / floor:.1f}x"),
        ("keystroke -> results painted p50 / p95", f"{pct(key, 50):.1f} / {pct(key, 95):.1f} ms", "p95 <= 30 ms", ""),
        ("scan -> member panel painted p50 / p95", f"{pct(scan, 50):.1f} / {pct(scan, 95):.1f} ms", "p95 <= 30 ms", ""),
        ("peak RSS (max of 3; bare)", f"{rss:.0f} MB ({floor_rss:.0f})", "<= 200 MB", f"{rss / floor_rss:.1f}x"),
    ]
    print(f"| {'what':<42} | {'value':<16} | {'target':<12} | {'/ bare':<6} |")
    for name, value, target, ratio in rows:
        print(f"| {name:<42} | {value:<16} | {target:<12} | {ratio:<6} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
