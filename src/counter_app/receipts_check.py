"""The receipt half of ``check``: each receipt against its points and stock entries.

* every receipt has its points entry and every redemption points/stock entry its receipt
  (orphans either way: a deleted receipt leaves its entries behind);
* total = sum of the lines = minus the points entry's delta; each line's stock entry moves
  that item by minus that quantity;
* a points entry of format 2 or later covers the receipt (receipt_digest) and a void's reversal the
  stock entries that took the goods back (void_digest);
* a void returns the points and all the goods, or nothing (no partial voids), and has
  its void record (who, when, why), which the reversal covers;
* receipt numbers of a counter run 1..its receipt counter without gaps.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from counter_app.db.raw_read import RawSession as Session, text
from counter_app.journal_hashes import DIGEST_FORMATS
from counter_app.receipt_digest import DigestLine, receipt_digest, void_digest

_RECEIPT_NO = re.compile(r"^(?P<counter>.+)-(?P<n>\d{6,})$")
_MAX_LISTED = 10  # missing receipt numbers named one by one, then counted


def _ranges(numbers: list[int]) -> list[str]:
    out, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            out.append(f"{start}" if start == n else f"{start}–{n}")
            start = None
    return out


class _ReceiptChecker:
    def __init__(self, session: Session, points: dict, stock: dict, faults: list):
        from counter_app.check import Fault

        self.s, self.points, self.stock, self.faults, self.Fault = (
            session, points, stock, faults, Fault)
        self.points_reversal = {e["reverses_id"]: e for e in points.values()
                                if e["reverses_id"] is not None}
        self.stock_reversal = {e["reverses_id"]: e for e in stock.values()
                               if e["reverses_id"] is not None}

    def fault(self, receipt_no, counter, problem: str) -> None:
        self.faults.append(self.Fault("redemptions", receipt_no, counter, None, problem))

    def entry_fault(self, table: str, e: dict, problem: str) -> None:
        self.faults.append(self.Fault(table, e["id"], e["counter_id"], e["seq"], problem))

    def run(self) -> int:
        tracks = {i: bool(t) for i, t in self.s.execute(text(
            "SELECT id, tracks_stock FROM exchange_items"))}
        lines = defaultdict(list)
        # schema 0010 on: a receipt fetched back by a rejoined counter keeps the item number
        # its digest covers (the item_id of the file that wrote it)
        digest_item = ("digest_item_id" if any(c[1] == "digest_item_id" for c in self.s.execute(
            text("PRAGMA table_info(redemption_lines)"))) else "NULL")
        self.digest_items = {}
        for r in self.s.execute(text(
                f"SELECT redemption_id, line_no, item_id, item_name, qty, unit_points, "
                f"stock_entry_id, {digest_item} FROM redemption_lines "
                f"ORDER BY redemption_id, line_no")):
            lines[r[0]].append(DigestLine(*r[1:7]))
            if r[7] is not None:
                self.digest_items[(r[0], r[1])] = r[7]
        receipts = self.s.execute(text(
            "SELECT id, receipt_no, counter_id, member_id, total_points, points_entry_id "
            "FROM redemptions")).all()
        self.voids = {}
        if self.s.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                               "name = 'redemption_voids'")).first():  # schema 0002 on
            self.voids = {r.redemption_id: r for r in self.s.execute(text(
                "SELECT id, redemption_id, receipt_no, counter_id, points_entry_id, "
                "operator_id, requested_by, reason, created_at FROM redemption_voids"))}
        void_orphans = set(self.voids) - {r[0] for r in receipts}
        used_points, used_stock, numbers = set(), set(), defaultdict(list)
        for rid, no, counter, member, total, entry_id in receipts:
            red_lines = lines.pop(rid, [])
            used_points.add(entry_id)
            used_stock.update(l.stock_entry_id for l in red_lines if l.stock_entry_id)
            self.receipt(rid, no, counter, member, total, entry_id, red_lines, tracks)
            m = _RECEIPT_NO.match(str(no))
            if m and m["counter"] == counter:
                numbers[counter].append(int(m["n"]))
            else:
                self.fault(no, counter, f"小票号格式不对，应为“{counter}-六位数字”")
        for rid in lines:
            self.fault(None, None, f"有明细没有所属的小票（小票编号 {rid}，小票被删除？）")
        for rid in void_orphans:
            v = self.voids[rid]
            self.fault(v.receipt_no, v.counter_id, "有作废记录，但没有这张小票（小票被删除？）")
        for e in self.points.values():
            if e["kind"] == "redemption" and e["id"] not in used_points:
                self.entry_fault("points_journal", e, f"兑换积分记录没有对应的小票 {e['ref']}"
                                                      f"（小票被删除？）")
        for e in self.stock.values():
            if e["kind"] == "redemption" and e["id"] not in used_stock:
                self.entry_fault("stock_journal", e, f"兑换出库记录没有对应的小票明细 {e['ref']}"
                                                     f"（小票被删除？）")
        self.numbering(numbers)
        return len(receipts)

    def receipt(self, rid, no, counter, member, total, entry_id, lines, tracks) -> None:
        say = lambda problem: self.fault(no, counter, problem)  # noqa: E731
        if not lines:
            say("小票没有明细")
        line_sum = sum(l.qty * l.unit_points for l in lines
                       if type(l.qty) is int and type(l.unit_points) is int)
        if line_sum != total:
            say(f"小票合计 {total!r} 分，明细合计 {line_sum} 分")
        entry = self.points.get(entry_id)
        if entry is None or entry["kind"] != "redemption":
            say(f"没有对应的兑换积分记录（{entry_id}）")
            return
        taken = -entry["delta"] if type(entry["delta"]) is int else entry["delta"]
        if type(total) is not int or taken != total:
            say(f"小票合计 {total!r} 分，积分记录扣了 {taken!r} 分")
        if entry["subject"] != member:
            say(f"小票记在会员 {member}，积分记录记在会员 {entry['subject']}")
        if entry["ref"] != no or entry["counter_id"] != counter:
            say(f"积分记录写的是柜台 {entry['counter_id']} 的小票 {entry['ref']}")
        digest = receipt_digest(no, total, [
            replace(l, item_id=self.digest_items.get((rid, l.line_no), l.item_id)) for l in lines])
        if entry["hash_format"] in DIGEST_FORMATS and entry["detail_digest"] != digest:
            say("小票内容与积分记录不符：记账后合计、数量、物品名或明细被改动"
                if entry["detail_digest"] else "积分记录没有覆盖小票内容")
        for line in lines:
            self.line(no, counter, line, tracks)
        self.void(no, counter, entry, lines, digest, self.voids.get(rid))

    def line(self, no, counter, line: DigestLine, tracks) -> None:
        name = f"第 {line.line_no} 行“{line.item_name}”"
        if line.stock_entry_id is None:
            if tracks.get(line.item_id):
                self.fault(no, counter, f"{name}是实物，却没有出库记录")
            return
        s = self.stock.get(line.stock_entry_id)
        if s is None or s["kind"] != "redemption":
            self.fault(no, counter, f"{name}的出库记录 {line.stock_entry_id} 不存在")
        elif (s["subject"], s["delta"], s["ref"], s["counter_id"]) != (
                line.item_id, -line.qty if type(line.qty) is int else None, no, counter):
            self.fault(no, counter, f"{name}（物品 {line.item_id}，{line.qty!r} 件）与出库记录"
                                    f"（物品 {s['subject']}，{s['delta']!r}）不符")

    def void(self, no, counter, entry, lines, digest, record) -> None:
        points_back = self.points_reversal.get(entry["id"])
        if record is not None and points_back is None:
            self.fault(no, counter, "有作废记录，但积分没有退回")
        elif points_back is not None and points_back["hash_format"] in DIGEST_FORMATS:
            if record is None:
                self.fault(no, counter, "积分已按作废退回，但没有作废记录（作废记录被删除？）")
            elif (record.points_entry_id, record.operator_id, str(record.created_at),
                  record.counter_id, record.receipt_no) != (
                    points_back["id"], points_back["operator_id"], str(points_back["created_at"]),
                    counter, no):
                self.fault(no, counter, "作废记录与退回积分的记录不符（记录、操作员、时间或柜台）")
        goods = [l for l in lines if l.stock_entry_id]
        back = {l.line_no: self.stock_reversal.get(l.stock_entry_id) for l in goods}
        returned = [l.item_name for l in goods if back[l.line_no]]
        kept = [l.item_name for l in goods if not back[l.line_no]]
        if points_back and kept:
            self.fault(no, counter, f"作废不完整：积分已退回，但{'、'.join(kept)}没有退回库存")
        if not points_back and returned:
            self.fault(no, counter, f"作废不完整：{'、'.join(returned)}已退回库存，但积分没有退回")
        if points_back and points_back["hash_format"] in DIGEST_FORMATS:
            reversals = [(l.line_no, back[l.line_no]["id"] if back.get(l.line_no) else None)
                         for l in lines]
            v_id, reason, asked = ((record.id, record.reason, record.requested_by)
                                   if record is not None else (None, None, None))
            if points_back["detail_digest"] != void_digest(no, digest, v_id, reason, asked,
                                                           reversals):
                self.fault(no, counter, "作废内容与退回积分的记录不符：小票、作废原因、申请人或退回"
                                        "库存的记录被改动")

    def numbering(self, numbers: dict[str, list[int]]) -> None:
        heads = dict(self.s.execute(text(
            "SELECT counter_id, last_seq FROM journal_heads WHERE journal = 'receipt'")).all())
        for counter, head in heads.items():
            got = sorted(numbers.get(counter, []))
            top = max([head, *got]) if type(head) is int else max(got, default=0)
            missing = sorted(set(range(1, top + 1)) - set(got))
            if missing:
                listed = _ranges(missing)
                more = f" 等 {len(missing)} 张" if len(listed) > _MAX_LISTED else ""
                self.fault(None, counter, f"小票号不连续：缺少 {'、'.join(listed[:_MAX_LISTED])}"
                                          f"{more}（小票被删除？）")
            if got and type(head) is int and got[-1] > head:
                self.fault(None, counter, f"小票号 {got[-1]} 超过了小票计数 {head}")


def check_receipts(session: Session, points: dict, stock: dict, faults: list) -> int:
    """``points``/``stock``: the redemption and reversal entries check read, by id."""
    return _ReceiptChecker(session, points, stock, faults).run()
