"""Shared fixtures: a fresh on-disk SQLite counter database per test, with a community,
operators of every role, a point item and a few exchange items."""

from __future__ import annotations

import dataclasses
import os
import shutil
from dataclasses import dataclass

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QLocale  # noqa: E402

from counter_app import catalogue, counters, earning, members, operators, stock  # noqa: E402
from counter_app.ui.shell import translations as _ui_app  # noqa: E402
from counter_app.db import open_database  # noqa: E402
from counter_app.db.models import (  # noqa: E402
    ItemKind, LimitPeriod, MemberCategory, PointCategory, PointItem, Role,
)


@dataclass
class Counter:
    db: object
    info: counters.CounterInfo
    admin: operators.Actor
    volunteer: operators.Actor
    stock_staff: operators.Actor
    reviewer: operators.Actor
    point_item: int  # 10 points
    big_point_item: int  # 15 points
    rice: int  # goods, 20 points, stock 10, 2 per quarter
    soap: int  # goods, 5 points, stock 100
    meal: int  # service, 10 points, 70+, 1 per month
    haircut: int  # service, 10 points, no stock

    def member(self, name: str = "张三", phone: str | None = None, points: int = 0,
               id_number: str | None = None,
               category: MemberCategory = MemberCategory.RESIDENT, **kw) -> int:
        mid = members.register(self.db, self.admin, name=name, category=category,
                               community_id=self.info.community_id, phone=phone,
                               id_number=id_number, **kw)
        while points >= 10:
            earning.award(self.db, self.reviewer, mid, self.point_item)
            points -= 10
        assert points == 0, "award points in steps of 10"
        return mid


@pytest.fixture(scope="session")
def _counter_template(tmp_path_factory) -> Counter:
    # argon2 hashing takes ~0.25 s per PIN: build the set-up once, copy the file per test.
    path = tmp_path_factory.mktemp("template") / "counter.db"
    template = _build_counter(path)
    template.db.dispose()  # closing the last connection checkpoints the WAL into the file
    return template


@pytest.fixture
def counter(_counter_template, tmp_path) -> Counter:
    path = tmp_path / "counter.db"
    shutil.copyfile(_counter_template.db.path, path)
    db = open_database(path)
    yield dataclasses.replace(_counter_template, db=db)
    db.dispose()


def _build_counter(path) -> Counter:
    db = open_database(path)
    info = counters.create_community(db, street="和平街道", community="幸福社区", code="XF",
                                     counter_id="XF01", counter_name="幸福社区积分超市")
    admin_id = operators.add_operator(db, None, "管理员", Role.ADMIN, "1234")
    admin = operators.authenticate(db, admin_id, "1234", info.id)
    actors = {}
    for name, role, pin in (("王阿姨", Role.VOLUNTEER, "1111"), ("刘库管", Role.STOCK, "3333"),
                            ("陈书记", Role.REVIEWER, "4444")):
        op_id = operators.add_operator(db, admin, name, role, pin)
        actors[role] = operators.authenticate(db, op_id, pin, info.id)
    volunteer, stock_staff, reviewer = (actors[Role.VOLUNTEER], actors[Role.STOCK],
                                        actors[Role.REVIEWER])
    with db.write() as s:
        cat = PointCategory(scheme="A", name="志愿服务")
        s.add(cat)
        s.flush()
        p10 = PointItem(category_id=cat.id, name="微心愿", points=10)
        p15 = PointItem(category_id=cat.id, name="结对帮扶", points=15)
        s.add_all([p10, p15])
        s.flush()
        point_ids = (p10.id, p15.id)
    cid = info.community_id
    rice = catalogue.add_item(db, stock_staff, community_id=cid, name="大米 5kg",
                              kind=ItemKind.GOODS, category="粮油", points=20, unit="袋",
                              barcodes=("6901234567892",), limit_qty=2,
                              limit_period=LimitPeriod.QUARTER)
    soap = catalogue.add_item(db, stock_staff, community_id=cid, name="香皂", kind=ItemKind.GOODS,
                              category="日用品", points=5, unit="块", barcodes=("6901234567908",))
    meal = catalogue.add_item(db, stock_staff, community_id=cid, name="10元爱心餐",
                              kind=ItemKind.SERVICE, category="服务", points=10, unit="份",
                              min_age=70, limit_qty=1, limit_period=LimitPeriod.MONTH)
    haircut = catalogue.add_item(db, stock_staff, community_id=cid, name="义剪（理发）",
                                 kind=ItemKind.SERVICE, category="服务", points=10, unit="次")
    stock.receive(db, stock_staff, rice, 10)
    stock.receive(db, stock_staff, soap, 100)
    return Counter(db, info, admin, volunteer, stock_staff, reviewer, point_ids[0], point_ids[1],
                   rice, soap, meal, haircut)


@pytest.fixture
def language(qapp):
    """Switch the UI language with the app's own install_translations; afterwards the
    translators (and default locale) the process had before are put back, whatever they
    were (other tests read English texts)."""
    before, locale = list(_ui_app._translators), QLocale()
    yield lambda code: _ui_app.install_translations(qapp, code)
    for t in _ui_app._translators:
        qapp.removeTranslator(t)
    _ui_app._translators[:] = before
    for t in before:
        qapp.installTranslator(t)
    QLocale.setDefault(locale)


@pytest.fixture(autouse=True)
def _no_blocking_error_boxes(monkeypatch):
    """An error box would wait forever for a click in a test run: record it instead, and
    fail the test if it reported an unexpected (non-domain) error."""
    from PySide6.QtWidgets import QMessageBox

    from counter_app.ui.common import errors as ui_errors

    shown: list[QMessageBox] = []
    monkeypatch.setattr(ui_errors, "_show", shown.append)
    yield shown
    unexpected = [b.text() for b in shown if b.icon() == QMessageBox.Icon.Critical]
    assert not unexpected, f"unexpected error dialog(s): {unexpected}"
