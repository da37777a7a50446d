"""The tamper anchor: the district's head of this counter's chain, as the last sync saw it
(sync_anchor). ``check`` compares the file's chain with it: an entry edited and the chain
recomputed after it changes the hash at the anchored sequence; a cut-off tail lacks it.
(The anchor lives in the same file; ``counter-app sync`` compares with the district's
head itself and stops on a difference, ForkDetected.)"""

from __future__ import annotations

# check reads through plain sqlite3 (db/raw_read.py): no SQLAlchemy on this path
from counter_app.db.raw_read import RawSession as Session, text

TABLES = {"points": "points_journal", "stock": "stock_journal"}


def _short(h) -> str:
    return f"{h[:16]}…" if isinstance(h, str) and len(h) > 16 else repr(h)


def anchor_faults(session: Session) -> list:
    from counter_app.check import Fault

    if session.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                            "AND name = 'sync_anchor'")).first() is None:
        return []
    counter = session.execute(text("SELECT value FROM settings WHERE key = "
                                   "'local_counter_id'")).scalar()
    faults = []
    for journal, seq, anchored in session.execute(text(
            "SELECT journal, seq, hash FROM sync_anchor ORDER BY journal")):
        table = TABLES.get(journal)
        if table is None or not seq:
            continue
        mine = session.execute(text(f"SELECT hash FROM {table} WHERE counter_id = :c "
                                    f"AND seq = :s"), {"c": counter, "s": seq}).scalar()
        if mine is None:
            last = session.execute(text(f"SELECT coalesce(max(seq), 0) FROM {table} "
                                        f"WHERE counter_id = :c"), {"c": counter}).scalar()
            faults.append(Fault(table, None, counter, seq,
                                f"记录不完整：上次同步时街道服务器已保存本柜台到第 {seq} 条，"
                                f"本机只到第 {last} 条（尾部被截断？）"))
        elif mine != anchored:
            faults.append(Fault(table, None, counter, seq,
                                f"与街道服务器不符：第 {seq} 条的哈希 {_short(mine)} 不是上次同步时"
                                f"街道保存的 {_short(anchored)}（账本被改动后重算了哈希链？）"))
    return faults


def pulling_faults(session: Session) -> list:
    """sync_pulling holds a row only inside a pull's own transaction (migration 0011): one
    that was committed switches the outbox triggers off, and this counter's changes would
    never reach the district."""
    from counter_app.check import Fault

    if session.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                            "AND name = 'sync_pulling'")).first() is None:
        return []
    if session.execute(text("SELECT 1 FROM sync_pulling")).first() is None:
        return []
    return [Fault("sync_pulling", None, None, None,
                  "同步下载标记未清除：本机之后的登记修改不会上传到街道，请联系技术人员")]
