"""Stock targets of issue 9: import of 5,000 items <= 5 s; a restock commit p95 <= 15 ms;
approving a stocktake of 500 items <= 2 s; a monthly settlement for 100 merchants <= 5 s
(PDF and .xlsx, 20 vouchers each).

Usage: python bench/bench_stock.py [--items 5000] [--restocks 300] [--count 500]
       [--merchants 100]. Builds its own database in a temporary folder.
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=5000)
    ap.add_argument("--restocks", type=int, default=300)
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--merchants", type=int, default=100)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-stock-"))
    db = open_database(tmp / "counter.db")
    info = counters.create_community(db, street="和平街道", community="幸福社区", code="XF",
                                     counter_id="XF01", counter_name="幸福社区积分超市")
    admin_id = operators.add_operator(db, None, "管理员", Role.ADMIN, "1234")
    admin = operators.authenticate(db, admin_id, "1234", info.id)

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
    samples = []
    for n in range(a.restocks):
        t, _ = timed(stock.receive_goods, db, admin, ids[n % len(ids)], 20, "purchase")
        samples.append(t * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"restock commit ({a.restocks}): median {statistics.median(samples):.1f} ms, "
          f"p95 {p95:.1f} ms  target p95 <= 15 ms")

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
