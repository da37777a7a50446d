"""Hash format 2 of the journal chains, exactly as the district recomputes it in SQL
(``entry_hash_fmt`` in migrations/sql/d0005_sync_speed.sql, which recomputes format 3 only
since d0007; spec in docs/district-schema.md).

    payload = "counter_app/2\\n" + render(v) for v in prev_hash, *HASHED_FIELDS
    render(None) = "-\\n";  render(v) = f"{len(s.encode())}:{s}\\n" with s the text of v
    hash = sha256(payload.encode("utf-8")).hexdigest()

Length-prefixed fields leave no room for two contents to render alike.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

GENESIS = "0" * 64
FORMAT = 2
FORMATS = (2, 3)  # the payloads rendered here
# What district check recomputes: formats 1 and 2 hash the counter file's own rowids (member,
# operator), which the district never holds (d0007: push_entries checks their links only).
VERIFIED = (3,)
HASHED_FIELDS = (
    "id", "counter_id", "seq", "subject", "delta", "kind", "reverses_id", "ref",
    "operator_id", "created_at", "note", "detail_digest",
)


def render(value) -> str:
    if value is None:
        return "-\n"
    if isinstance(value, bool):
        raise TypeError("booleans are not hashed")
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise TypeError("journal timestamps are naive UTC")
        text = value.isoformat(timespec="microseconds")
    elif isinstance(value, uuid.UUID):
        text = str(value)
    elif isinstance(value, int | str):
        text = str(value)
    else:
        raise TypeError(f"cannot hash {type(value).__name__}")
    return f"{len(text.encode('utf-8'))}:{text}\n"


def payload(prev_hash: str, fields: dict) -> str:
    """Format 2, or 3 when ``fields["hash_format"]`` says so (same fields: the district
    holds uids as subject and operator, which is what format 3 hashes)."""
    fmt = fields.get("hash_format") or FORMAT
    if fmt not in FORMATS:
        raise ValueError(f"hash format {fmt} is not recomputed here")
    return f"counter_app/{fmt}\n" + render(prev_hash) + "".join(render(fields[name]) for name in HASHED_FIELDS)


def entry_hash(prev_hash: str, fields: dict) -> str:
    return hashlib.sha256(payload(prev_hash, fields).encode("utf-8")).hexdigest()
