"""The mechanics shared by the points and stock journals.

Each counter keeps its own chain per journal: a gap-free sequence and a SHA-256
hash chain where each entry's hash covers the previous hash and its own content.
Appends happen inside the caller's BEGIN IMMEDIATE transaction, so reading the
head and writing the next entry cannot interleave with another writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.orm import Session

from counter_app import clock
from counter_app.ids import uuid7
from counter_app.journal_hashes import (  # noqa: F401  (re-exported)
    DIGEST_FORMATS, ENTRY_HASHES, GENESIS, HASHED_FIELDS, POINTS, STOCK, entry_hash_v1,
    entry_hash_v2, entry_hash_v3, render,
)

HASH_FORMAT = 3  # what new entries use; check verifies each entry by its own format


def utcnow() -> datetime:
    """Naive UTC, the only kind of timestamp stored (from the injectable counter_app.clock)."""
    return clock.now_utc()


def entry_hash(prev_hash: str, fields: dict, hash_format: int | None = None) -> str:
    """The hash of an entry in its format (``fields["hash_format"]``, default 1)."""
    fmt = hash_format if hash_format is not None else fields.get("hash_format", 1)
    return ENTRY_HASHES[fmt](prev_hash, fields)


@dataclass
class Head:
    seq: int
    hash: str


# The heads and, in the same statement, whether a restore left recovery pending (set by
# backup.restore on a district counter's file, cleared by sync.recovery): no new entry until
# the own entries the district holds beyond the backup are fetched back. The one-row
# left join answers the flag even for a counter without heads yet.
_HEADS = text(
    "SELECT h.journal, h.last_seq, h.last_hash, "
    "EXISTS (SELECT 1 FROM settings WHERE key = 'sync_recovery_pending') AS recovery "
    "FROM (SELECT 1) LEFT JOIN journal_heads h ON h.counter_id = :c")
_NEW_HEAD = text("INSERT INTO journal_heads (counter_id, journal, last_seq, last_hash) "
                 "VALUES (:c, :j, 0, :h)")
_SAVE_HEAD = text("UPDATE journal_heads SET last_seq = :seq, last_hash = :hash "
                  "WHERE counter_id = :c AND journal = :j")
_INSERT = {
    table: text(
        f"INSERT INTO {table} (id, counter_id, seq, {subject}, delta, kind, reverses_id, ref, "
        f"operator_id, created_at, note, prev_hash, hash, hash_format, detail_digest, "
        f"subject_uid, operator_uid) "
        f"VALUES (:id, :counter_id, :seq, :subject, :delta, :kind, :reverses_id, :ref, "
        f":operator_id, :created_at, :note, :prev_hash, :hash, :hash_format, :detail_digest, "
        f":subject_uid, :operator_uid)"
    ).bindparams(bindparam("created_at", type_=DateTime()))
    for table, subject in (("points_journal", "member_id"), ("stock_journal", "item_id"))
}
TABLES = {POINTS: "points_journal", STOCK: "stock_journal"}
_UID_OF = {"members": text("SELECT uid FROM members WHERE id = :i"),
           "exchange_items": text("SELECT uid FROM exchange_items WHERE id = :i"),
           "operators": text("SELECT uid FROM operators WHERE id = :i")}
SUBJECT_TABLES = {POINTS: "members", STOCK: "exchange_items"}


def remember_uid(session: Session, table: str, rowid: int, uid: str) -> None:
    """A uid the caller already read (e.g. with the row it needed anyway): uid_of then
    asks nothing more in this transaction."""
    session.info.setdefault("uids", {})[(table, rowid)] = uid


def uid_of(session: Session, table: str, rowid: int | None) -> str | None:
    """The district-wide uid of a local row (members, exchange_items, operators), cached
    for the transaction (a uid never changes). None for None."""
    if rowid is None:
        return None
    cache = session.info.setdefault("uids", {})
    key = (table, rowid)
    if key not in cache:
        uid = session.execute(_UID_OF[table], {"i": rowid}).scalar()
        if uid is None:
            raise LookupError(f"{table} {rowid} has no uid")
        cache[key] = uid
    return cache[key]


def read_head(session: Session, counter_id: str, journal: str) -> Head:
    """The head of a counter's journal, read once per transaction and kept in session.info."""
    heads = session.info.get(("heads", counter_id))
    if heads is None:
        rows = session.execute(_HEADS, {"c": counter_id}).all()
        if rows[0].recovery:
            from counter_app.errors import RecoveryPending

            raise RecoveryPending()
        heads = {r.journal: Head(r.last_seq, r.last_hash) for r in rows if r.journal is not None}
        session.info[("heads", counter_id)] = heads
    if journal not in heads:
        session.execute(_NEW_HEAD, {"c": counter_id, "j": journal, "h": GENESIS})
        heads[journal] = Head(0, GENESIS)
    return heads[journal]


def chain_entry(head: Head, *, counter_id: str, subject: int, delta: int, kind: str,
                reverses_id: str | None, ref: str | None, operator_id: int | None,
                created_at: datetime, note: str | None, entry_id: str | None = None,
                detail_digest: str | None = None, subject_uid: str | None = None,
                operator_uid: str | None = None) -> dict:
    """Build the next entry after ``head`` (and advance ``head``). Pure: no I/O.
    ``detail_digest`` (hex sha256) chains a detail record, e.g. the receipt of a redemption.
    ``subject_uid`` / ``operator_uid``: the uids format 3 hashes (uid_of)."""
    if subject_uid is None or (operator_id is None) != (operator_uid is None):
        # Format 3 hashes the uids: an entry without them could not be verified anywhere.
        raise TypeError("journal entries need subject_uid (and operator_uid with operator_id)")
    for name, value in (("subject", subject), ("delta", delta)):
        # What is hashed must be what SQLite stores: True or "178" would be stored as
        # 1 / 178 but hashed as true / "178", and then fail verification forever.
        if type(value) is not int:
            raise TypeError(f"journal {name} must be an int, not {type(value).__name__}")
    if created_at.tzinfo is not None:
        raise TypeError("journal timestamps are naive UTC")
    fields = {
        "id": entry_id or uuid7(), "counter_id": counter_id, "seq": head.seq + 1,
        "subject": subject, "delta": delta, "kind": kind, "reverses_id": reverses_id,
        "ref": ref, "operator_id": operator_id, "created_at": created_at, "note": note,
        "detail_digest": detail_digest, "hash_format": HASH_FORMAT,
        "subject_uid": subject_uid, "operator_uid": operator_uid,
    }
    fields["prev_hash"] = head.hash
    fields["hash"] = entry_hash(head.hash, fields)
    head.seq, head.hash = fields["seq"], fields["hash"]
    return fields


def save_head(session: Session, counter_id: str, journal: str, head: Head) -> None:
    session.execute(_SAVE_HEAD, {"seq": head.seq, "hash": head.hash, "c": counter_id,
                                 "j": journal})


def write_entries(session: Session, journal: str, counter_id: str, entries: list[dict]) -> None:
    """Insert chained entries (one statement) and move the stored head past them."""
    if entries:
        session.execute(_INSERT[TABLES[journal]], entries)
        save_head(session, counter_id, journal, read_head(session, counter_id, journal))
