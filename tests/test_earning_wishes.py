"""Micro-wishes: posted, claimed, completed -> pending awards through the review; the wish
wall PDF (pdftotext); the expiry policy as ledger entries with its notice; the CLI."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest

from counter_app import check, clock, ledger, member_details, redemption
from counter_app.db.models import Role
from counter_app.documents.layout import receipt_lines
from counter_app.earning import awards, catalogue, expiry, review, wishes
from counter_app.earning.errors import WishStateError
from counter_app.errors import InvalidInput
from counter_app.operators import Actor
from documents_fixtures import nfkc, pdftotext
from earning_helpers import credit


@pytest.fixture
def grid(counter):
    return Actor(None, "网格员", Role.GRID_WORKER, counter.info.id)


def balance(counter, mid) -> int:
    with counter.db.read() as s:
        return ledger.balance_of(s, mid)


def test_a_completed_wish_proposes_a_pending_award_for_the_claimant(counter, grid):
    helper = counter.member("吴志愿")
    wish = wishes.post(counter.db, grid, "帮独居老人换灯泡", "李奶奶",
                       due_date=catalogue.today(), item_id=counter.big_point_item)
    with pytest.raises(WishStateError, match="心愿“帮独居老人换灯泡”待认领，不能标记完成"):
        wishes.complete(counter.db, grid, wish.id)
    wishes.claim(counter.db, grid, wish.id, member_id=helper)
    with pytest.raises(WishStateError, match="已认领，不能认领"):
        wishes.claim(counter.db, grid, wish.id, team="青年志愿队")
    made = wishes.complete(counter.db, grid, wish.id)
    assert [(a.member_name, a.points, a.status, a.wish_id) for a in made] == [
        ("吴志愿", 15, "pending", wish.id)]
    assert balance(counter, helper) == 0  # pending until reviewed
    review.approve(counter.db, counter.reviewer, [made[0].id])
    assert balance(counter, helper) == 15
    with counter.db.read() as s:
        assert wishes.get_wish(s, wish.id).status_label == "已完成"


def test_a_team_claim_names_the_members_who_did_it(counter, grid):
    a, b = counter.member("郑甲"), counter.member("王乙")
    wish = wishes.post(counter.db, grid, "给小区修一张长椅", "阳光花园居民",
                       item_id=counter.point_item)
    wishes.claim(counter.db, grid, wish.id, team="红马甲志愿队")
    with pytest.raises(InvalidInput, match="由队伍认领，请给出完成心愿的队员"):
        wishes.complete(counter.db, grid, wish.id)
    made = wishes.complete(counter.db, grid, wish.id, participants=[a, b, a])
    assert sorted(x.member_name for x in made) == ["王乙", "郑甲"]
    with pytest.raises(InvalidInput, match="已经过了"):
        wishes.post(counter.db, grid, "过期的心愿", "某人", due_date=date(2000, 1, 1))


def test_wish_wall_pdf_shows_open_wishes_without_phone_numbers(counter, grid, tmp_path):
    from counter_app.documents.wish_wall import wish_wall_pdf

    wishes.post(counter.db, grid, "想学用智能手机挂号", "张爷爷", due_date=date(2099, 6, 1))
    taken = wishes.post(counter.db, grid, "需要轮椅借用一周", "刘阿姨")
    wishes.claim(counter.db, grid, taken.id, team="青年志愿队")
    with counter.db.read() as s:
        rows = wishes.wishes(s, ("posted", "claimed"))
    out = tmp_path / "wall.pdf"
    assert wish_wall_pdf(rows, out, community="幸福社区") == 1
    text = nfkc(pdftotext(out))
    for needle in ("幸福社区心愿征集墙", "心愿 1 号", "想学用智能手机挂号", "许愿人:张爷爷",
                   "期限:2099年06月01日", "待认领", "认领:青年志愿队", "期限:不限"):
        assert needle in text, needle


def test_expiry_none_by_default_then_next_year_end_as_ledger_entries(counter, grid):
    mid = counter.member("冯老")
    with clock.frozen(datetime(2025, 6, 1, 4)):
        credit(counter.db, counter.reviewer, mid, counter.big_point_item)  # 15 in 2025
        credit(counter.db, counter.reviewer, mid, counter.point_item)  # 10 in 2025
    with clock.frozen(datetime(2026, 3, 1, 4)):
        credit(counter.db, counter.reviewer, mid, counter.point_item)  # 10 in 2026
        redemption.checkout(counter.db, counter.volunteer, mid,
                            [redemption.CartLine(counter.soap, 1)])  # 5, oldest first
    with counter.db.read() as s:
        assert expiry.policy(s).mode == "none"
        assert expiry.notice(s, mid, date(2026, 12, 1)) is None  # nothing expires by default
    with clock.frozen(datetime(2027, 1, 2, 4)), pytest.raises(InvalidInput, match="不过期"):
        expiry.run(counter.db, counter.admin, 2025)
    expiry.set_policy(counter.db, counter.admin, "next_year_end", notice_days=45)
    with counter.db.read() as s:
        assert expiry.notice(s, mid, date(2026, 11, 1)) is None  # 60 days before: not yet
        assert expiry.notice(s, mid, date(2026, 11, 20)) == \
            "您有 20 分积分将于 2026年12月31日 到期，请在此前兑换"
    details = member_details.load(counter.db, mid, counter.info, now=datetime(2026, 11, 20, 4))
    assert details.expiry_notice == "您有 20 分积分将于 2026年12月31日 到期，请在此前兑换"
    with clock.frozen(datetime(2026, 11, 20, 4)):  # the slip of a checkout says it too
        slip = redemption.checkout(counter.db, counter.volunteer, mid,
                                   [redemption.CartLine(counter.soap, 1)])
    text = "".join("".join(receipt_lines(slip, 32)).split())  # wrapped: join without spaces
    assert "您有15分积分将于2026年12月31日到期" in text
    # every slip inside the window says it, as of its printing day: a reprint, a second
    # checkout, a void slip; outside the window none does
    with clock.frozen(datetime(2026, 11, 21, 4)), counter.db.read() as s:
        again = "".join("".join(receipt_lines(redemption.receipt(s, slip.receipt_no), 32)).split())
    assert "您有15分积分将于2026年12月31日到期" in again
    with clock.frozen(datetime(2026, 11, 22, 4)):
        second = redemption.checkout(counter.db, counter.volunteer, mid,
                                     [redemption.CartLine(counter.soap, 1)])
        assert "您有10分积分将于2026年12月31日到期" in "".join(
            "".join(receipt_lines(second, 32)).split())
        voided = redemption.void(counter.db, counter.admin, second.receipt_no, "拿错了",
                                 requested_by="冯老")
        assert "您有15分积分将于2026年12月31日到期" in "".join(
            "".join(receipt_lines(voided, 32)).split())
    with clock.frozen(datetime(2026, 10, 1, 4)), counter.db.read() as s:
        assert "到期" not in "".join(receipt_lines(redemption.receipt(s, slip.receipt_no), 32))
    with clock.frozen(datetime(2026, 12, 30, 4)), pytest.raises(InvalidInput, match="才到期"):
        expiry.run(counter.db, counter.admin, 2025)
    with clock.frozen(datetime(2027, 1, 2, 4)):
        done = expiry.run(counter.db, counter.admin, 2025)
        assert (done.members, done.points) == (1, 15)
        assert balance(counter, mid) == 10  # the 2026 points are left
        again = expiry.run(counter.db, counter.admin, 2025)
        assert (again.members, again.points) == (0, 0)  # never twice
    con = sqlite3.connect(counter.db.path)
    assert con.execute("SELECT delta, ref FROM points_journal WHERE kind = 'expiry'"
                       ).fetchall() == [(-15, "EXP2025")]
    assert con.execute("SELECT count(*) FROM outbox WHERE table_name = 'settings' AND "
                       "row_uid IN (SELECT uid FROM settings WHERE key = 'points_expiry')"
                       ).fetchone() == (1,)  # a community-wide setting: synced
    con.close()
    assert check.verify(counter.db.path).ok


def test_cli_records_reviews_and_prints_the_wall(counter, run_cli, tmp_path):
    db = counter.db.path
    mid = counter.member("褚七")
    counter.db.dispose()
    r = run_cli("--db", db, "earning", "record", "--member", mid, "--item", counter.point_item,
                "--operator", "管理员", "--pin", "1234")
    assert r.rc == 0 and "已记录（待审核）" in r.stdout, r.stderr
    r = run_cli("--db", db, "earning", "queue")
    assert "褚七" in r.stdout and "单项记录" in r.stdout
    award_id = r.stdout.splitlines()[1].split()[0]
    r = run_cli("--db", db, "earning", "approve", "--ids", award_id, "--operator", "管理员",
                "--pin", "1234")
    assert r.rc == 2 and "您本人录入的" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("--db", db, "earning", "approve", "--ids", award_id, "--operator", "陈书记",
                env={"COUNTER_APP_PIN": "4444"})
    assert r.rc == 0 and "已审核通过 1 条，共 10 分" in r.stdout, r.stderr
    r = run_cli("--db", db, "earning", "record", "--member", mid, "--item", counter.point_item,
                "--date", "2999-01-01", "--operator", "管理员", "--pin", "1234")
    assert r.rc == 2 and "活动还没有发生" in r.stderr
    r = run_cli("--db", db, "earning", "wish-wall", "--out", tmp_path / "w.pdf")
    assert r.rc == 0 and (tmp_path / "w.pdf").read_bytes().startswith(b"%PDF")
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT balance FROM points_accounts WHERE member_id = ?",
                           (mid,)).fetchone() == (10,)


def test_set_up_installs_the_chosen_scheme_in_the_same_transaction(tmp_path, run_cli):
    from counter_app import counters
    from counter_app.db import open_database

    setup = dict(street="和平街道", community="幸福社区", code="XF", counter_id="XF01",
                 counter_name="幸福社区积分超市", admin_name="管理员", admin_pin="1234")
    db = open_database(tmp_path / "b.db")
    with pytest.raises(InvalidInput, match="没有积分方案“C”"):
        counters.first_setup(db, **setup, point_scheme="C")
    counters.first_setup(db, **setup, point_scheme="B")
    with db.read() as s:
        assert len(catalogue.items(s)) == 35
    db.dispose()
    r = run_cli("--db", tmp_path / "a.db", "init", "--street", "和平街道", "--community", "幸福社区",
                "--code", "XF", "--counter-id", "XF01", "--admin", "管理员", "--pin", "1234",
                "--scheme", "A")
    assert r.rc == 0, r.stderr
    r = run_cli("--db", tmp_path / "a.db", "earning", "items")
    assert len(r.stdout.splitlines()) == 21 and "参与爱心捐赠\t15分\t可获得：全部\t范围 5–30" in r.stdout
