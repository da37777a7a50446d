"""The counter's own entries that the district holds and this file lacks: after a restore
of an older backup, or a rejoin on a new PC. They are fetched back (fetch_own_entries),
verified link by link against this file's head, and appended as they are, so the chain
continues and no sequence number is ever issued twice.

Until that has happened, a restored file refuses new journal entries
(``RECOVERY_PENDING``, set by backup.restore on a file of a district counter; journal.read_head
refuses with RecoveryPending).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from counter_app.journal import GENESIS, TABLES, entry_hash
from counter_app.sync import settings
from counter_app.sync.errors import ForkDetected, SyncError
from counter_app.sync.push import JOURNAL_LABEL, local_hash, record_ack
from counter_app.sync.wire import JOURNAL_TABLES, parse_time

RECOVERY_PENDING = "sync_recovery_pending"
FETCH = 1000


def local_head(s: Session, counter_id: str, journal: str) -> tuple[int, str]:
    r = s.execute(text("SELECT last_seq, last_hash FROM journal_heads "
                       "WHERE counter_id = :c AND journal = :j"),
                  {"c": counter_id, "j": journal}).first()
    return (r.last_seq, r.last_hash) if r else (0, GENESIS)


def _rowid(s: Session, table: str, uid) -> int | None:
    if uid is None:
        return None
    return s.execute(text(f"SELECT id FROM {table} WHERE uid = :u"), {"u": str(uid)}).scalar()


def _append(s: Session, journal: str, counter_id: str, rows: list[dict]) -> int:
    """Append fetched entries after this file's head; returns how many. Inside the caller's
    write transaction; re-reads the head (another sync process may have done it)."""
    table, subject_col, subjects = JOURNAL_TABLES[journal]
    seq, head = local_head(s, counter_id, journal)
    n = 0
    for e in rows:
        if e["seq"] <= seq:
            continue
        if e["seq"] != seq + 1 or e["prev_hash"] != head:
            raise ForkDetected(journal=JOURNAL_LABEL[journal], seq=e["seq"])
        subject = _rowid(s, subjects, e["subject"])
        operator = _rowid(s, "operators", e["operator_id"])
        if subject is None:
            raise SyncError(detail=f"街道记录的{'会员' if journal == 'points' else '物品'} "
                                   f"{e['subject']} 不在本机，请先完成同步的下载部分")
        fields = {
            "id": str(e["id"]), "counter_id": counter_id, "seq": e["seq"], "subject": subject,
            "delta": int(e["delta"]), "kind": e["kind"],
            "reverses_id": str(e["reverses_id"]) if e["reverses_id"] else None,
            "ref": e["ref"], "operator_id": operator, "created_at": parse_time(e["created_at"]),
            "note": e["note"], "detail_digest": e["detail_digest"],
            "hash_format": int(e["hash_format"]), "prev_hash": e["prev_hash"], "hash": e["hash"],
            "subject_uid": str(e["subject"]),
            "operator_uid": str(e["operator_id"]) if e["operator_id"] else None,
        }
        if fields["hash_format"] == 3 and entry_hash(head, fields) != e["hash"]:
            raise ForkDetected(journal=JOURNAL_LABEL[journal], seq=e["seq"])
        s.execute(text(
            f"INSERT INTO {table} (id, counter_id, seq, {subject_col}, delta, kind, reverses_id, "
            f"ref, operator_id, created_at, note, prev_hash, hash, hash_format, detail_digest, "
            f"subject_uid, operator_uid) VALUES (:id, :counter_id, :seq, :subject, :delta, "
            f":kind, :reverses_id, :ref, :operator_id, :created_at, :note, :prev_hash, :hash, "
            f":hash_format, :detail_digest, :subject_uid, :operator_uid)"), fields)
        if journal == "points":
            s.execute(text("INSERT INTO points_accounts (member_id, balance) VALUES (:m, :d) "
                           "ON CONFLICT (member_id) DO UPDATE SET balance = balance + :d"),
                      {"m": subject, "d": fields["delta"]})
        else:
            # Not an upsert: SQLite checks CHECK (qty >= 0) on the row an upsert proposes
            # (qty = delta) before the conflict turns it into an update, so a redemption's
            # negative delta was refused even with the goods on the shelf.
            level = {"c": counter_id, "i": subject, "d": fields["delta"]}
            if s.execute(text("UPDATE stock_levels SET qty = qty + :d WHERE counter_id = :c "
                              "AND item_id = :i"), level).rowcount == 0:
                s.execute(text("INSERT INTO stock_levels (counter_id, item_id, qty) "
                               "VALUES (:c, :i, :d)"), level)
        seq, head = e["seq"], e["hash"]
        n += 1
    if n:
        s.execute(text("INSERT INTO journal_heads (counter_id, journal, last_seq, last_hash) "
                       "VALUES (:c, :j, :s, :h) ON CONFLICT (counter_id, journal) DO UPDATE "
                       "SET last_seq = excluded.last_seq, last_hash = excluded.last_hash"),
                  {"c": counter_id, "j": journal, "s": seq, "h": head})
    return n


def recover(db, client, counter_id: str, progress=None, then=None) -> int:
    """Fetch back own entries the district has beyond this file's head; clears the
    restore flag once the file holds everything the district has. Returns the count.
    ``then()`` runs before the flag is cleared (the own receipts, sync/receipts.py: the
    receipt-number head must be past the district's before a new receipt is written)."""
    total = 0
    for journal in TABLES:
        district_seq, district_hash = client.head(journal)
        with db.read() as s:
            seq, _ = local_head(s, counter_id, journal)
            if district_seq <= seq:
                if local_hash(s, journal, counter_id, district_seq) != district_hash:
                    raise ForkDetected(journal=JOURNAL_LABEL[journal], seq=district_seq)
        while seq < district_seq:
            rows = client.fetch_own_entries(journal, seq + 1, FETCH)
            if not rows:
                break
            with db.write() as s:
                total += _append(s, journal, counter_id, rows)
                seq, _ = local_head(s, counter_id, journal)
            if progress:
                progress("recover", total, None)
        record_ack(db, counter_id, journal, district_seq, district_hash)
    if then is not None:
        then()
    with db.write() as s:
        settings.put(s, RECOVERY_PENDING, None)
    return total
