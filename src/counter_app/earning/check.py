"""``counter-app check`` for earning: every approved (or later revoked) award has its one
ledger entry — an award entry of the same member and the same points. Read-only, in the
checker's session; a file from before migration 0006 has no awards and nothing to check."""

from __future__ import annotations

# check reads through plain sqlite3 (db/raw_read.py): no SQLAlchemy on this path
from counter_app.db.raw_read import RawSession as Session, text

_AWARDS = text("""
SELECT a.id, a.status, a.member_id, a.points, a.ledger_entry_id,
       e.id AS entry, e.kind, e.member_id AS entry_member, e.delta
  FROM awards a LEFT JOIN points_journal e ON e.id = a.ledger_entry_id
 WHERE a.status IN ('approved', 'revoked') OR a.ledger_entry_id IS NOT NULL
""")
# An award approved at another counter of the community (pulled): its entry is in that
# counter's chain, here among the pulled entries (migration 0008).
_PULLED = text("""
SELECT d.id AS entry, d.kind, m.id AS entry_member, d.delta
  FROM district_entries d LEFT JOIN members m ON m.uid = d.subject_uid
 WHERE d.id = :e
""")


def award_faults(session: Session) -> list[str]:
    """Problems, one Chinese line each (empty: all approved awards match the ledger)."""
    has = session.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                               "AND name = 'awards'")).first()
    if has is None:
        return []
    out = []
    pulled = session.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                  "AND name = 'district_entries'")).first() is not None
    for r in session.execute(_AWARDS):
        where = f"积分审核记录 {r.id}"
        e = r
        if r.entry is None and r.ledger_entry_id is not None and pulled:
            e = session.execute(_PULLED, {"e": r.ledger_entry_id}).first() or r
        if r.status not in ("approved", "revoked"):
            out.append(f"{where}：状态为 {r.status}，却记有积分账本条目 {r.ledger_entry_id}")
        elif e.entry is None:
            out.append(f"{where}：已通过，但积分账本里没有它的条目 {r.ledger_entry_id}")
        elif e.kind != "award" or e.entry_member != r.member_id or e.delta != r.points:
            out.append(f"{where}：已通过 {r.points} 分（会员 {r.member_id}），账本条目却是 "
                       f"{e.kind} {e.delta} 分（会员 {e.entry_member}）")
    return out
