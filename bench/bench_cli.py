"""Start-up of the command line: how long ``counter-app --help``, ``check`` and ``search``
take as fresh processes, against a bare ``python -c "import sqlite3"`` in the same run.
Usage: python bench/bench_cli.py [--members N] [--db PATH] [--runs N] [--src DIR ...]
       [--instructions]  (valgrind callgrind instruction counts beside the wall times)
(``--src`` another checkout's src/ to compare, e.g. the commit before a change.)

Per command: median wall time of N runs, its ratio to the bare interpreter, and the
import share (sum of the top-level imports in ``python -X importtime``), i.e. what the
command costs before it touches the database. Also lists any heavy library (Qt,
reportlab, python-escpos, openpyxl, pypinyin …) a command loaded.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
HEAVY = ("PySide6", "shiboken6", "reportlab", "escpos", "openpyxl", "barcode", "qrcode",
         "PIL", "pypinyin", "serial", "yaml")


def env(src: Path = SRC) -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = os.pathsep.join([str(src), e.get("PYTHONPATH", "")])
    return e


def wall(argv: list[str], runs: int, src: Path) -> float:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(argv, env=env(src), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def import_share(argv: list[str], src: Path) -> tuple[float, list[str]]:
    """Seconds spent in top-level imports, and the heavy packages among all imports."""
    proc = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], env=env(src),
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    total, heavy = 0, set()
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _self, cumulative, name = line[len("import time:"):].split("|")
        if not cumulative.strip().isdigit():
            continue  # the header line
        if not name.startswith("  "):  # depth 0: "| name" has exactly one space
            total += int(cumulative)
        top = name.strip().split(".")[0]
        if top in HEAVY:
            heavy.add(top)
    return total / 1e6, sorted(heavy)


def instructions(argv: list[str], src: Path) -> int:
    """Instructions the command executes (valgrind callgrind "Collected"): a measure the
    load of a shared machine does not move, unlike wall time."""
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           *argv], env=env(src), stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    for line in proc.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1])
    raise RuntimeError(proc.stderr[-2000:])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=2000)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--src", type=Path, action="append", default=[],
                    help="also measure this src/ folder (repeatable)")
    ap.add_argument("--instructions", action="store_true",
                    help="also count instructions with valgrind callgrind (slow, load-proof)")
    args = ap.parse_args()
    db = args.db or Path(tempfile.mkdtemp()) / "bench_cli.db"
    if not db.exists():
        from counter_app.demo import build_demo

        build_demo(db, members=args.members, as_of=date(2026, 11, 20))
    from counter_app.card_codes import nth_code

    py = sys.executable
    app = [py, "-m", "counter_app", "--db", str(db)]
    cases = [
        ("python -c 'import sqlite3' (baseline)", [py, "-c", "import sqlite3"]),
        ("counter-app --help", [*app, "--help"]),
        ("counter-app check", [*app, "check"]),
        ("counter-app search <card>", [*app, "search", nth_code("XF01", 150)]),
        ("counter-app search 张", [*app, "search", "张"]),
    ]
    print(f"{args.members} members, median of {args.runs} runs, Python "
          f"{sys.version.split()[0]}, load {os.getloadavg()[0]:.2f}")
    counted = " | instructions | x baseline" if args.instructions else ""
    print(f"| src | command | wall | x baseline | imports | heavy libraries loaded{counted} |")
    print("| --- | --- | --- | --- | --- | --- |" + (" --- | --- |" if counted else ""))
    base = base_ir = None
    for src in [SRC, *args.src]:
        for label, argv in cases:
            if base is not None and argv[0:2] == [py, "-c"]:
                continue  # one baseline for all trees
            seconds = wall(argv, args.runs, src)
            base = base or seconds
            imports, heavy = import_share(argv, src)
            extra = ""
            if args.instructions:
                ir = instructions(argv, src)
                base_ir = base_ir or ir
                extra = f" {ir / 1e9:.2f} G | {ir / base_ir:.1f}x |"
            print(f"| {src} | {label} | {seconds:.3f} s | {seconds / base:.1f}x | "
                  f"{imports:.3f} s | {', '.join(heavy) or '—'} |{extra}", flush=True)

if __name__ == "__main__":
    main()
