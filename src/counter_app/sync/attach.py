"""First contact with the district: membership, the community's district-wide key, the other
communities of the district (members of theirs come down too)."""

from __future__ import annotations

from sqlalchemy import text

from counter_app.db.outbox_ddl import register_triggers
from counter_app.district_identity import DISTRICT_ID, ensure_same_district, join_district
from counter_app.ids import uuid7
from counter_app.sync.errors import SyncError


def attach(db, info: dict, counter_id: str) -> str:
    """Check (or record, the first time) that this file belongs to the district that
    answers, as the counter that logged in; give the local community the district's key.
    Returns the community's uid."""
    if info["counter_id"] != counter_id:
        raise SyncError(detail=f"街道服务器上的账号属于柜台 {info['counter_id']}，本机是柜台 "
                               f"{counter_id}：请检查账号")
    with db.read() as s:
        joined = s.execute(text("SELECT value FROM settings WHERE key = :k"),
                           {"k": DISTRICT_ID}).scalar()
    if joined is None:
        join_district(db, info["district_id"])
    else:
        ensure_same_district(db, info["district_id"])
    community_uid = str(info["community_id"])
    with db.write() as s:
        mark = s.execute(text("SELECT coalesce(max(seq), 0) FROM outbox")).scalar()
        own = s.execute(text("SELECT c.id, c.uid, c.code FROM communities c JOIN counters k "
                             "ON k.community_id = c.id WHERE k.id = :c"), {"c": counter_id}).one()
        district_code = next((c["code"] for c in info["communities"]
                              if str(c["id"]) == community_uid), None)
        if own.code != district_code:
            raise SyncError(detail=f"本机社区代码 {own.code} 与街道登记的 {district_code} 不符")
        if own.uid != community_uid:
            _adopt_uid(s, own.id, own.uid, community_uid)
        for c in info["communities"]:
            _ensure_community(s, c)
        s.execute(text("DELETE FROM outbox WHERE seq > :m"), {"m": mark})
        # Files set up by `init` before the fix in counters.first_setup hold their first
        # administrator's change without a community: it is this counter's community.
        s.execute(text(
            "UPDATE outbox SET payload = json_set(payload, '$.community_id', :u) "
            "WHERE json_type(payload, '$.community_id') = 'null' AND seq > "
            "(SELECT acked_seq FROM outbox_acked WHERE id = 1)"), {"u": community_uid})
    return community_uid


def _adopt_uid(s, rowid: int, old: str, new: str) -> None:
    """A standalone counter's community made its own uid; the district's is the one every
    counter knows. Pending outbox payloads are rewritten with it (nothing was pushed yet:
    rows of another community are refused by the district)."""
    uid_fixed = register_triggers("communities", ((), {}, None))[1]
    s.execute(text("DROP TRIGGER IF EXISTS communities_uid_fixed"))
    s.execute(text("UPDATE communities SET uid = :n WHERE id = :r"), {"n": new, "r": rowid})
    s.execute(text(uid_fixed))
    s.execute(text("UPDATE outbox SET payload = json_set(payload, '$.community_id', :n) "
                   "WHERE json_extract(payload, '$.community_id') = :o"), {"n": new, "o": old})


def _ensure_community(s, c: dict) -> None:
    uid = str(c["id"])
    if s.execute(text("SELECT 1 FROM communities WHERE uid = :u"), {"u": uid}).first():
        return
    if s.execute(text("SELECT 1 FROM communities WHERE code = :c"), {"c": c["code"]}).first():
        return  # a local community of that code with another key: left as it is
    street = s.execute(text("SELECT id FROM streets WHERE name = :n"), {"n": c["street"]}).scalar()
    if street is None:
        s.execute(text("INSERT INTO streets (name, uid, version) VALUES (:n, :u, 1)"),
                  {"n": c["street"], "u": str(c.get("street_id") or uuid7())})
        street = s.execute(text("SELECT id FROM streets WHERE name = :n"),
                           {"n": c["street"]}).scalar()
    s.execute(text("INSERT INTO communities (street_id, code, name, uid, version) "
                   "VALUES (:s, :c, :n, :u, 1)"),
              {"s": street, "c": c["code"], "n": c["name"], "u": uid})
