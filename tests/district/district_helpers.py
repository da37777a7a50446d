"""Helpers of the district tests: chained entries (format 2), register changes, a world of
two districts with counters, and connections as a counter role."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import psycopg

from counter_app.district.client import DistrictClient
from counter_app.district.roles import CounterCredentials, add_community, add_counter

GENESIS = "0" * 64


# --- a tiny independent implementation of hash format 2 (the spec, not the product) -------

def _r(v) -> str:
    if v is None:
        return "-\n"
    s = v.isoformat(timespec="microseconds") if isinstance(v, datetime) else str(v)
    return f"{len(s.encode())}:{s}\n"


def spec_hash(prev_hash: str, e: dict) -> str:
    order = ("id", "counter_id", "seq", "subject", "delta", "kind", "reverses_id", "ref",
             "operator_id", "created_at", "note", "detail_digest")
    text = "counter_app/2\n" + _r(prev_hash) + "".join(_r(e[k]) for k in order)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def counter_hash_v3(prev_hash: str, e: dict) -> str:
    """The counter's format 3 (journal.entry_hash_v3) of an entry as the district holds it:
    subject and operator are the uids the counter hashes."""
    from counter_app import journal

    return journal.entry_hash_v3(prev_hash, dict(e, subject_uid=e["subject"],
                                                 operator_uid=e["operator_id"]))


T0 = datetime(2026, 11, 30, 8, 0, 0, 123456)


@dataclass
class Chain:
    """One counter's journal as the counter would build it."""

    counter_id: str
    journal: str = "points"
    seq: int = 0
    head: str = GENESIS
    entries: list = field(default_factory=list)

    def add(self, subject, delta: int, kind: str | None = None, *, note=None, ref=None,
            reverses_id=None, operator_id=None, detail_digest=None, at=None,
            hash_format: int = 3) -> dict:
        self.seq += 1
        e = {
            "id": str(uuid.uuid4()), "counter_id": self.counter_id, "seq": self.seq,
            "subject": str(subject), "delta": delta,
            "kind": kind or ("earn" if delta > 0 else "redeem"),
            "reverses_id": reverses_id, "ref": ref, "operator_id": operator_id,
            "created_at": at or T0 + timedelta(seconds=self.seq), "note": note,
            "detail_digest": detail_digest, "hash_format": hash_format,
            "prev_hash": self.head,
        }
        if hash_format == 2:
            e["hash"] = spec_hash(self.head, e)
        elif hash_format == 3:  # what a counter writes today: its own implementation
            e["hash"] = counter_hash_v3(self.head, e)
        else:
            e["hash"] = hashlib.sha256(f"legacy{e['id']}{self.head}".encode()).hexdigest()
        self.head = e["hash"]
        self.entries.append(e)
        return e


# --- register changes -----------------------------------------------------------------------

def member(community_id, name="张三", version=1, member_id=None, **over) -> dict:
    data = {"community_id": str(community_id), "kind": "person", "category": "resident",
            "name": name, "phone": "13800000000", "id_number": None, "birth_date": "1950-01-01",
            "household_id": None, "compound_id": None, "work_unit": None, "address": None,
            "status": "active", "created_at": "2026-11-01T08:00:00"}
    data.update(over)
    return {"register": "members", "id": str(member_id or uuid.uuid4()), "version": version,
            "data": data}


def card(community_id, member_id, code, version=1, status="active", card_id=None) -> dict:
    return {"register": "member_cards", "id": str(card_id or uuid.uuid4()), "version": version,
            "data": {"community_id": str(community_id), "code": code,
                     "member_id": str(member_id), "status": status,
                     "issued_at": "2026-11-01T08:00:00"}}


def operator(community_id, name="王阿姨", version=1, op_id=None) -> dict:
    return {"register": "operators", "id": str(op_id or uuid.uuid4()), "version": version,
            "data": {"community_id": str(community_id), "name": name, "role": "volunteer",
                     "pin_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
                     "active": True}}


# --- a world: district 和平区 (communities XF, HX), district 城东区 (community QT) ---------------

@dataclass
class World:
    db: object  # pg_server.DistrictDB
    communities: dict  # code -> uuid
    creds: dict  # counter id -> CounterCredentials

    @property
    def url(self) -> str:
        return self.db.url

    def client(self, counter_id: str, **kw) -> DistrictClient:
        return DistrictClient(self.creds[counter_id].conninfo, **kw)

    def connect_as(self, counter_id: str, **kw) -> psycopg.Connection:
        return psycopg.connect(self.creds[counter_id].conninfo, **kw)

    def admin(self, **kw) -> psycopg.Connection:
        return psycopg.connect(self.url, **kw)


COUNTERS = (("XF", "XF01"), ("XF", "XF02"), ("HX", "HX01"), ("QT", "QT01"))


def build_world(db, counters=COUNTERS) -> World:
    communities = {
        "XF": add_community(db.url, district="和平区", street="和平街道", code="XF", name="幸福社区"),
        "HX": add_community(db.url, district="和平区", street="和平街道", code="HX", name="和谐社区"),
        "QT": add_community(db.url, district="城东区", street="东门街道", code="QT", name="晴天社区"),
    }
    creds: dict[str, CounterCredentials] = {}
    for code, counter_id in counters:
        creds[counter_id] = add_counter(db.url, code, counter_id, f"{counter_id} 积分超市")
    return World(db, communities, creds)


def settle(world, timeout: float = 60.0) -> None:
    """Wait until every transaction that began before now has ended, cluster-wide.

    The pull serves rows below the oldest running transaction (of any database of the
    cluster, and other test runs share it): a test that pulls what it just pushed waits
    for that horizon to pass its writes first."""
    import time

    with world.admin(autocommit=True) as conn:
        mark = conn.execute("SELECT pg_current_xact_id()").fetchone()[0]
        deadline = time.monotonic() + timeout
        while not conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot()) > %s::xid8",
                               (str(mark),)).fetchone()[0]:
            if time.monotonic() > deadline:
                raise TimeoutError("a transaction of the cluster stays open")
            time.sleep(0.05)


def pull_all(world, client, since=None, limit: int = 5000):
    """Settle, then pull page after page; returns (rows, cursor)."""
    settle(world)
    rows = []
    while True:
        page = client.pull(since, limit)
        rows += page.rows
        since = page.cursor
        if not page.more:
            return rows, since
