"""Timing of the documents layer: card sheets, receipt PDF, ESC/POS job, labels.

Plain script: ``python bench/bench_documents.py [--repeat N]``. Inputs are built in
memory (no database) so only rendering is measured; output goes to BytesIO.
Targets: 1,000 cards <= 10 s, receipt PDF <= 100 ms, ESC/POS <= 20 ms.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from datetime import datetime
from types import SimpleNamespace

from counter_app.documents import (
    card_sheet_pdf, label_sheet_pdf, pdf_font, receipt_escpos, receipt_lines, receipt_pdf,
)
from counter_app.card_codes import next_code
from counter_app.members import MemberRow
from counter_app.redemption import Receipt, ReceiptLine


def members(n: int) -> list[MemberRow]:
    return [MemberRow(id=i, name=f"测试居民{i:04d}", category="resident", category_label="居民",
                      card_code=next_code("XF01", i - 1)[0], phone_masked="138****5678",
                      compound="锦绣江南", building=f"{i % 30 + 1}栋", unit="2单元",
                      room=f"{i % 6 + 1}0{i % 4 + 1}", balance=100, status="active",
                      birth_date=None, work_unit=None) for i in range(1, n + 1)]


RECEIPT = Receipt(
    receipt_no="XF01-000123", created_at=datetime(2024, 5, 1, 6, 30), community="幸福社区",
    counter_id="XF01", counter_name="幸福社区积分超市", operator="管理员", member_id=1,
    member_name="曾小明", phone_masked="138****5678",
    lines=(ReceiptLine("大米5kg", 1, 20), ReceiptLine("金龙鱼食用植物调和油（非转基因）1.8L", 2, 35),
           ReceiptLine("洗衣皂", 3, 5), ReceiptLine("爱心理发", 1, 10)),
    total=115, balance_before=300,
)
LABELS = [(SimpleNamespace(name=f"物品{i}", points=i + 1, unit="件"),
           "6901234567892" if i % 2 else f"ITEM{i:04d}") for i in range(240)]


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=50, help="repeats of the small jobs")
    args = ap.parse_args()

    t = time.perf_counter()
    font = pdf_font()
    font_s = time.perf_counter() - t
    cards = members(1000)
    sizes: dict[str, int] = {}

    def cards_job():
        buf = io.BytesIO()
        card_sheet_pdf(cards, "幸福社区", buf)
        sizes["1,000 member cards (100 pages)"] = buf.tell()

    def cards_qr_job():
        buf = io.BytesIO()
        card_sheet_pdf(cards, "幸福社区", buf, qr=True)
        sizes["1,000 member cards + QR"] = buf.tell()

    def receipt_job():
        buf = io.BytesIO()
        receipt_pdf(RECEIPT, buf, 58)
        sizes["receipt PDF (58 mm)"] = buf.tell()

    def escpos_job():
        sizes["receipt ESC/POS (58 mm)"] = len(receipt_escpos(RECEIPT, 58))

    def labels_job():
        buf = io.BytesIO()
        label_sheet_pdf(LABELS, buf)
        sizes["240 shelf labels (10 pages)"] = buf.tell()

    rows = [
        ("1,000 member cards (100 pages)", cards_job, 5, 10.0),
        ("1,000 member cards + QR", cards_qr_job, 3, None),
        ("240 shelf labels (10 pages)", labels_job, 5, None),
        ("receipt PDF (58 mm)", receipt_job, args.repeat, 0.100),
        ("receipt ESC/POS (58 mm)", escpos_job, args.repeat * 4, 0.020),
        ("receipt_lines (layout only)", lambda: receipt_lines(RECEIPT, 32), args.repeat * 4, None),
    ]
    receipt_job()  # warm-up: first subset of the font, imports
    print(f"font: {font.path or font.name} (embedded={font.embedded}), "
          f"first registration {font_s * 1000:.0f} ms\n")
    print(f"{'job':34} {'n':>5} {'p50':>10} {'p95':>10} {'target':>9} {'ok':>3} {'bytes':>10}")
    for name, fn, repeat, target in rows:
        times = timed(fn, repeat)
        p50, p95 = statistics.median(times), pct(times, 95)

        def fmt(s):
            return f"{s * 1000:8.1f}ms" if s < 1 else f"{s:8.2f} s"
        ok = "" if target is None else ("yes" if p95 <= target else "NO")
        tgt = "" if target is None else fmt(target)
        size = sizes.get(name)
        print(f"{name:34} {repeat:>5} {fmt(p50):>10} {fmt(p95):>10} {tgt:>9} {ok:>3} "
              f"{size if size is not None else '':>10}")


if __name__ == "__main__":
    main()
