"""Day close (日结, issue 11 item 2): figures equal sums computed independently from the
journals; the chain heads are the last journal entries; closing is idempotent and a past
day re-prints the stored report; the printed PDF says what the report says."""

import sqlite3
import subprocess
import unicodedata
from collections import defaultdict
from datetime import datetime, timedelta

import pytest

from counter_app import clock, localtime
from counter_app.day import day_close
from counter_app.documents.day_slips import day_close_slip, slip_bytes

from day_fixtures import DAY, at, generate_day


def _rows(path, sql, *args):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def _bounds(day):
    return (localtime.day_start_utc(day), localtime.day_start_utc(day + timedelta(days=1)))


def _independent(path, day):
    """The day's figures from the raw journals, in Python, not in the module's SQL."""
    lo, hi = _bounds(day)
    points = [dict(zip(("id", "kind", "delta", "reverses_id", "ref", "created_at"), r))
              for r in _rows(path, "SELECT id, kind, delta, reverses_id, ref, created_at "
                                   "FROM points_journal WHERE counter_id = 'XF01'")]
    for p in points:
        p["created_at"] = datetime.fromisoformat(p["created_at"])
    reversed_ids = {p["reverses_id"] for p in points if p["reverses_id"]}
    in_day = [p for p in points if lo <= p["created_at"] < hi]
    red = [p for p in in_day if p["kind"] == "redemption" and p["id"] not in reversed_ids]
    awards = [p for p in in_day if p["kind"] == "award" and p["id"] not in reversed_ids]
    receipts = {p["ref"] for p in red}
    per_cat = defaultdict(lambda: [set(), 0, 0])
    for no, cat, qty, unit in _rows(
            path, "SELECT d.receipt_no, i.category, l.qty, l.unit_points FROM redemption_lines l "
                  "JOIN redemptions d ON d.id = l.redemption_id "
                  "JOIN exchange_items i ON i.id = l.item_id"):
        if no in receipts:
            per_cat[cat][0].add(no)
            per_cat[cat][1] += qty
            per_cat[cat][2] += qty * unit
    stock = defaultdict(lambda: [0, 0])
    for kind, delta, created in _rows(path, "SELECT kind, delta, created_at FROM stock_journal "
                                            "WHERE counter_id = 'XF01'"):
        if lo <= datetime.fromisoformat(created) < hi:
            stock[kind][0] += 1
            stock[kind][1] += delta
    return dict(redemptions=len(red), points=-sum(p["delta"] for p in red),
                awards=len(awards), awarded=sum(p["delta"] for p in awards),
                categories={c: (len(v[0]), v[1], v[2]) for c, v in per_cat.items()},
                stock=dict(stock), points_today=len(in_day))


def _last(path, table):
    return _rows(path, f"SELECT seq, hash FROM {table} WHERE counter_id = 'XF01' "
                       f"ORDER BY seq DESC LIMIT 1")[0]


def test_day_close_figures_equal_the_journals_and_heads_the_last_entries(counter):
    gen = generate_day(counter)
    path = counter.db.path
    with clock.frozen(at(DAY.replace(day=6), 9)):  # a past day, closed late
        closed = day_close.close_day(counter.db, counter.admin, DAY)
    report = closed.report
    expect = _independent(path, DAY)
    assert closed.new and report.day == DAY
    assert report.redemptions == expect["redemptions"] == len(gen.receipts) - 1
    assert report.points_redeemed == expect["points"]
    assert report.awards_recorded == expect["awards"] and report.points_awarded == expect["awarded"]
    assert {r.category: (r.receipts, r.qty, r.points) for r in report.categories} \
        == expect["categories"]
    assert sum(r.points for r in report.categories) == report.points_redeemed
    by_kind = defaultdict(lambda: [0, 0])
    for row in report.stock:
        by_kind[row.kind][0] += row.entries
        by_kind[row.kind][1] += row.qty
    assert {k: list(v) for k, v in by_kind.items()} == {k: v for k, v in expect["stock"].items()}
    # the source a receive was given (its ref), with its note (trial: 入库·未注明)
    assert {(r.kind, r.source) for r in report.stock} >= {("receive", "社区采购：街道配送"),
                                                          ("adjustment", "盘点破损"),
                                                          ("redemption", "兑换小票")}
    voucher = [v for v in report.vouchers if v.merchant == "张记面馆"]
    assert voucher and voucher[0].points == 15 * voucher[0].qty
    (void,) = report.voids
    assert (void.receipt_no, void.reason, void.requested_by, void.approved_by) == \
        (gen.voided, "扫错了物品", "王阿姨", "管理员")
    # Closed late: the heads are those at the end of the day, not today's.
    lo, hi = _bounds(DAY)
    day_last = _rows(path, "SELECT seq, hash FROM points_journal WHERE counter_id = 'XF01' "
                           "AND created_at < ? ORDER BY seq DESC LIMIT 1", hi.isoformat(sep=" "))
    assert (report.head("points").seq, report.head("points").hash) == day_last[0]
    assert report.head("points").entries_today == expect["points_today"]


def test_closing_today_anchors_the_current_heads_once(counter, run_cli, tmp_path):
    generate_day(counter)
    path = counter.db.path
    with clock.frozen(at(DAY.replace(day=5), 20)) as c:
        first = day_close.close_day(counter.db, counter.volunteer)
        assert (first.report.head("points").seq, first.report.head("points").hash) == \
            _last(path, "points_journal")
        assert (first.report.head("stock").seq, first.report.head("stock").hash) == \
            _last(path, "stock_journal")
        c.advance(hours=1)
        from counter_app import ledger
        ledger.adjust(counter.db, counter.admin, 1, 5, "日结之后")
        again = day_close.close_day(counter.db, counter.admin)  # idempotent: the stored one
    assert not again.new and again.report == first.report
    stored = _rows(path, "SELECT points_seq, points_hash, closed_by FROM day_closes")
    assert stored == [(first.report.head("points").seq, first.report.head("points").hash,
                       counter.volunteer.operator_id)]
    outbox = _rows(path, "SELECT payload FROM outbox WHERE table_name = 'day_closes'")
    assert len(outbox) == 1 and first.report.head("points").hash in outbox[0][0]
    con = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="written once"):
        con.execute("UPDATE day_closes SET points_hash = 'x'")
    con.close()


def test_the_report_prints_as_pdf_and_escpos_with_the_full_heads(counter, run_cli, tmp_path):
    generate_day(counter)
    counter.db.dispose()
    out = tmp_path / "day.pdf"
    env = {"COUNTER_APP_SETTINGS": str(tmp_path / "settings.json")}
    unsigned = run_cli("--db", counter.db.path, "day", "close", "--date", DAY.isoformat(),
                       "--out", out, "--no-backup", env=env)
    assert unsigned.rc == 2 and "日结要由操作员签名" in unsigned.stderr and not out.exists()
    wrong = run_cli("--db", counter.db.path, "day", "close", "--date", DAY.isoformat(),
                    "--out", out, "--no-backup", "--operator", "管理员", "--pin", "0000",
                    env=env)
    assert wrong.rc == 2 and "PIN" in wrong.stderr and not out.exists()
    done = run_cli("--db", counter.db.path, "day", "close", "--date", DAY.isoformat(),
                   "--out", out, "--no-backup", "--operator", "管理员",
                   env={**env, "COUNTER_APP_PIN": "1234"})
    assert done.rc == 0, done
    assert "日结完成：2026-03-04" in done.stdout and "未配置街道" in done.stdout
    text = unicodedata.normalize("NFKC", subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
        check=True).stdout)
    points_seq, points_hash = _rows(counter.db.path, "SELECT points_seq, points_hash "
                                                     "FROM day_closes")[0]
    flat = text.replace(" ", "").replace("\n", "")
    assert "日结报表" in text and "2026-03-04" in text and "作废" in text and "扫错了物品" in text
    assert points_hash in flat and f"第{points_seq}条" in flat
    again = run_cli("--db", counter.db.path, "day", "close", "--date", DAY.isoformat(),
                    "--out", tmp_path / "again.bin", "--width", "58", env=env)
    assert again.rc == 0 and "该日已日结，重新打印" in again.stdout
    escpos = (tmp_path / "again.bin").read_bytes()
    assert "补打".encode("gb18030") in escpos and points_hash[:8].encode() in escpos
    future = run_cli("--db", counter.db.path, "day", "close", "--date", "2099-01-01",
                     "--out", tmp_path / "f.pdf", env=env)
    assert future.rc == 2 and "还没到" in future.stderr and not (tmp_path / "f.pdf").exists()


def test_slips_fit_both_paper_widths(counter):
    generate_day(counter)
    with clock.frozen(at(DAY, 21)):
        report = day_close.close_day(counter.db, counter.admin).report
    from counter_app.documents.slip import text_width

    for width, cols in ((58, 32), (80, 48)):
        slip = day_close_slip(report, width)
        assert all(text_width(line) <= cols for line in slip.text_lines() if line.strip())
        assert slip_bytes(slip, width, pdf=True).startswith(b"%PDF")


def test_redemptions_after_the_close_come_as_a_supplement_and_the_close_stays(counter):
    """A resident who comes after the day was closed: the closed report is not rewritten;
    printing the day again adds a supplement (补充日结) with the day's figures now."""
    from counter_app import redemption
    from counter_app.redemption import CartLine

    day = generate_day(counter)
    with clock.frozen(at(DAY, 16)):
        closed = day_close.close_day(counter.db, counter.admin, DAY)
        assert day_close.after_close(counter.db, closed.report) is None
    member = counter.member(name="晚来的会员", points=50)
    with clock.frozen(at(DAY, 17)):
        redemption.checkout(counter.db, counter.volunteer, member, [CartLine(counter.soap, 2)])
    with clock.frozen(at(DAY, 18)):
        again = day_close.close_day(counter.db, counter.admin, DAY)
        late = day_close.after_close(counter.db, again.report)
    assert not again.new and again.report == closed.report  # as closed, unchanged
    assert late is not None and late.redemptions == closed.report.redemptions + 1
    soap_points = late.points_redeemed - closed.report.points_redeemed
    assert soap_points > 0 and late.head("points").seq > closed.report.head("points").seq
    text = "\n".join(day_close_slip(again.report, 80, reprint=True,
                                    supplement=late).text_lines())
    assert text.index("补打") < text.index("补充日结")
    flat = text.replace("\n", "").replace(" ", "")
    assert f"日结之后本日又有：兑换1笔、{soap_points}分，积分记录0笔，库存变动1条" in flat
    assert late.head("points").hash in flat
    assert len(day.receipts) == closed.report.redemptions + 1  # one of the day was voided


def test_stock_movements_are_named_by_their_source_and_kind_in_chinese(counter):
    """Trial: every receive printed as 入库·未注明 and a write-off as writeoff·破损."""
    from counter_app.db.stock_models import ReceiveSource, WriteOffReason
    from counter_app.merchants import add as add_merchant
    from counter_app.stock.receive import receive, write_off

    shop = add_merchant(counter.db, counter.stock_staff, "惠民超市")
    with clock.frozen(at(DAY, 10)):
        receive(counter.db, counter.stock_staff, counter.soap, 10, source=ReceiveSource.PURCHASE)
        receive(counter.db, counter.stock_staff, counter.soap, 5, source=ReceiveSource.DONATION,
                merchant_id=shop)
        write_off(counter.db, counter.admin, counter.soap, 2, WriteOffReason.DAMAGED)
    with clock.frozen(at(DAY, 20)):
        report = day_close.close_day(counter.db, counter.admin, DAY).report
    shown = {(r.kind_label, r.source, r.qty) for r in report.stock}
    assert {("入库", "社区采购", 10), ("入库", "商家让利（惠民超市）", 5),
            ("报损", "破损", -2)} <= shown
    text = "\n".join(day_close_slip(report, 80).text_lines())
    assert "writeoff" not in text and "未注明" not in text


def test_day_status_tells_a_day_closed_from_the_command_line(counter):
    """Trial: a day closed without anybody logging in at the counter read 尚未开门."""
    from counter_app.day import shifts

    with clock.frozen(at(DAY, 20)):
        assert "尚未开门" in shifts.day_status(counter.db, DAY).describe()
        day_close.close_day(counter.db, counter.admin, DAY)
        text = shifts.day_status(counter.db, DAY).describe()
    assert "已于 20:00 日结" in text and "尚未开门" not in text


def test_the_report_names_the_last_successful_sync_however_it_ran(counter):
    """Trial: 上次同步 从未 on a counter synced from the command line (only the window wrote
    the setting the report read; every sync writes a sync_runs row)."""
    from sqlalchemy import text

    with counter.db.write() as s:
        s.execute(text("INSERT INTO sync_runs (started_at, finished_at, ok) VALUES "
                       "('2026-03-04 01:00:00.000000', '2026-03-04 01:00:05.000000', 1), "
                       "('2026-03-04 02:00:00.000000', '2026-03-04 02:00:09.000000', 0)"))
    with clock.frozen(at(DAY, 20)):
        report = day_close.close_day(counter.db, counter.admin, DAY).report
    expected = localtime.to_local(datetime(2026, 3, 4, 1, 0, 5)).strftime("%Y-%m-%d %H:%M")
    assert report.last_sync == expected
