"""Governance papers and the roster import at community and district scale.

- monthly notice (build + PDF) for a 10,000-member demo community (goal <= 5 s);
- roster import of 20,000 rows (.xlsx: read, check every row, register in one write)
  (goal <= 20 s);
- yearly honours (build + PDF with certificates) on 100,000 members (goal <= 10 s).

Usage: python bench/bench_reports.py [--notice-members N] [--honours-members N]
[--rows N] [--dir DIR] (demo databases are cached in DIR, default /tmp/bench_reports).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

AS_OF = date(2026, 11, 30)


def demo(path: Path, n: int) -> Path:
    from counter_app.demo import build_demo

    if not path.exists():
        t = time.perf_counter()
        build_demo(path, members=n, as_of=AS_OF)
        print(f"  (built demo of {n} members in {time.perf_counter() - t:.0f} s)")
    return path


def timed(label: str, fn):
    """Wall time (returned) and this process's CPU time beside it: the machine is shared."""
    t, cpu = time.perf_counter(), time.process_time()
    result = fn()
    took = time.perf_counter() - t
    print(f"{label}: {took:.2f} s wall, {time.process_time() - cpu:.2f} s CPU")
    return result, took


def bench_notice(folder: Path, n: int) -> float:
    from counter_app.db import open_database
    from counter_app.reports import notice

    db = open_database(demo(folder / f"demo{n}.db", n))
    def run():
        nt = notice.build(db, f"{AS_OF:%Y-%m}")
        data, pages = notice.pdf(nt)
        return len(nt.members), pages, len(data)
    (members, pages, size), took = timed(f"notice, {n} members", run)
    print(f"  {members} members on the notice, {pages} pages, {size // 1024} KiB")
    db.dispose()
    return took


def roster(path: Path, rows: int) -> Path:
    import openpyxl

    from counter_app.demo import people

    rng = random.Random(7)
    # Shared strings, as Excel and WPS save a roster (a write-only workbook's inline strings
    # take openpyxl ~4x longer to read back).
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "类别", "手机", "身份证号", "小区", "楼栋", "单元", "门牌", "工作单位"])
    phones: set[str] = set()
    ids: set[str] = set()
    for i in range(rows):
        name, female = people.person_name(rng)
        born = people.birth_date(rng, AS_OF)
        while True:
            id_number = people.id_number(rng, born, female)
            if id_number not in ids:
                ids.add(id_number)
                break
            born -= timedelta(days=1)
        party = i % 10 == 0
        ws.append([name, "在职党员" if party else "居民", people.phone(rng, phones), id_number,
                   f"第{i % 12 + 1}小区", f"{i % 30 + 1}栋", f"{i % 4 + 1}单元", f"{i % 600 + 101}",
                   "区卫健委" if party else None])
    wb.save(path)
    return path


def bench_import(folder: Path, rows: int) -> float:
    from counter_app import counters, operators, roster_import
    from counter_app.db import open_database
    from counter_app.db.models import Role

    db_path = folder / "import.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    db = open_database(db_path)
    info = counters.create_community(db, street="和平街道", community="幸福社区", code="XF",
                                     counter_id="XF01", counter_name="幸福社区积分超市")
    admin = operators.authenticate(db, operators.add_operator(db, None, "管理员", Role.ADMIN, "1234"),
                                   "1234", info.id)
    path = roster(folder / f"roster{rows}.xlsx", rows)
    def run():
        t, cpu = time.perf_counter(), time.process_time()
        plan = roster_import.read_roster(db, path)
        print(f"  read and checked in {time.perf_counter() - t:.2f} s wall, "
              f"{time.process_time() - cpu:.2f} s CPU")
        return roster_import.apply(db, admin, plan)
    plan, took = timed(f"roster import, {rows} rows", run)
    print(f"  {plan.created} members, {plan.places} places")
    db.dispose()
    return took


def bench_honours(folder: Path, n: int) -> float:
    from counter_app.db import open_database
    from counter_app.reports import honours

    db = open_database(demo(folder / f"demo{n}.db", n))
    def run():
        h = honours.build(db, AS_OF.year)
        return h, honours.pdf(h)
    (h, (data, pages)), took = timed(f"honours, {n} members", run)
    print(f"  {len(h.stars)} stars, {len(h.compounds)} compounds, {pages} pages")
    db.dispose()
    return took


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--notice-members", type=int, default=10_000)
    p.add_argument("--honours-members", type=int, default=100_000)
    p.add_argument("--rows", type=int, default=20_000)
    p.add_argument("--dir", type=Path, default=Path("/tmp/bench_reports"))
    p.add_argument("--only", choices=("notice", "import", "honours"))
    a = p.parse_args()
    a.dir.mkdir(parents=True, exist_ok=True)
    if a.only in (None, "notice"):
        bench_notice(a.dir, a.notice_members)
    if a.only in (None, "import"):
        bench_import(a.dir, a.rows)
    if a.only in (None, "honours"):
        bench_honours(a.dir, a.honours_members)
    shutil.rmtree(a.dir / "import.db", ignore_errors=True)


if __name__ == "__main__":
    main()
