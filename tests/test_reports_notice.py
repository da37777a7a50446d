"""The monthly public notice (reports/notice.py, documents/paper.py), read back from the
PDF with pdftotext: ranks, compounds, no full phone or ID number, the objection deadline."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from counter_app.cli import main
from counter_app.db.models import MemberCategory
from counter_app.errors import InvalidInput
from counter_app.reports import notice, report_rules

from documents_fixtures import nfkc, pdftotext
from reports_fixtures import award, compound, reverse

NOV = datetime(2026, 11, 14, 3)  # mid-month, whatever the machine's time zone
PHONES = {"张三": "13812345678", "李四": "13987654321", "王五": "13700001111"}
IDS = {"张三": "110101199003074514", "李四": "11010119850612281X"}


@pytest.fixture
def community(counter):
    sun = compound(counter, "阳光花园")
    gold = compound(counter, "金色家园")
    ids = {
        "张三": counter.member("张三", PHONES["张三"], id_number=IDS["张三"], household_id=sun[0]),
        "李四": counter.member("李四", PHONES["李四"], id_number=IDS["李四"], household_id=gold[0],
                             category=MemberCategory.PARTY_IN_SERVICE, work_unit="区卫健委"),
        "王五": counter.member("王五", PHONES["王五"], household_id=sun[1]),
        "赵六": counter.member("赵六", "13600002222", household_id=gold[1]),
    }
    award(counter, ids["张三"], 30, NOV)
    award(counter, ids["李四"], 45, NOV)
    award(counter, ids["王五"], 30, NOV)
    award(counter, ids["李四"], 100, datetime(2026, 10, 14, 3))  # another month
    wrong = award(counter, ids["赵六"], 50, NOV)  # awarded by mistake, reversed
    for entry in wrong:
        reverse(counter, entry, NOV.replace(day=20))
    return ids


def test_ranks_members_and_compounds(counter, community):
    n = notice.build(counter.db, "2026-11", published=date(2026, 12, 2))
    assert [(m.rank, m.member.name, m.totals.approved) for m in n.members] == [
        (1, "李四", 45), (2, "张三", 30), (2, "王五", 30)]
    assert [(c.rank, c.name, c.participants, c.points) for c in n.compounds] == [
        (1, "阳光花园", 2, 60), (2, "金色家园", 1, 45)]
    assert n.total_points == 105


def test_pdf_ranks_masks_and_names_the_deadline(counter, community, tmp_path):
    out = tmp_path / "notice.pdf"
    assert main(["--db", str(counter.db.path), "print", "notice", "--month", "2026-11",
                 "--published", "2026-12-02", "--days", "10", "--out", str(out)]) == 0
    text = pdftotext(out)
    rows = [line.split() for line in text.splitlines()
            if re.match(r"\s*\d+\s+\S+\s+1\d\d\*{4}\d{4}", line)]
    assert [(r[0], r[1], r[2], r[5]) for r in rows] == [
        ("1", "李四", "139****4321", "45"), ("2", "张三", "138****5678", "30"),
        ("2", "王五", "137****1111", "30")]
    assert nfkc("2026年12月12日") in text  # 2 December + 10 days
    assert nfkc("异议") in text and nfkc("已审核") in text
    digits = re.sub(r"\s", "", text)
    for phone in PHONES.values():
        assert phone not in digits
    for id_number in IDS.values():
        assert id_number not in digits and id_number[6:14] not in digits
    assert nfkc("赵六") not in text  # a reversed award is no service


def test_objection_days_come_from_the_rules(counter, community):
    report_rules.save(counter.db, counter.admin, report_rules.ReportRules(objection_days=5))
    n = notice.build(counter.db, "2026-11", published=date(2026, 12, 3))
    assert n.deadline == date(2026, 12, 8) and n.objection_days == 5


def test_unpublished_month_defaults_to_the_day_after_it(counter, community):
    n = notice.build(counter.db, "2099-01")
    assert n.published == date(2099, 2, 1) and n.members == ()


@pytest.mark.parametrize("bad", ["2026-13", "2026/11", "11-2026", ""])
def test_a_malformed_month_is_refused_in_chinese(counter, bad):
    with pytest.raises(InvalidInput, match="YYYY-MM"):
        notice.build(counter.db, bad)


def test_pending_awards_and_teams_appear_with_their_state(counter, community):
    from counter_app import clock
    from counter_app.earning import awards

    with clock.frozen(NOV):
        act = awards.open_activity(counter.db, counter.reviewer, counter.point_item, NOV.date(),
                                   title="楼道清洁", team="红马甲志愿队")
        awards.add_participant(counter.db, counter.reviewer, act.id, community["赵六"])
    n = notice.build(counter.db, "2026-11", published=date(2026, 12, 2))
    zhao = next(m for m in n.members if m.member.name == "赵六")
    assert (zhao.totals.approved, zhao.totals.pending, zhao.totals.state_label) == (0, 10, "待审核")
    assert n.pending_points == 10
    assert [(t.name, t.participants, t.points) for t in n.teams] == [("红马甲志愿队", 1, 0)]


def test_an_upheld_objection_reverses_the_award(counter, community, tmp_path):
    from sqlalchemy import select

    from counter_app import ledger
    from counter_app.db.earning_models import Award, AwardStatus
    from counter_app.reports import objections

    with counter.db.read() as s:
        award = s.scalars(select(Award).where(Award.member_id == community["李四"],
                                              Award.activity_date == NOV.date())).first()
        before = ledger.balance_of(s, community["李四"])
    with pytest.raises(objections.ObjectionClosed):
        objections.raise_objection(counter.db, counter.volunteer, award.id, "居民王某", "那天他不在",
                                   deadline=date(2020, 1, 1))
    oid = objections.raise_objection(counter.db, counter.volunteer, award.id, "居民王某",
                                     "那天他不在")
    decided = objections.decide(counter.db, counter.admin, oid, True, "经核实属实")
    assert decided.outcome == "upheld"
    with counter.db.read() as s:
        assert s.get(Award, award.id).status == AwardStatus.REVOKED
        assert ledger.balance_of(s, community["李四"]) == before - award.points
    with pytest.raises(objections.ObjectionDecided):
        objections.decide(counter.db, counter.admin, oid, False, "再看看")
    n = notice.build(counter.db, "2026-11", published=date(2026, 12, 2))
    assert next(m for m in n.members if m.member.name == "李四").totals.approved == 45 - award.points
    # the notice lists the objection with its outcome, never who raised it
    assert [(o.member, o.outcome) for o in n.objections] == [("李四", "upheld")]
    body, _pages = notice.pdf(n)
    (tmp_path / "n.pdf").write_bytes(body)
    text = nfkc(pdftotext(tmp_path / "n.pdf"))
    assert "四、异议及处理" in text and "已采纳:经核实属实" in text.replace("：", ":")
    assert "居民王某" not in text
    assert notice.build(counter.db, "2026-10", published=date(2026, 11, 2)).objections == ()


def test_objections_through_the_cli(counter, community, capsys):
    from sqlalchemy import select

    from counter_app.db.earning_models import Award

    with counter.db.read() as s:
        award_id = s.scalars(select(Award.id).where(Award.member_id == community["王五"])).first()
    db = str(counter.db.path)
    from counter_app import clock

    with clock.frozen(datetime(2026, 12, 20, 3)):  # November's window (1 Dec + 7 days) is over
        assert main(["--db", db, "report", "object", "--award", str(award_id), "--by", "居民甲",
                     "--reason", "不属实", "--operator", "王阿姨", "--pin", "1111"]) == 2
    assert "公示期已过（异议截止 2026-12-08）" in capsys.readouterr().err
    assert main(["--db", db, "report", "object", "--award", str(award_id), "--by", "居民甲",
                 "--reason", "不属实", "--deadline", "2099-12-31",
                 "--operator", "王阿姨", "--pin", "1111"]) == 0
    oid = capsys.readouterr().out.split()[1].split("（")[0]
    assert main(["--db", db, "report", "decide", oid, "--dismiss", "--note", "经核实无误",
                 "--operator", "陈书记", "--pin", "4444"]) == 0
    assert "未采纳" in capsys.readouterr().out
    assert main(["--db", db, "report", "objections"]) == 0
    assert "居民甲：不属实\t未采纳（经核实无误）" in capsys.readouterr().out
