"""Opening and shift handover (issue 11 item 1): the first log-in opens the day; a shift's
summary matches its operator's own entries, is kept, received by the next operator and
printable."""

import sqlite3
import subprocess
import unicodedata
from datetime import datetime

from counter_app import clock, redemption, stock
from counter_app.day import shifts
from counter_app.documents.day_slips import shift_slip, slip_bytes
from counter_app.redemption import CartLine

from day_fixtures import DAY, at


def _own_entries(path, operator_id, lo, hi):
    """Redemptions of one operator between lo and hi, from the points journal itself."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = con.execute("SELECT id, kind, delta, reverses_id, operator_id, created_at "
                       "FROM points_journal").fetchall()
    con.close()
    reversed_ids = {r[3] for r in rows if r[3]}
    mine = [r for r in rows if r[1] == "redemption" and r[4] == operator_id
            and lo <= datetime.fromisoformat(r[5]) <= hi and r[0] not in reversed_ids]
    return len(mine), -sum(r[2] for r in mine)


def test_first_login_opens_the_day_and_the_handover_matches_the_operators_entries(counter):
    mid = counter.member(points=200)
    other = counter.member(name="李四", points=200)
    with clock.frozen(at(DAY, 8, 30)) as c:
        first = shifts.log_in(counter.db, counter.volunteer)
        assert first.day_opened and first.handover is None
        again = shifts.log_in(counter.db, counter.volunteer)  # the same shift goes on
        assert not again.day_opened and again.shift_id == first.shift_id
        start = c.now_utc()
        receipts = []
        for n in range(5):
            c.advance(minutes=10)
            receipts.append(redemption.checkout(counter.db, counter.volunteer, mid,
                                                [CartLine(counter.soap, n + 1)]).receipt_no)
        c.advance(minutes=1)
        # someone else's redemption in the same hours: not in this summary
        redemption.checkout(counter.db, counter.admin, other, [CartLine(counter.soap, 1)])
        redemption.void(counter.db, counter.admin, receipts[1], "数量错了", requested_by="王阿姨")
        stock.adjust(counter.db, counter.admin, counter.rice, -8, "盘点")  # rice runs low
        c.advance(minutes=5)
        end = c.now_utc()
        summary = shifts.log_out(counter.db, counter.volunteer)
        assert (summary.redemptions, summary.points_redeemed) == \
            _own_entries(counter.db.path, counter.volunteer.operator_id, start, end) == (4, 65)
        assert [(v.receipt_no, v.reason, v.approved_by) for v in summary.voids] == \
            [(receipts[1], "数量错了", "管理员")]
        assert ("大米 5kg", 2) in {(i.name, i.qty) for i in summary.low_stock}
        c.advance(minutes=3)
        taken = shifts.log_in(counter.db, counter.admin)
    assert not taken.day_opened
    assert taken.handover is not None and taken.handover.received_by == "管理员"
    assert taken.handover.redemptions == summary.redemptions  # the same stored summary
    kept = shifts.stored_summary(counter.db, summary.shift_id)
    assert kept == taken.handover
    assert shifts.day_status(counter.db, DAY).on_duty == ("管理员",)
    con = sqlite3.connect(counter.db.path)
    assert con.execute("SELECT day, opened_by FROM counter_days").fetchall() == \
        [(DAY.isoformat(), counter.volunteer.operator_id)]
    con.close()


def test_a_shift_left_open_is_ended_and_handed_over_by_the_next_login(counter):
    mid = counter.member(points=100)
    with clock.frozen(at(DAY, 9)) as c:
        shifts.log_in(counter.db, counter.volunteer)
        c.advance(minutes=5)
        redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 2)])
        c.advance(hours=2)  # the app was closed without logging out
        taken = shifts.log_in(counter.db, counter.admin)
    assert taken.handover.operator == "王阿姨" and taken.handover.points_redeemed == 10


def test_the_summary_prints_on_paper_and_pdf(counter, tmp_path):
    mid = counter.member(points=100)
    with clock.frozen(at(DAY, 9)) as c:
        shifts.log_in(counter.db, counter.volunteer)
        c.advance(minutes=5)
        redemption.checkout(counter.db, counter.volunteer, mid, [CartLine(counter.soap, 2)])
        summary = shifts.log_out(counter.db, counter.volunteer)
    pdf = tmp_path / "shift.pdf"
    pdf.write_bytes(slip_bytes(shift_slip(summary, 58), 58, pdf=True))
    text = unicodedata.normalize("NFKC", subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
        check=True).stdout)
    assert "交接班小结" in text and "王阿姨" in text and "10分" in text.replace(" ", "")
    escpos = slip_bytes(shift_slip(summary, 80), 80, pdf=False)
    assert "交接班小结".encode("gb18030") in escpos
