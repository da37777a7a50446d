"""Yearly honours (reports/honours.py): 积分之星 with ties at the cut-off, 荣誉小区 by the
documented tie rule (total, then residents who earned points, then shared), organisations
and the printed list with certificates."""

from __future__ import annotations

import re
from datetime import datetime

from counter_app.cli import main
from counter_app.db.models import MemberCategory
from counter_app.reports import honours

from documents_fixtures import nfkc, pdftotext
from reports_fixtures import award, compound

MAY = datetime(2026, 5, 12, 3)


def _people(counter, homes, points, prefix):
    ids = []
    for i, p in enumerate(points):
        mid = counter.member(f"{prefix}{i + 1}", household_id=homes[i])
        if p:
            award(counter, mid, p, MAY)
        ids.append(mid)
    return ids


def test_equal_totals_go_to_the_compound_with_more_residents_earning(counter):
    a, b, c = compound(counter, "甲小区"), compound(counter, "乙小区"), compound(counter, "丙小区")
    _people(counter, a, [30, 30, 0], "甲")  # 60 from 2 residents
    _people(counter, b, [60], "乙")  # 60 from 1 resident
    _people(counter, c, [45], "丙")
    # An organisation's points are not its compound's residents' points.
    org = counter.member("乙物业公司", "13600001234", category=MemberCategory.ORGANISATION,
                         compound_id=_compound_id(counter, "乙小区"))
    award(counter, org, 100, MAY)
    award(counter, _people(counter, c[1:], [0], "丙外")[0], 30, datetime(2025, 12, 20, 3))
    h = honours.build(counter.db, 2026)
    assert [c.name for c in h.honour_compounds] == ["甲小区"]
    assert [(c.rank, c.name, c.participants, c.points) for c in h.compounds] == [
        (1, "甲小区", 2, 60), (2, "乙小区", 1, 60), (3, "丙小区", 1, 45)]
    assert [(o.rank, o.member.name, o.points) for o in h.organisations] == [(1, "乙物业公司", 100)]


def test_equal_totals_and_residents_share_the_honour(counter):
    a, b = compound(counter, "甲小区"), compound(counter, "乙小区")
    _people(counter, a, [30, 30], "甲")
    _people(counter, b, [45, 15], "乙")
    h = honours.build(counter.db, 2026)
    assert sorted(c.name for c in h.honour_compounds) == ["乙小区", "甲小区"]
    assert {c.rank for c in h.compounds} == {1}


def test_no_points_no_honour_compound(counter):
    compound(counter, "甲小区")
    h = honours.build(counter.db, 2026)
    assert h.honour_compounds == () and h.stars == ()


def test_stars_take_everyone_tied_at_the_cut_off(counter):
    homes = compound(counter, "甲小区", rooms=5)
    _people(counter, homes, [60, 45, 45, 30, 10], "星")
    h = honours.build(counter.db, 2026, stars_top=2)
    assert [(s.rank, s.member.name, s.points) for s in h.stars] == [
        (1, "星1", 60), (2, "星2", 45), (2, "星3", 45)]


def test_printed_list_and_certificates(counter, tmp_path):
    a = compound(counter, "甲小区")
    _people(counter, a, [60, 30], "甲")
    out = tmp_path / "honours.pdf"
    assert main(["--db", str(counter.db.path), "print", "honours", "--year", "2026",
                 "--stars", "1", "--out", str(out)]) == 0
    text = pdftotext(out)
    assert nfkc("2026年度荣誉小区:甲小区") in text.replace(" ", "")
    assert nfkc("合计相同时，获得积分的居民人数多者当选") in text
    pages = [re.sub(r"\s", "", p) for p in text.split("\f")]
    certs = [p for p in pages if nfkc("荣誉证书") in p]
    assert len(certs) == 2  # the one star, the one compound
    assert nfkc("甲1") in certs[0] and nfkc("积分之星") in certs[0]
    assert nfkc("甲小区") in certs[1] and nfkc("荣誉小区") in certs[1]


def _compound_id(counter, name):
    from sqlalchemy import select

    from counter_app.db.models import Compound

    with counter.db.read() as s:
        return s.scalar(select(Compound.id).where(Compound.name == name))
