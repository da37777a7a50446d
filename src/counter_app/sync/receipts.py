"""Receipts and the district (issue 8): the redemptions, their lines and their voids — what
the points chain covers (receipt_digest.py) — pushed, fetched back, and pulled for limits.

* push: own receipts and voids in the order of their points entries, only once the
  district acknowledged those entries (and a receipt's stock entries): district check then
  finds every receipt's entries. ``sync_receipts.pushed_seq`` is the highest points sequence
  whose receipt or void the district acknowledged; a lost reply only causes a resend (a
  duplicate there). An id arriving again with other content is a dead letter.
* fetch back: after a rejoin or a restore, the own receipts the district holds beyond
  ``pushed_seq`` come back (after the entries they belong to, sync.recovery), so that
  ``check`` passes and an old receipt can be reprinted or voided. The receipt-number head
  moves past them: no number is issued twice.
* pull: other counters' receipts of this community (the last 400 days) into
  ``district_redemption_lines``, with their cursor in the same transaction; rules.py
  counts them in the per-item limits (own receipts never come down).
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.orm import Session

from counter_app.journal import GENESIS, utcnow
from counter_app.sync.errors import SyncError
from counter_app.sync.push import PushResult, acked, record_dead_letters
from counter_app.sync.wire import iso, parse_time

PUSH_BATCH = 500
FETCH = 1000
PAGE = 5000
# Other counters' lines older than this count for no limit (the longest period is a year)
# and no capacity: removed after each pull, as the district serves its entries (400 days).
KEEP_DAYS = 400
RECEIPT_HEAD = "receipt"  # redemption.RECEIPTS: the receipt-number sequence
_NUMBER = re.compile(r"-(\d+)$")

_RECEIPTS = text(
    "SELECT r.id, r.counter_id, r.receipt_no, m.uid AS member_id, o.uid AS operator_id, "
    "r.created_at, r.total_points, r.balance_before, r.points_entry_id, p.seq "
    "FROM redemptions r JOIN points_journal p ON p.id = r.points_entry_id "
    "JOIN members m ON m.id = r.member_id LEFT JOIN operators o ON o.id = r.operator_id "
    "WHERE r.counter_id = :c AND p.seq > :a AND p.seq <= :b ORDER BY p.seq LIMIT :n")
_VOIDS = text(
    "SELECT v.id, v.counter_id, v.redemption_id AS receipt_id, v.receipt_no, "
    "v.points_entry_id, o.uid AS operator_id, v.requested_by, v.reason, v.created_at, p.seq "
    "FROM redemption_voids v JOIN points_journal p ON p.id = v.points_entry_id "
    "LEFT JOIN operators o ON o.id = v.operator_id "
    "WHERE v.counter_id = :c AND p.seq > :a AND p.seq <= :b ORDER BY p.seq LIMIT :n")
_LINES = text(
    "SELECT l.redemption_id, l.line_no, i.uid AS item_id, l.item_name, l.qty, l.unit_points, "
    "l.stock_entry_id, coalesce(l.digest_item_id, l.item_id) AS digest_item_no, "
    "s.seq AS stock_seq "
    "FROM redemption_lines l JOIN exchange_items i ON i.id = l.item_id "
    "LEFT JOIN stock_journal s ON s.id = l.stock_entry_id "
    "WHERE l.redemption_id IN :r ORDER BY l.redemption_id, l.line_no"
).bindparams(bindparam("r", expanding=True))


def _state(s: Session) -> tuple[int, str | None]:
    r = s.execute(text("SELECT pushed_seq, pull_cursor FROM sync_receipts WHERE id = 1")).first()
    return (r.pushed_seq, r.pull_cursor) if r else (0, None)


def _set_pushed(s: Session, seq: int) -> None:
    s.execute(text("UPDATE sync_receipts SET pushed_seq = max(pushed_seq, :s) WHERE id = 1"),
              {"s": seq})


# --- push ------------------------------------------------------------------------------------


def _batch(s: Session, counter_id: str, after: int, limit: int) -> list[dict]:
    """The next receipts and voids after ``after`` whose entries the district holds, in
    points-sequence order, as push_receipts takes them (plus ``seq``)."""
    points_acked, _ = acked(s, counter_id, "points")
    stock_acked, _ = acked(s, counter_id, "stock")
    bounds = {"c": counter_id, "a": after, "b": points_acked, "n": limit}
    out = [dict(r, kind="receipt") for r in s.execute(_RECEIPTS, bounds).mappings()]
    out += [dict(r, kind="void") for r in s.execute(_VOIDS, bounds).mappings()]
    out = sorted(out, key=lambda r: r["seq"])[:limit]
    lines_of = {}
    ids = [r["id"] for r in out if r["kind"] == "receipt"]
    for line in (s.execute(_LINES, {"r": ids}).mappings() if ids else ()):
        lines_of.setdefault(line["redemption_id"], []).append(dict(line))
    batch = []
    for r in out:
        r["created_at"] = iso(r["created_at"])
        if r["kind"] == "receipt":
            lines = lines_of.get(r["id"], [])
            if any(l["stock_seq"] is not None and l["stock_seq"] > stock_acked for l in lines):
                break  # its goods' entries are not at the district yet: it waits (in order)
            for line in lines:
                del line["stock_seq"], line["redemption_id"]
            r["lines"] = lines
        batch.append(r)
    return batch


def push_receipts(db, client, counter_id: str, result: PushResult, progress=None,
                  batch: int = PUSH_BATCH) -> int:
    pushed = 0
    while True:
        with db.read() as s:
            after, _ = _state(s)
            rows = _batch(s, counter_id, after, batch)
        if not rows:
            return pushed
        last = rows[-1]["seq"]
        reply = client.push_receipts([{k: v for k, v in r.items() if k != "seq"} for r in rows])
        with db.write() as s:
            record_dead_letters(s, reply.get("dead_letters", []))
            _set_pushed(s, last)
        pushed += reply.get("accepted", 0)
        result.duplicates += reply.get("duplicates", 0)
        result.dead_letters += reply.get("dead_letters", [])
        if progress:
            progress("push_receipts", pushed, None)


# --- fetch back --------------------------------------------------------------------------------


def _rowid(s: Session, table: str, uid) -> int | None:
    if uid is None:
        return None
    return s.execute(text(f"SELECT id FROM {table} WHERE uid = :u"), {"u": str(uid)}).scalar()


def _needed(s: Session, table: str, uid, what: str) -> int:
    rowid = _rowid(s, table, uid)
    if rowid is None:
        raise SyncError(detail=f"街道保存的本柜台小票用到的{what} {uid} 不在本机，请稍后再同步")
    return rowid


def _own_entry(s: Session, entry_id) -> None:
    if s.execute(text("SELECT 1 FROM points_journal WHERE id = :i"),
                 {"i": str(entry_id)}).first() is None:
        raise SyncError(detail=f"街道保存的本柜台小票对应的积分记录 {entry_id} 不在本机，请稍后再同步")


def _have(s: Session, table: str, row_id) -> bool:
    # The receipt tables refuse an INSERT of an existing key, OR IGNORE included: a receipt
    # this file holds is this file's (the one the district got from it), left as it is.
    return s.execute(text(f"SELECT 1 FROM {table} WHERE id = :i"),
                     {"i": str(row_id)}).first() is not None


def _insert_receipt(s: Session, r: dict) -> int:
    if _have(s, "redemptions", r["id"]):
        return 0
    _own_entry(s, r["points_entry_id"])
    s.execute(text(
        "INSERT INTO redemptions (id, receipt_no, counter_id, member_id, operator_id, "
        "created_at, total_points, balance_before, points_entry_id) VALUES (:id, :no, :c, :m, "
        ":o, :t, :total, :before, :e)"),
        {"id": str(r["id"]), "no": r["receipt_no"], "c": r["counter_id"],
         "m": _needed(s, "members", r["member_id"], "会员"),
         "o": _needed(s, "operators", r["operator_id"], "操作员"),
         "t": parse_time(r["created_at"]), "total": r["total_points"],
         "before": r["balance_before"], "e": str(r["points_entry_id"])})
    for line in r["lines"]:
        item = _needed(s, "exchange_items", line["item_id"], "物品")
        digest_item = line["digest_item_no"]
        s.execute(text(
            "INSERT INTO redemption_lines (redemption_id, line_no, item_id, item_name, "
            "qty, unit_points, stock_entry_id, digest_item_id) VALUES (:r, :n, :i, :name, :q, "
            ":p, :st, :d)"),
            {"r": str(r["id"]), "n": line["line_no"], "i": item, "name": line["item_name"],
             "q": line["qty"], "p": line["unit_points"],
             "st": str(line["stock_entry_id"]) if line["stock_entry_id"] else None,
             "d": None if digest_item in (None, item) else digest_item})
    number = _NUMBER.search(r["receipt_no"])
    if number:  # the receipt-number sequence moves past every number the district has
        s.execute(text(
            "INSERT INTO journal_heads (counter_id, journal, last_seq, last_hash) "
            "VALUES (:c, :j, :n, :h) ON CONFLICT (counter_id, journal) DO UPDATE "
            "SET last_seq = max(last_seq, excluded.last_seq)"),
            {"c": r["counter_id"], "j": RECEIPT_HEAD, "n": int(number[1]), "h": GENESIS})
    return 1


def _insert_void(s: Session, v: dict) -> int:
    if _have(s, "redemption_voids", v["id"]):
        return 0
    _own_entry(s, v["points_entry_id"])
    s.execute(text(
        "INSERT INTO redemption_voids (id, redemption_id, receipt_no, counter_id, "
        "points_entry_id, operator_id, requested_by, reason, created_at) VALUES (:id, :r, :no, "
        ":c, :e, :o, :by, :why, :t)"),
        {"id": str(v["id"]), "r": str(v["receipt_id"]), "no": v["receipt_no"],
         "c": v["counter_id"], "e": str(v["points_entry_id"]),
         "o": _needed(s, "operators", v["operator_id"], "操作员"),
         "by": v["requested_by"], "why": v["reason"], "t": parse_time(v["created_at"])})
    return 1


def fetch_own_receipts(db, client, counter_id: str, progress=None) -> int:
    """Take back the own receipts and voids the district holds beyond ``pushed_seq``
    (none, except after a rejoin or a restore). Returns how many were new here."""
    total = 0
    while True:
        with db.read() as s:
            after, _ = _state(s)
        rows = client.fetch_own_receipts(after, FETCH)
        if not rows:
            return total
        with db.write() as s:
            for r in rows:
                if r["counter_id"] != counter_id:
                    raise SyncError(detail=f"街道返回了柜台 {r['counter_id']} 的小票")
                total += (_insert_receipt if r["kind"] == "receipt" else _insert_void)(s, r)
            _set_pushed(s, rows[-1]["seq"])
        if progress:
            progress("recover", total, None)


# --- pull --------------------------------------------------------------------------------------


def _apply_page(s: Session, counter_id: str, rows: list[dict]) -> int:
    n = 0
    for r in rows:
        if r["counter_id"] == counter_id:
            continue  # own lines are in redemption_lines: never counted twice
        for line in r["lines"]:
            s.execute(text(
                "INSERT INTO district_redemption_lines (receipt_id, line_no, counter_id, "
                "member_uid, item_uid, qty, created_at, voided) VALUES (:r, :n, :c, :m, :i, "
                ":q, :t, :v) ON CONFLICT (receipt_id, line_no) DO UPDATE "
                "SET voided = excluded.voided"),
                {"r": str(r["id"]), "n": line["line_no"], "c": r["counter_id"],
                 "m": str(r["member_id"]), "i": str(line["item_id"]), "q": line["qty"],
                 "t": parse_time(r["created_at"]), "v": bool(r["voided"])})
            n += 1
    return n


def pull_receipts(db, client, counter_id: str, page_size: int = PAGE, progress=None) -> int:
    """Other counters' receipts of this community since the cursor; each page committed
    with its cursor (a second sync process that got there first makes a page a no-op)."""
    total = 0
    while True:
        with db.read() as s:
            _, since = _state(s)
        page = client.pull_receipts(since, page_size)
        with db.write() as s:
            if _state(s)[1] != since:
                continue  # another sync of this counter applied a page meanwhile
            total += _apply_page(s, counter_id, page.rows)
            s.execute(text("UPDATE sync_receipts SET pull_cursor = :c WHERE id = 1"),
                      {"c": page.cursor})
        if progress:
            progress("pull_receipts", total, None)
        if not page.more:
            with db.write() as s:
                s.execute(text("DELETE FROM district_redemption_lines WHERE created_at < :cut")
                          .bindparams(bindparam("cut", type_=DateTime())),
                          {"cut": utcnow() - timedelta(days=KEEP_DAYS)})
            return total
