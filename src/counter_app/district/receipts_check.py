"""The receipt half of ``district check`` (d0007): each pushed receipt against the points
and stock journals, as the counter's own check does (counter_app/receipts_check.py):
its redemption entry (member, total, receipt number, counter), its lines' sum and stock
entries, the receipt digest the entry's hash covers, and each void's reversal entry.
A redemption entry whose receipt has not arrived (yet: receipts follow their entries) is
a notice."""

from __future__ import annotations

from counter_app.journal_hashes import DIGEST_FORMATS
from counter_app.receipt_digest import DigestLine, receipt_digest

_RECEIPTS = """
    SELECT r.id, r.counter_id, r.receipt_no, r.member_id, r.total_points, r.status,
           r.points_entry_id,
           j.kind, j.delta, j.subject, j.ref, j.counter_id AS entry_counter, j.hash_format,
           j.detail_digest,
           (SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'line_no', l.line_no, 'item_id', l.item_id, 'item_name', l.item_name,
                       'qty', l.qty, 'unit_points', l.unit_points,
                       'stock_entry_id', l.stock_entry_id, 'digest_item_no', l.digest_item_no,
                       'stock_subject', s.subject, 'stock_delta', s.delta, 'stock_ref', s.ref,
                       'stock_counter', s.counter_id) ORDER BY l.line_no), '[]'::jsonb)
              FROM receipt_lines l LEFT JOIN stock_journal s ON s.id = l.stock_entry_id
             WHERE l.receipt_id = r.id) AS lines,
           v.id AS void_id, b.reverses_id AS void_reverses
      FROM receipts r
      LEFT JOIN points_journal j ON j.id = r.points_entry_id
      LEFT JOIN receipt_voids v ON v.receipt_id = r.id
      LEFT JOIN points_journal b ON b.id = v.points_entry_id
     ORDER BY r.counter_id, r.receipt_no"""


def check_receipts(conn, finding) -> list:
    """``finding(name, message, counter_id, notice=False)`` builds a check.Finding."""
    out = []
    cur = conn.cursor(name="receipts_check")  # server-side: many receipts are streamed
    cur.itersize = 2000
    cur.execute(_RECEIPTS)
    cols = [d.name for d in cur.description]
    for values in cur:
        r = dict(zip(cols, values))
        out += _receipt(r, finding)
    cur.close()
    for counter, seq, ref in conn.execute("""
            SELECT j.counter_id, j.seq, j.ref FROM points_journal j
             WHERE j.kind = 'redemption'
               AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.points_entry_id = j.id)
             ORDER BY 1, 2"""):
        out.append(finding("receipt_missing", f"柜台 {counter} 的积分流水第 {seq} 条（小票 {ref}）"
                                              f"的小票还没有上传到街道", counter, notice=True))
    return out


def _receipt(r: dict, finding) -> list:
    counter, no = r["counter_id"], r["receipt_no"]
    out = []

    def say(name: str, problem: str) -> None:
        out.append(finding(name, f"柜台 {counter} 的小票 {no}：{problem}", counter))

    lines = r["lines"]
    if sum(l["qty"] * l["unit_points"] for l in lines) != r["total_points"] or not lines:
        say("receipt_lines", f"合计 {r['total_points']} 分与明细不符")
    if r["kind"] != "redemption":
        say("receipt_entry", "没有对应的兑换积分记录")
        return out
    if (-r["delta"], r["subject"], r["ref"], r["entry_counter"]) != (
            r["total_points"], r["member_id"], no, counter):
        say("receipt_entry", "与兑换积分记录（会员、积分、小票号或柜台）不符")
    digest = receipt_digest(no, r["total_points"], [
        DigestLine(l["line_no"], l["digest_item_no"], l["item_name"], l["qty"],
                   l["unit_points"], l["stock_entry_id"]) for l in lines])
    if r["hash_format"] in DIGEST_FORMATS and r["detail_digest"] != digest:
        say("receipt_digest", "内容与积分记录覆盖的小票摘要不符（被改动过）")
    for l in lines:
        if l["stock_entry_id"] is not None and (
                l["stock_subject"], l["stock_delta"], l["stock_ref"], l["stock_counter"]) != (
                l["item_id"], -l["qty"], no, counter):
            say("receipt_stock", f"第 {l['line_no']} 行“{l['item_name']}”与出库记录不符")
    if r["void_id"] is not None and r["void_reverses"] != r["points_entry_id"]:
        say("receipt_void", "有作废记录，但没有退回积分的冲正记录")
    if (r["void_id"] is None) != (r["status"] != "voided"):
        say("receipt_void", f"状态为 {r['status']}，与作废记录不符")
    return out
