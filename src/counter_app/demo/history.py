"""Six months of awards and redemptions, simulated in time order.

Balances, stock levels and per-period limits are tracked as the service layer
would enforce them, so the result is a history the counter could have written.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from counter_app.db.models import (
    EntryKind, ExchangeItem, Member, Operator, PointsEntry, Redemption, RedemptionLine, RedemptionVoid, StockEntry, StockKind,
)
from counter_app.db.earning_models import Award
from counter_app.db.stock_models import Voucher, VoucherUse
from counter_app.localtime import day_start_utc, local_date
from counter_app.demo.activities import activity_events, post_wishes, run_activity
from counter_app.point_sources import award_ref
from counter_app.journal import GENESIS, POINTS, STOCK, Head, chain_entry
from counter_app.members import age_on
from counter_app.receipt_digest import DigestLine, receipt_digest, void_digest
from counter_app.redemption import RECEIPTS

DAYS = 182
REVIEWER, VOLUNTEERS, STOCK_KEEPER, RECORDER = 5, (2, 3), 4, 1
VOID_RATE = 0.004


def _period_key(day: date, period: str):
    if period == "month":
        return day.year, day.month
    if period == "quarter":
        return day.year, (day.month - 1) // 3
    return day.year


class History:
    def __init__(self, builder, members: list[dict], point_items, items: list[dict]):
        self.b = builder
        self.rng = builder.rng
        self.members = members
        self.point_items = point_items
        self.items = items
        self.balances = {m["id"]: 0 for m in members}
        self.stock: dict[int, int] = {}
        self.heads = {POINTS: Head(0, GENESIS), STOCK: Head(0, GENESIS),
                      RECEIPTS: Head(0, GENESIS)}
        self.used: dict[tuple, int] = {}
        self.counter_id = builder.counter_id
        self.n_awards = 0
        self._earnable: dict[str, list] = {}
        self.voucher_seq = self.voucher_uses = 0
        self.end = self.at(builder.as_of, 20 * 3600)  # nothing is used after the demo's day

    @staticmethod
    def at(day: date, seconds: int) -> datetime:
        """Naive UTC of a wall-clock time at the counter on ``day``, with that day's own
        offset (a July afternoon is EDT, a December one EST), as localtime.day_start_utc."""
        local = datetime.combine(day, time()) + timedelta(seconds=seconds)
        return local.astimezone(UTC).replace(tzinfo=None)

    def points(self, t: datetime, member_id: int, delta: int, kind: str, operator: int,
               ref: str | None = None, note: str | None = None,
               reverses: str | None = None, detail: str | None = None) -> dict:
        fields = chain_entry(self.heads[POINTS], counter_id=self.counter_id, subject=member_id,
                             delta=delta, kind=kind, reverses_id=reverses, ref=ref,
                             operator_id=operator, created_at=t, note=note,
                             entry_id=self.b.new_id(t), detail_digest=detail,
                             subject_uid=self.b.uid(Member, member_id),
                             operator_uid=self.b.uid(Operator, operator))
        fields["member_id"] = fields.pop("subject")
        self.balances[member_id] += delta
        return self.b.add(PointsEntry, **fields)

    def earnable(self, m: dict) -> list:
        """The point items ``m``'s category may earn (presets name who may, earning.catalogue)."""
        key = m["category"]
        return self._earnable.setdefault(key, [p for p in self.point_items
                                               if not p[3] or key in p[3]])

    recorder = RECORDER

    def award(self, t: datetime, day: date, m: dict, pid: int, pts: int, name: str, *,
              activity_id: int | None = None, wish_id: int | None = None,
              pending: bool | None = None) -> None:
        """An award recorded by the administrator and reviewed by the reviewer (earning):
        the last week's are still pending (no ledger entry yet), as a real queue would be.
        Reviewed here (review_counter); its entry names it (point_sources.award_ref)."""
        if pending is None:
            pending = day > self.b.as_of - timedelta(days=7) and (m["id"] + t.second) % 2 == 0
        self.n_awards += 1
        row = self.b.add(
            Award, id=self.n_awards, member_id=m["id"], item_id=pid, activity_id=activity_id,
            wish_id=wish_id, activity_date=day, points=pts,
            status="pending" if pending else "approved", note=None,
            work_unit=m["work_unit"] if m["category"] == "party_in_service" else None,
            counter_id=self.counter_id, review_counter=self.counter_id, recorded_by=RECORDER,
            recorded_at=t - timedelta(minutes=30), reviewed_by=None if pending else REVIEWER,
            reviewed_at=None if pending else t, reason=None, ledger_entry_id=None)
        if not pending:
            row["ledger_entry_id"] = self.points(t, m["id"], pts, EntryKind.AWARD, REVIEWER,
                                                 ref=award_ref(pid, row["uid"]), note=name)["id"]

    def stock_entry(self, t: datetime, item_id: int, delta: int, kind: str, operator: int,
                    ref: str | None = None, reverses: str | None = None,
                    note: str | None = None) -> dict:
        fields = chain_entry(self.heads[STOCK], counter_id=self.counter_id, subject=item_id,
                             delta=delta, kind=kind, reverses_id=reverses, ref=ref,
                             operator_id=operator, created_at=t, note=note,
                             entry_id=self.b.new_id(t),
                             subject_uid=self.b.uid(ExchangeItem, item_id),
                             operator_uid=self.b.uid(Operator, operator))
        fields["item_id"] = fields.pop("subject")
        self.stock[item_id] = self.stock.get(item_id, 0) + delta
        return self.b.add(StockEntry, **fields)

    def simulate(self) -> None:
        rng, start = self.rng, self.b.as_of - timedelta(days=DAYS)
        events = []
        for m in self.members:
            roll = rng.random()
            if roll < 0.22:
                continue  # registered but not yet active
            busy = m["kind"] == "organisation" or m["category"] != "resident"
            n_awards = min(30, int(rng.expovariate(1 / (9 if busy else 5))) + 1)
            for _ in range(n_awards):
                day = start + timedelta(days=rng.randrange(DAYS))
                events.append((day, rng.randrange(8 * 3600, 18 * 3600), 0, m))
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
                day = start + timedelta(days=rng.randrange(30, DAYS))
                events.append((day, rng.randrange(8 * 3600, 17 * 3600), 1, m))
        events += activity_events(self, rng, start, DAYS)
        events.sort(key=lambda e: (e[0], e[1], e[2], e[3]["id"]))
        restock = max(40, len(self.members) // 25)
        first = self.at(start, 8 * 3600)
        for item in self.items:
            if item["tracks_stock"]:
                self.stock_entry(first, item["id"], restock, StockKind.RECEIVE, STOCK_KEEPER,
                                 note="期初入库")
        for day, secs, kind, m in events:
            t = self.at(day, secs)
            if kind == 0:
                pid, pts, name, _who = rng.choice(self.earnable(m))
                self.award(t, day, m, pid, pts, name)
            elif kind == 2:
                run_activity(self, t, day, m["n"])
            else:
                self.redeem(t, day, m, restock)

    def _cart(self, day: date, m: dict) -> list[tuple[dict, int]]:
        rng, budget = self.rng, self.balances[m["id"]]
        age = age_on(m["birth_date"], day)
        cart, wanted = [], rng.randint(1, 3)
        for _ in range(wanted * 4):
            if len(cart) == wanted:
                break
            item = rng.choice(self.items)
            if any(item is c for c, _ in cart):
                continue
            if item["min_age"] and (age is None or age < item["min_age"]):
                continue
            qty = 2 if item["kind"] == "goods" and rng.random() < 0.2 else 1
            if item["limit_qty"]:
                key = (m["id"], item["id"], _period_key(day, item["limit_period"]))
                if self.used.get(key, 0) + qty > item["limit_qty"]:
                    continue
            if item["points"] * qty > budget:
                continue
            budget -= item["points"] * qty
            cart.append((item, qty))
        return cart

    def _voucher(self, t: datetime, member_id: int, item: dict, receipt_no: str) -> dict:
        """A merchant offer's voucher as the checkout issues it (vouchers.py): a code with
        its Luhn digit, valid for the offer's days (30 by default)."""
        from counter_app import vouchers as v

        digits = f"{self.b.voucher_rng.randrange(10 ** 10):010d}"
        days = item.get("voucher_days") or v.DEFAULT_DAYS
        until = day_start_utc(local_date(t) + timedelta(days=days + 1))
        self.voucher_seq += 1
        return self.b.add(Voucher, id=self.voucher_seq, code=f"{v.PREFIX}{digits}"
                          f"{v._luhn(digits)}", item_id=item["id"],
                          merchant_id=item.get("merchant_id"), member_id=member_id,
                          counter_id=self.counter_id, receipt_no=receipt_no,
                          points=item["points"], issued_at=t, valid_until=until)

    def _voucher_end(self, voucher: dict, at: datetime, kind: str, operator: int,
                     note: str) -> None:
        self.voucher_uses += 1
        self.b.add(VoucherUse, id=self.voucher_uses, voucher_id=voucher["id"], kind=kind,
                   counter_id=self.counter_id, operator_id=operator, at=at, note=note)

    def redeem(self, t: datetime, day: date, m: dict, restock: int) -> None:
        cart = self._cart(day, m)
        if not cart:
            return
        for item, qty in cart:
            if item["limit_qty"]:
                key = (m["id"], item["id"], _period_key(day, item["limit_period"]))
                self.used[key] = self.used.get(key, 0) + qty
            if item["tracks_stock"] and self.stock[item["id"]] < qty:
                self.stock_entry(t, item["id"], restock, StockKind.RECEIVE, STOCK_KEEPER,
                                 note="补货")
        head = self.heads[RECEIPTS]
        head.seq += 1
        receipt_no = f"{self.counter_id}-{head.seq:06d}"
        total = sum(item["points"] * qty for item, qty in cart)
        operator = self.rng.choice(VOLUNTEERS)
        before = self.balances[m["id"]]
        lines = []  # goods first: the points entry's hash covers the receipt (stock ids too)
        for line_no, (item, qty) in enumerate(cart, start=1):
            sid = None
            if item["tracks_stock"]:
                sid = self.stock_entry(t, item["id"], -qty, StockKind.REDEMPTION, operator,
                                       ref=receipt_no)["id"]
            lines.append(DigestLine(line_no, item["id"], item["name"], qty, item["points"], sid))
        digest = receipt_digest(receipt_no, total, lines)
        entry = self.points(t, m["id"], -total, EntryKind.REDEMPTION, operator, ref=receipt_no,
                            detail=digest)
        rid = self.b.new_id(t)
        self.b.add(Redemption, id=rid, receipt_no=receipt_no, counter_id=self.counter_id,
                   member_id=m["id"], operator_id=operator, created_at=t, total_points=total,
                   balance_before=before, points_entry_id=entry["id"])
        for line in lines:
            self.b.add(RedemptionLine, redemption_id=rid, line_no=line.line_no,
                       item_id=line.item_id, item_name=line.item_name, qty=line.qty,
                       unit_points=line.unit_points, stock_entry_id=line.stock_entry_id)
        vouchers = [self._voucher(t, m["id"], item, receipt_no)
                    for item, qty in cart if item["kind"] == "merchant_offer"
                    for _ in range(qty)]
        voided = self.rng.random() < VOID_RATE
        vrng = self.b.voucher_rng  # not self.rng: the rest of the history stays as it was
        for v in vouchers:  # most are taken to the shop within days; a void cancels them
            if voided:
                self._voucher_end(v, t, "cancelled", 1, "小票作废")
            elif vrng.random() < 0.7 and t + timedelta(days=3) < self.end:
                self._voucher_end(v, t + timedelta(days=vrng.randint(1, 3)), "used",
                                  operator, "商家核销")
        if voided:
            reason = "会员改换物品，作废重开"
            reversals = [(line.line_no, line.stock_entry_id and self.stock_entry(
                t, line.item_id, line.qty, StockKind.REVERSAL, 1, ref=receipt_no,
                reverses=line.stock_entry_id, note=reason)["id"]) for line in lines]
            void_id = self.b.new_id(t)
            back = self.points(t, m["id"], total, EntryKind.REVERSAL, 1, ref=receipt_no,
                               note=reason, reverses=entry["id"], detail=void_digest(
                                   receipt_no, digest, void_id, reason, None, reversals))
            self.b.add(RedemptionVoid, id=void_id, redemption_id=rid, receipt_no=receipt_no,
                       counter_id=self.counter_id, points_entry_id=back["id"], operator_id=1,
                       requested_by=None, reason=reason, created_at=t)
