"""Push: counter → district. Register changes first (outbox after outbox_acked), then each
journal's entries after sync_state's acknowledged sequence, in sequence order, in batches.
Each batch is one server transaction (push_registers / push_entries); the acknowledged
head is then recorded in a small local transaction. A lost reply only causes a resend
(the district counts a resend as duplicates). Dead letters are recorded here and the rest
goes on: a register dead letter never holds back later changes; an entry refused at the
head of the chain stops that journal only (nothing after it can link), and is shown.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.orm import Session

from counter_app.district.errors import SequenceGap
from counter_app.journal import GENESIS, utcnow
from counter_app.sync.errors import ForkDetected
from counter_app.sync.wire import JOURNAL_TABLES, entry_rows, iso, register_change

REGISTER_BATCH = 500
# Entries a push call carries (one server transaction): per batch the district upserts the
# balance of each member the batch names once, so larger batches write fewer balance rows
# (bench/bench_sync.py: 100,000 entries in batches of 1,000 wrote 17,500 balance rows for
# 3,500 members). A 5,000-entry batch is ~1 MB and well under a second at the district.
ENTRY_BATCH = 5000
SEQ = 2  # the seq column of an entry row (wire.ENTRY_FIELDS)
JOURNAL_LABEL = {"points": "积分账本", "stock": "库存账本"}


@dataclass
class PushResult:
    registers: int = 0
    entries: dict = field(default_factory=lambda: {"points": 0, "stock": 0})
    duplicates: int = 0
    dead_letters: list = field(default_factory=list)
    blocked: list = field(default_factory=list)  # journals stopped at a dead letter


def record_dead_letters(s: Session, letters: list[dict]) -> None:
    for d in letters:
        s.execute(text(
            "INSERT OR IGNORE INTO sync_dead_letters (at, journal, entry_id, seq, reason, "
            "existing_hash, received_hash) VALUES (:at, :j, :id, :seq, :r, :e, :h)"),
            {"at": iso(utcnow()), "j": d.get("journal"), "id": str(d.get("id")),
             "seq": d.get("seq"), "r": d.get("reason"), "e": d.get("existing_hash"),
             "h": d.get("received_hash")})


# Acknowledged outbox rows are kept this long (a week of what was sent, for a look when
# something is asked about), then removed: the district holds them. Without this a counter
# kept every register change it ever made — the 100,000-member demo's first load alone was
# 485 MB of the file, carried in every backup.
KEEP_ACKED_DAYS = 7
PRUNE_BATCH = 5000  # rows per delete transaction: the counter keeps writing meanwhile


def prune_acked(db, keep_days: int = KEEP_ACKED_DAYS) -> int:
    """Remove outbox rows the district acknowledged more than ``keep_days`` days after they
    were written; never one it has not. Returns how many went."""
    removed = 0
    while True:
        with db.write() as s:
            n = s.execute(text(
                "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox "
                "WHERE seq <= (SELECT acked_seq FROM outbox_acked WHERE id = 1) "
                "AND created_at < strftime('%Y-%m-%d %H:%M:%f', 'now', :age) "
                "ORDER BY seq LIMIT :n)"),
                {"age": f"-{int(keep_days)} days", "n": PRUNE_BATCH}).rowcount
        removed += n
        if n < PRUNE_BATCH:
            return removed


def push_registers(db, client, result: PushResult, progress=None) -> None:
    while True:
        with db.read() as s:
            acked = s.execute(text("SELECT acked_seq FROM outbox_acked WHERE id = 1")).scalar()
            rows = s.execute(text("SELECT seq, table_name, version, payload FROM outbox "
                                  "WHERE seq > :a ORDER BY seq LIMIT :n"),
                             {"a": acked, "n": REGISTER_BATCH}).all()
        if not rows:
            prune_acked(db)
            return
        changes = [c for c in (register_change(r.table_name, r.version, r.payload)
                               for r in rows) if c is not None]
        reply = client.push_registers(changes) if changes else {"dead_letters": []}
        with db.write() as s:
            record_dead_letters(s, reply.get("dead_letters", []))
            s.execute(text("UPDATE outbox_acked SET acked_seq = max(acked_seq, :n) WHERE id = 1"),
                      {"n": rows[-1].seq})
        result.registers += len(changes)
        result.duplicates += reply.get("duplicates", 0)
        result.dead_letters += reply.get("dead_letters", [])
        if progress:
            progress("push_registers", result.registers, None)


def acked(s: Session, counter_id: str, journal: str) -> tuple[int, str]:
    r = s.execute(text("SELECT acked_seq, acked_hash FROM sync_state "
                       "WHERE counter_id = :c AND journal = :j"),
                  {"c": counter_id, "j": journal}).first()
    return (r.acked_seq, r.acked_hash) if r else (0, GENESIS)


def local_hash(s: Session, journal: str, counter_id: str, seq: int) -> str | None:
    if seq == 0:
        return GENESIS
    table = JOURNAL_TABLES[journal][0]
    return s.execute(text(f"SELECT hash FROM {table} WHERE counter_id = :c AND seq = :s"),
                     {"c": counter_id, "s": seq}).scalar()


def record_ack(db, counter_id: str, journal: str, head_seq: int, head_hash: str) -> None:
    """The district holds this counter's chain up to head_seq: recorded (never backwards)
    with the anchor check.py compares against."""
    with db.write() as s:
        mine = local_hash(s, journal, counter_id, head_seq)
        if mine is not None and mine != head_hash:
            raise ForkDetected(journal=JOURNAL_LABEL[journal], seq=head_seq)
        s.execute(text(
            "INSERT INTO sync_anchor (journal, seq, hash, at) VALUES (:j, :s, :h, :t) "
            "ON CONFLICT (journal) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
            "at = excluded.at"), {"j": journal, "s": head_seq, "h": head_hash, "t": iso(utcnow())})
        if mine is None:
            return  # the district holds more than this file: recovery fetches it back
        s.execute(text(
            "INSERT INTO sync_state (counter_id, journal, acked_seq, acked_hash) "
            "VALUES (:c, :j, :s, :h) ON CONFLICT (counter_id, journal) DO UPDATE "
            "SET acked_seq = excluded.acked_seq, acked_hash = excluded.acked_hash "
            "WHERE excluded.acked_seq > sync_state.acked_seq"),
            {"c": counter_id, "j": journal, "s": head_seq, "h": head_hash})


def push_entries(db, client, counter_id: str, journal: str, result: PushResult,
                 progress=None, batch: int = ENTRY_BATCH) -> None:
    """Batch after batch; the next batch is read from the file (on a helper thread) while
    the district takes this one — used only if the district acknowledged this one whole."""

    def read(after: int) -> tuple[int, list]:
        with db.read() as s:
            return after, entry_rows(s, journal, counter_id, after, batch)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="push") as pool:
        ahead = None
        while True:
            with db.read() as s:
                after, _ = acked(s, counter_id, journal)
            read_after, rows = ahead.result() if ahead is not None else (None, None)
            if read_after != after:
                _, rows = read(after)
            ahead = None
            if not rows:
                return
            ahead = pool.submit(read, rows[-1][SEQ])
            if not _push_batch(db, client, counter_id, journal, rows, result, progress):
                return


def _push_batch(db, client, counter_id, journal, rows, result, progress) -> bool:
    """One batch; False when this journal stops here (refused at its head, or forked)."""
    try:
        reply = client.push_entry_rows(journal, rows)
    except SequenceGap as gap:
        # The district holds less than this file thinks it acknowledged (say, the
        # district was restored): resend from its head.
        with db.write() as s:
            if local_hash(s, journal, counter_id, gap.head_seq) != gap.head_hash:
                raise ForkDetected(journal=JOURNAL_LABEL[journal], seq=gap.head_seq)
            s.execute(text("UPDATE sync_state SET acked_seq = :s, acked_hash = :h "
                           "WHERE counter_id = :c AND journal = :j"),
                      {"s": gap.head_seq, "h": gap.head_hash, "c": counter_id,
                       "j": journal})
        return True
    if reply.dead_letters:  # (a write transaction, with its fsync, only when needed)
        with db.write() as s:
            record_dead_letters(s, reply.dead_letters)
    result.dead_letters += reply.dead_letters
    result.duplicates += reply.duplicates
    result.entries[journal] += reply.accepted
    record_ack(db, counter_id, journal, reply.head_seq, reply.head_hash)
    if progress:
        progress(f"push_{journal}", result.entries[journal], None)
    if reply.stopped or reply.head_seq < rows[-1][SEQ]:
        # Refused at the head of the chain (a dead letter, shown) or forked: the rest
        # of this journal waits; the other journal and the pull go on.
        result.blocked.append(journal)
        return False
    return True
