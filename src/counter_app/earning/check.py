"""``counter-app check`` for earning: every approved (or later revoked) award has its one
ledger entry — an award entry of the same member and the same points. Read-only, in the
checker's session; a file from before migration 0006 has no awards and nothing to check."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

_AWARDS = text("""
SELECT a.id, a.status, a.member_id, a.points, a.ledger_entry_id,
       e.id AS entry, e.kind, e.member_id AS entry_member, e.delta
  FROM awards a LEFT JOIN points_journal e ON e.id = a.ledger_entry_id
 WHERE a.status IN ('approved', 'revoked') OR a.ledger_entry_id IS NOT NULL
""")


def award_faults(session: Session) -> list[str]:
    """Problems, one Chinese line each (empty: all approved awards match the ledger)."""
    has = session.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                               "AND name = 'awards'")).first()
    if has is None:
        return []
    out = []
    for r in session.execute(_AWARDS):
        where = f"积分审核记录 {r.id}"
        if r.status not in ("approved", "revoked"):
            out.append(f"{where}：状态为 {r.status}，却记有积分账本条目 {r.ledger_entry_id}")
        elif r.entry is None:
            out.append(f"{where}：已通过，但积分账本里没有它的条目 {r.ledger_entry_id}")
        elif r.kind != "award" or r.entry_member != r.member_id or r.delta != r.points:
            out.append(f"{where}：已通过 {r.points} 分（会员 {r.member_id}），账本条目却是 "
                       f"{r.kind} {r.delta} 分（会员 {r.entry_member}）")
    return out
