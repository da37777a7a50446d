"""The hash formats of the points and stock journals, on their own: pure functions of an
entry's fields (hashlib and json only), so ``counter-app check`` and the receipt digests
verify chains without loading the database layer. ``counter_app.journal`` re-exports them.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

GENESIS = "0" * 64
POINTS = "points"
STOCK = "stock"

# The content a hash covers, in order. "subject" is member_id (points) or item_id (stock).
HASHED_FIELDS = (
    "id", "counter_id", "seq", "subject", "delta", "kind",
    "reverses_id", "ref", "operator_id", "created_at", "note",
)


def entry_hash_v1(prev_hash: str, fields: dict) -> str:
    """Format 1 (the first release): sha256 of a compact JSON array."""
    values = []
    for name in HASHED_FIELDS:
        value = fields[name]
        if isinstance(value, datetime):
            value = value.isoformat(timespec="microseconds")
        values.append(value)
    payload = json.dumps([prev_hash, *values], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def render(value) -> str:
    """One value of a length-prefixed payload: ``-\n`` for None, else ``<bytes>:<text>\n``
    with ints in decimal, datetimes (naive UTC) as isoformat with microseconds, strings as
    they are. Unambiguous without escaping, and easy to recompute in SQL."""
    if value is None:
        return "-\n"
    s = value.isoformat(timespec="microseconds") if isinstance(value, datetime) else str(value)
    return f"{len(s.encode('utf-8'))}:{s}\n"


def entry_hash_v2(prev_hash: str, fields: dict) -> str:
    """Format 2, recomputed by the district in PostgreSQL, so exactly:

    payload = "counter_app/2\n" + render(prev_hash) + render(v) for v in HASHED_FIELDS
              + render(detail_digest); hash = sha256(payload as UTF-8), hex.
    """
    payload = "counter_app/2\n" + render(prev_hash) + "".join(
        render(fields[name]) for name in HASHED_FIELDS) + render(fields.get("detail_digest"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def entry_hash_v3(prev_hash: str, fields: dict) -> str:
    """Format 3: format 2 over the district-wide keys, recomputed by the district, so exactly:

    payload = "counter_app/3\n" + render(prev_hash) + render(v) for v in HASHED_FIELDS
              + render(detail_digest); hash = sha256(payload as UTF-8), hex;

    with two substitutions: "subject" is ``subject_uid`` (the member's / item's uid) and
    "operator_id" is ``operator_uid`` (the operator's uid, None for none) — never the local
    integer rowids, which mean something else in every counter's file. uids are rendered
    as stored: lower-case canonical text (ids.uuid7).
    """
    values = dict(fields, subject=fields["subject_uid"], operator_id=fields["operator_uid"])
    payload = "counter_app/3\n" + render(prev_hash) + "".join(
        render(values[name]) for name in HASHED_FIELDS) + render(fields.get("detail_digest"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


ENTRY_HASHES = {1: entry_hash_v1, 2: entry_hash_v2, 3: entry_hash_v3}
DIGEST_FORMATS = frozenset({2, 3})  # formats whose hash covers detail_digest
