"""Hypothesis stateful test: the ledger against a simple in-memory model."""

import functools
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from earning_helpers import credit  # noqa: E402
from counter_app import check, counters, ledger, members, operators, redemption, stock
from counter_app.catalogue import add_item
from counter_app.db import open_database
from counter_app.db.models import ItemKind, MemberCategory, PointCategory, PointItem, Role
from counter_app.errors import AlreadyReversed, InsufficientPoints, NotReversible

POINT_VALUES = (5, 10, 15, 20)
SOAP_POINTS = 5


@functools.cache
def template() -> tuple[Path, dict]:
    path = Path(tempfile.mkdtemp()) / "model.db"
    db = open_database(path)
    info = counters.create_community(db, street="街道", community="社区", code="MD",
                                     counter_id="MD01", counter_name="柜台")
    oid = operators.add_operator(db, None, "管理员", Role.ADMIN, "1234")
    admin = operators.authenticate(db, oid, "1234", info.id)
    with db.write() as s:
        cat = PointCategory(scheme="A", name="类")
        s.add(cat)
        s.flush()
        items = [PointItem(category_id=cat.id, name=f"项{v}", points=v) for v in POINT_VALUES]
        s.add_all(items)
        s.flush()
        point_items = {v: i.id for v, i in zip(POINT_VALUES, items)}
    soap = add_item(db, admin, community_id=info.community_id, name="香皂", kind=ItemKind.GOODS,
                    category="日用品", points=SOAP_POINTS)
    stock.receive(db, admin, soap, 100_000)
    mids = [members.register(db, admin, name=n, category=MemberCategory.RESIDENT,
                             community_id=info.community_id) for n in ("甲一", "乙二", "丙三")]
    db.dispose()
    return path, dict(admin=admin, point_items=point_items, soap=soap, members=mids)


class LedgerModel(RuleBasedStateMachine):
    @initialize()
    def open(self):
        path, ctx = template()
        self.dir = tempfile.mkdtemp()
        copy = Path(self.dir) / "db.db"
        shutil.copyfile(path, copy)
        self.db = open_database(copy, migrate=False)
        self.ctx = ctx
        self.actor = ctx["admin"]
        self.balance = {m: 0 for m in ctx["members"]}
        self.entries: dict[str, tuple[int, int, str]] = {}  # id -> (member, delta, kind)
        self.reversed: set[str] = set()

    def teardown(self):
        if hasattr(self, "db"):
            self.db.dispose()
            shutil.rmtree(self.dir, ignore_errors=True)

    member = st.sampled_from([0, 1, 2])

    @rule(m=member, value=st.sampled_from(POINT_VALUES))
    def award(self, m, value):
        mid = self.ctx["members"][m]
        row = credit(self.db, self.actor, mid, self.ctx["point_items"][value])
        self.balance[mid] += value
        self.entries[row["id"]] = (mid, value, "award")

    @rule(m=member, qty=st.integers(min_value=1, max_value=12))
    def redeem(self, m, qty):
        mid = self.ctx["members"][m]
        cost = qty * SOAP_POINTS
        try:
            receipt = redemption.checkout(self.db, self.actor, mid,
                                          [redemption.CartLine(self.ctx["soap"], qty)])
        except InsufficientPoints:
            assert cost > self.balance[mid]
            return
        assert cost <= self.balance[mid]
        assert receipt.balance_before == self.balance[mid] and receipt.total == cost
        self.balance[mid] -= cost
        with self.db.read() as s:
            entry = ledger.history(s, mid, limit=1)[0]
        assert entry.ref == receipt.receipt_no and entry.delta == -cost
        self.entries[entry.id] = (mid, -cost, "redemption")

    @precondition(lambda self: self.entries)
    @rule(data=st.data())
    def reverse(self, data):
        entry_id = data.draw(st.sampled_from(sorted(self.entries)))
        mid, delta, kind = self.entries[entry_id]
        try:
            row = ledger.reverse(self.db, self.actor, entry_id, "测试冲正")
        except AlreadyReversed:
            assert entry_id in self.reversed and kind != "redemption"
            return
        except NotReversible:
            assert kind in ("reversal", "redemption") or self.balance[mid] - delta < 0
            return
        assert kind not in ("reversal", "redemption") and entry_id not in self.reversed
        assert self.balance[mid] - delta >= 0
        self.reversed.add(entry_id)
        self.balance[mid] -= delta
        self.entries[row["id"]] = (mid, -delta, "reversal")

    @invariant()
    def balances_match_model_and_journal(self):
        if not hasattr(self, "db"):
            return
        with self.db.read() as s:
            for mid, expected in self.balance.items():
                assert ledger.balance_of(s, mid) == expected >= 0

    @invariant()
    def journal_verifies(self):
        if not hasattr(self, "db"):
            return
        report = check.verify(self.db)
        assert report.ok, report.faults
        assert report.points_entries == len(self.entries)


LedgerModel.TestCase.settings = settings(
    max_examples=50, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestLedgerModel = LedgerModel.TestCase
