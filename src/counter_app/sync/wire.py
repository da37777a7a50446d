"""Rows between the counter's SQLite file and the district's JSON: journal entries and
register changes. District-wide keys only (uids), never local rowids."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy.orm import Session

JOURNAL_TABLES = {"points": ("points_journal", "member_id", "members"),
                  "stock": ("stock_journal", "item_id", "exchange_items")}

# local table -> district register (tables the district does not keep are not pushed:
# streets and communities are the district administrator's, see district add-community)
REGISTER_OF = {"compounds": "compounds", "buildings": "buildings", "units": "units",
               "households": "households", "members": "members",
               "member_cards": "member_cards", "exchange_items": "items",
               "item_barcodes": "item_barcodes", "point_categories": "point_categories",
               "point_items": "point_items", "operators": "operators",
               "settings": "community_settings",
               # stock (issue 9, d0003): same column names on both sides
               "merchants": "merchants", "item_prices": "item_prices",
               "vouchers": "vouchers", "voucher_uses": "voucher_uses",
               # earning (issue 10, d0004): same column names on both sides
               "point_item_values": "point_item_values", "activities": "activities",
               "wishes": "wishes", "awards": "awards",
               # day (issue 11, d0006): pushed only, the district's anchor of the heads
               "day_closes": "day_closes",
               # earning governance (issue 10, d0009)
               "objections": "objections"}
TABLE_OF = {v: k for k, v in REGISTER_OF.items()}
# Tables with outbox triggers whose rows are not pushed, each with its reason (the outbox
# rows are acknowledged unsent; tests/sync/test_registers_complete.py keeps this list whole):
LOCAL_ONLY = frozenset({
    "streets", "communities",  # the district administrator's (district add-community)
})
BOOLEANS = {"items": ("tracks_stock", "active"), "point_items": ("active",),
            "operators": ("active",), "merchants": ("active",)}
LOCAL_COLUMNS = {"members": ("card_code",)}  # the district knows cards as member_cards
# timestamps (stored naive UTC) sent as ISO text; dates go as the YYYY-MM-DD they are
TIMES = ("created_at", "issued_at", "changed_at", "valid_until", "at", "set_at", "posted_at",
         "claimed_at", "completed_at", "recorded_at", "reviewed_at", "closed_at", "raised_at", "decided_at")


def iso(value) -> str | None:
    """A stored naive-UTC timestamp (text or datetime) as ISO text with microseconds."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value))
    return value.isoformat(timespec="microseconds")


# The columns of an entry as the district's entry_in type has them, in its order.
ENTRY_FIELDS = ("id", "counter_id", "seq", "subject", "delta", "kind", "reverses_id", "ref",
                "operator_id", "created_at", "note", "detail_digest", "hash_format",
                "prev_hash", "hash")


def entry_rows(session: Session, journal: str, counter_id: str, after: int,
               limit: int) -> list[tuple]:
    """This counter's entries with seq > after, in order, as tuples in ENTRY_FIELDS order:
    read with the session's plain sqlite3 connection (a push reads 100,000 of them, and
    SQLAlchemy's row mappings cost more than the read). created_at stays the text SQLite
    holds ('YYYY-MM-DD HH:MM:SS.ffffff', naive UTC), which the district's COPY parses."""
    table, subject, subjects = JOURNAL_TABLES[journal]
    cur = session.connection().connection.driver_connection.cursor()
    return cur.execute(
        f"SELECT j.id, j.counter_id, j.seq, coalesce(j.subject_uid, s.uid), j.delta, "
        f"j.kind, j.reverses_id, j.ref, coalesce(j.operator_uid, o.uid), "
        f"j.created_at, j.note, j.detail_digest, j.hash_format, j.prev_hash, j.hash "
        f"FROM {table} j LEFT JOIN {subjects} s ON s.id = j.{subject} "
        f"LEFT JOIN operators o ON o.id = j.operator_id "
        f"WHERE j.counter_id = ? AND j.seq > ? ORDER BY j.seq LIMIT ?",
        (counter_id, after, limit)).fetchall()


def entries_after(session: Session, journal: str, counter_id: str, after: int,
                  limit: int) -> list[dict]:
    """The same entries as dicts, as push_entries (the JSON form) takes them."""
    out = []
    for row in entry_rows(session, journal, counter_id, after, limit):
        e = dict(zip(ENTRY_FIELDS, row))
        e["created_at"] = iso(e["created_at"])
        out.append(e)
    return out


def register_change(table: str, version: int, payload: str) -> dict | None:
    """An outbox row as push_registers takes it (None: not a district register)."""
    register = REGISTER_OF.get(table)
    if register is None:
        return None
    data = json.loads(payload)
    uid = data.pop("uid")
    data.pop("version", None)
    if data.get("deleted"):
        return {"register": register, "id": uid, "version": version, "deleted": True}
    for col in LOCAL_COLUMNS.get(table, ()):
        data.pop(col, None)
    for col in BOOLEANS.get(register, ()):
        if col in data and data[col] is not None:
            data[col] = bool(data[col])
    for col in TIMES:
        if data.get(col):
            data[col] = iso(data[col])
    if register == "community_settings":
        data["value"] = data.get("value")  # sent as a JSON string: round-trips exactly
    return {"register": register, "id": uid, "version": version, "data": data}


def parse_time(value) -> datetime | None:
    if value is None:
        return None
    return datetime.fromisoformat(str(value))


def parse_date(value) -> date | None:
    if value is None:
        return None
    return date.fromisoformat(str(value)[:10])
