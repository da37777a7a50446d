"""Stock targets of issue 9: import of 5,000 items <= 5 s; a restock commit p95 <= 15 ms;
approving a stocktake of 500 items <= 2 s; a monthly settlement for 100 merchants <= 5 s
(PDF and .xlsx, 20 vouchers each).

Usage: python bench/bench_stock.py [--items 5000] [--restocks 300] [--count 500]
       [--merchants 100] [--only restock]. Builds its own database in a temporary folder.

The restock commit is reported as wall time and as CPU time of the calling thread (the
part the stock code controls; on a loaded machine the wall tail is mostly the WAL fsync),
with the SQL statements per commit and, for comparison, a bare one-row commit on the same
file (the floor any commit pays).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sqlalchemy import insert, select  # noqa: E402

from counter_app import counters, item_import, operators, stock  # noqa: E402
from counter_app.db import open_database  # noqa: E402
from counter_app.db.models import ExchangeItem, ItemKind, Member, Role  # noqa: E402
from counter_app.db.stock_models import Merchant, Voucher, VoucherUse  # noqa: E402
from counter_app.documents.table_pdf import render  # noqa: E402
from counter_app.ids import uuid7  # noqa: E402
from counter_app.item_codes import _luhn  # noqa: E402
from counter_app.reports import stock_reports  # noqa: E402
from counter_app.stock import stocktake  # noqa: E402


def timed(fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t, out


def _p95(samples: list[float]) -> float:
    samples = sorted(samples)
    return samples[max(0, int(len(samples) * 0.95) - 1)]


def restock(db, admin, ids, n_commits: int) -> None:
    from sqlalchemy import event, text

    statements = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda *args: statements.append(1) if statements is not None else None)
    for n in range(20):  # warm the statement caches
        stock.receive_goods(db, admin, ids[n % len(ids)], 20, "purchase")
    statements.clear()
    wall, cpu = [], []
    for n in range(n_commits):
        c0, w0 = time.thread_time(), time.perf_counter()
        stock.receive_goods(db, admin, ids[n % len(ids)], 20, "purchase")
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    per_commit = len(statements) / n_commits
    with db.write() as s:
        s.execute(text("CREATE TABLE IF NOT EXISTS bench_floor (n INTEGER)"))
    floor = []
    for n in range(n_commits):
        w0 = time.perf_counter()
        with db.write() as s:
            s.execute(text("INSERT INTO bench_floor VALUES (:n)"), {"n": n})
        floor.append((time.perf_counter() - w0) * 1000)
    print(f"restock commit ({n_commits}): wall median {statistics.median(wall):.1f} ms, "
          f"p95 {_p95(wall):.1f} ms  target p95 <= 15 ms; CPU median "
          f"{statistics.median(cpu):.2f} ms, p95 {_p95(cpu):.2f} ms; "
          f"{per_commit:.1f} SQL statements a commit")
    print(f"bare one-row commit on the same file: wall median {statistics.median(floor):.1f} ms,"
          f" p95 {_p95(floor):.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=5000)
    ap.add_argument("--restocks", type=int, default=300)
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--merchants", type=int, default=100)
    ap.add_argument("--only", choices=["restock"], help="run only the restock commits")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-stock-"))
    db = open_database(tmp / "counter.db")
    info = counters.create_community(db, street="和平街道", community="幸福社区", code="XF",
                                     counter_id="XF01", counter_name="幸福社区积分超市")
    admin_id = operators.add_operator(db, None, "管理员", Role.ADMIN, "1234")
    admin = operators.authenticate(db, admin_id, "1234", info.id)

    if a.only == "restock":
        a.items = 500
    # 1. import of N items (.csv; the .xlsx path reads the same rows)
    path = tmp / "items.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["名称", "类型", "类别", "单位", "积分", "条码", "低库存提醒"])
        for i in range(a.items):
            body = f"69{i:010d}"
            from stdnum import ean
            w.writerow([f"物品{i:05d}", "实物", ("粮油", "日用品", "食品")[i % 3], "件",
                        1 + i % 50, body + ean.calc_check_digit(body), 5])
    t_import, result = timed(item_import.import_items, db, admin, path)
    print(f"import {a.items} items (.csv): {t_import:.2f} s  ({result})  target <= 5 s")
    t_reimport, result = timed(item_import.import_items, db, admin, path)
    print(f"re-import unchanged: {t_reimport:.2f} s  ({result})")

    # 2. restock commits
    with db.read() as s:
        ids = list(s.scalars(select(ExchangeItem.id).order_by(ExchangeItem.id)))
    restock(db, admin, ids, a.restocks)
    if a.only == "restock":
        db.dispose()
        return

    # 3. stocktake of N items, approved
    with db.write() as s:  # a category with exactly N goods
        s.execute(ExchangeItem.__table__.update().where(ExchangeItem.id.in_(ids[:a.count]))
                  .values(category="盘点区"))
    sid = stocktake.open_session(db, admin, "盘点区")
    for n, item_id in enumerate(ids[:a.count]):
        stocktake.count(db, admin, sid, item_id, 20 - (n % 3), shelf="A")
    t_approve, rows = timed(stocktake.approve, db, admin, sid)
    print(f"approve a stocktake of {a.count} items ({len(rows)} adjustments): {t_approve:.2f} s"
          f"  target <= 2 s")

    # 4. monthly settlement for M merchants, 20 vouchers each, half used
    now = datetime.utcnow().replace(microsecond=0) - timedelta(hours=1)
    with db.write() as s:
        member = Member(community_id=info.community_id, kind="person", category="resident",
                        name="张三", card_code="XF010000001", created_at=now, name_pinyin="zhangsan",
                        name_initials="zs")
        s.add(member)
        s.flush()
        offer = ExchangeItem(community_id=info.community_id, kind=ItemKind.MERCHANT_OFFER,
                             category="商家优惠", name="九折券", unit="张", points=10,
                             tracks_stock=False, active=True)
        s.add(offer)
        s.flush()
        n = 0
        for m in range(a.merchants):
            merchant = Merchant(community_id=info.community_id, name=f"商家{m:03d}",
                                address=f"幸福路 {m} 号", active=True, created_at=now)
            s.add(merchant)
            s.flush()
            for k in range(20):
                n += 1
                digits = f"{n:010d}"
                s.execute(insert(Voucher).values(
                    uid=uuid7(), code=f"VC-{digits}{_luhn(digits)}", item_id=offer.id,
                    merchant_id=merchant.id, member_id=member.id, counter_id="XF01",
                    receipt_no=f"XF01-{n:06d}", points=10, issued_at=now,
                    valid_until=now + timedelta(days=30)))
        s.flush()
        vids = list(s.scalars(select(Voucher.id)))
        s.execute(insert(VoucherUse), [dict(uid=uuid7(), voucher_id=v, kind="used",
                                            counter_id="XF01", at=now) for v in vids[::2]])
    from counter_app.localtime import local_date
    month = local_date(now).strftime("%Y-%m")

    def settle():
        with db.read() as s:
            label, rows = stock_reports.settlement(s, month)
        pdf = render(stock_reports.settlement_document(label, rows, "幸福社区"))
        (tmp / "settle.pdf").write_bytes(pdf)
        stock_reports.write_sheets(tmp / "settle.xlsx", stock_reports.settlement_sheets(rows))
        return rows
    t_settle, rows = timed(settle)
    print(f"monthly settlement, {len(rows)} merchants x 20 vouchers (PDF + .xlsx): "
          f"{t_settle:.2f} s  target <= 5 s")
    db.dispose()


if __name__ == "__main__":
    main()
