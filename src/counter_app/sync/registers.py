"""Apply register rows pulled from the district to the counter's file.

Higher version wins; the local version is set to the district's. The outbox triggers are
off while a page is applied (pull.py, migration 0011), so a pulled change is never pushed
back as if it were this counter's, and bumps no version.
Geography, members and cards of the whole district come down (a card works at every
counter); the catalogue, point items, operators and settings only of this community.
A row the file cannot take (say, an operator name already used here) is recorded in
sync_dead_letters, and the pull goes on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

import sqlite3
from datetime import date, datetime

from counter_app.search_keys import search_keys
from counter_app.sync.wire import TABLE_OF, TIMES, parse_date, parse_time

OWN_COMMUNITY_ONLY = frozenset({"items", "item_barcodes", "point_categories", "point_items",
                                "operators", "community_settings",
                                "merchants", "item_prices", "vouchers", "voucher_uses",
                                "point_item_values", "activities", "wishes", "awards",
                                "objections"})
# Registers the counters push but never take back: another counter's day closes are its own
# (district check reads them at the district).
PUSH_ONLY = frozenset({"day_closes"})
# Parents before children (the district's register_order() without receipts): one page may
# carry a merchant and the item naming it, an activity and its awards.
ORDER = ("compounds", "buildings", "units", "households", "members", "member_cards",
         "merchants", "items", "item_barcodes", "item_prices", "point_categories",
         "point_items", "operators", "community_settings", "vouchers", "voucher_uses",
         "point_item_values", "activities", "wishes", "awards", "objections")
# district column -> local parent table (same column name on both sides)
PARENTS = {"community_id": "communities", "compound_id": "compounds",
           "building_id": "buildings", "unit_id": "units", "household_id": "households",
           "member_id": "members", "item_id": "exchange_items",
           "category_id": "point_categories", "merchant_id": "merchants",
           "voucher_id": "vouchers", "activity_id": "activities", "wish_id": "wishes",
           "wisher_member_id": "members", "claimant_member_id": "members",
           "operator_id": "operators", "set_by": "operators", "created_by": "operators",
           "posted_by": "operators", "recorded_by": "operators", "reviewed_by": "operators",
           "award_id": "awards", "decided_by": "operators"}
# where a column names another parent than PARENTS says (earning's item_id is a point item)
TABLE_PARENTS = {t: {"item_id": "point_items"}
                 for t in ("point_item_values", "activities", "wishes", "awards")}
COLUMNS = {
    "compounds": ("community_id", "name"),
    "buildings": ("compound_id", "name"),
    "units": ("building_id", "name"),
    "households": ("unit_id", "room"),
    "members": ("community_id", "kind", "category", "name", "phone", "id_number", "birth_date",
                "household_id", "compound_id", "work_unit", "address", "status",
                "created_at"),
    "member_cards": ("code", "member_id", "status", "issued_at"),
    "exchange_items": ("community_id", "kind", "category", "name", "unit", "points",
                       "tracks_stock", "merchant", "limit_qty", "limit_period", "min_age",
                       "active", "merchant_id", "capacity_qty", "capacity_period", "low_stock",
                       "voucher_days"),
    "item_barcodes": ("code", "item_id"),
    "point_categories": ("scheme", "name"),
    "point_items": ("category_id", "name", "points", "active", "eligible", "min_points",
                    "max_points"),
    "operators": ("name", "role", "pin_hash", "active"),
    "settings": ("key", "value"),
    "merchants": ("community_id", "name", "address", "contact", "member_id", "active",
                  "created_at"),
    "item_prices": ("item_id", "points", "changed_at", "operator_id", "note"),
    "vouchers": ("code", "item_id", "merchant_id", "member_id", "counter_id", "receipt_no",
                 "points", "issued_at", "valid_until"),
    "voucher_uses": ("voucher_id", "kind", "counter_id", "operator_id", "at", "note"),
    "point_item_values": ("item_id", "points", "effective_from", "set_by", "set_at", "note"),
    "activities": ("item_id", "activity_date", "title", "place", "organiser", "team",
                   "counter_id", "created_by", "created_at"),
    "wishes": ("title", "wisher_name", "wisher_member_id", "due_date", "item_id", "status",
               "claimant_member_id", "claimant_team", "posted_by", "posted_at", "claimed_at",
               "completed_at", "note"),
    "awards": ("member_id", "item_id", "activity_id", "wish_id", "activity_date", "points",
               "status", "note", "work_unit", "counter_id", "recorded_by", "recorded_at",
               "reviewed_by", "reviewed_at", "reason", "ledger_entry_id", "review_counter"),
    "objections": ("award_id", "raised_by", "reason", "raised_at", "counter_id", "recorded_by",
                   "outcome", "note", "decided_by", "decided_at", "decided_counter"),
}
REQUIRED_PARENTS = {"compounds": ("community_id",), "buildings": ("compound_id",),
                    "units": ("building_id",), "households": ("unit_id",),
                    "members": ("community_id",), "member_cards": ("member_id",),
                    "exchange_items": ("community_id",), "item_barcodes": ("item_id",),
                    "point_items": ("category_id",), "merchants": ("community_id",),
                    "item_prices": ("item_id",), "vouchers": ("item_id", "member_id"),
                    "voucher_uses": ("voucher_id",), "point_item_values": ("item_id",),
                    "activities": ("item_id",), "awards": ("member_id", "item_id"),
                    "objections": ("award_id",)}
DATES = ("birth_date", "effective_from", "activity_date", "due_date")
BULK_MIN = 8  # a shorter run of one register goes row by row (apply_rows)


@dataclass
class Applied:
    applied: int = 0
    stale: int = 0
    skipped: int = 0
    refused: list = field(default_factory=list)  # (register, id, reason)


class Missing(Exception):
    pass


class Raw:
    """The sqlite3 connection under a write session: a page applies thousands of rows, and
    SQLAlchemy's per-statement work cost ~1 ms a row. Same transaction, same named
    parameters; datetimes bound as SQLAlchemy stores them."""

    def __init__(self, session):
        self.cur = session.connection().connection.driver_connection.cursor()
        self.uids: dict = {}
        self.cards: dict = {}  # member uid -> code of its active card in the page at hand

    @staticmethod
    def _bind(params: dict) -> dict:
        out = {}
        for k, v in params.items():
            if isinstance(v, datetime):
                v = v.isoformat(sep=" ", timespec="microseconds")
            elif isinstance(v, date):
                v = v.isoformat()
            out[k] = v
        return out

    def run(self, sql: str, params: dict | None = None):
        return self.cur.execute(sql, self._bind(params or {}))

    def first(self, sql: str, params: dict | None = None):
        return self.run(sql, params).fetchone()

    def scalar(self, sql: str, params: dict | None = None):
        row = self.first(sql, params)
        return None if row is None else row[0]


def _existing(raw: Raw, table: str, uids: list[str]) -> dict:
    """uid -> (rowid, version) of the rows of ``table`` that hold these uids: one query."""
    found = {}
    for i in range(0, len(uids), 20000):
        chunk = json.dumps(uids[i:i + 20000])
        found.update((u, (r, v)) for u, r, v in raw.cur.execute(
            f"SELECT uid, rowid, version FROM {table} "
            f"WHERE uid IN (SELECT value FROM json_each(?))", (chunk,)))
    return found


def _preload_parents(raw: Raw, table: str, datas: list[dict]) -> None:
    """Fill raw.uids with the rowids of the parents these rows name (what _rowid would look
    up one at a time); uids not in the file are cached as None, as _rowid does."""
    for col in COLUMNS[table]:
        parent = TABLE_PARENTS.get(table, {}).get(col) or PARENTS.get(col)
        if parent is None:
            continue
        wanted = sorted({str(d[col]) for d in datas if d.get(col) is not None}
                        - {u for (t, u) in raw.uids if t == parent})
        if not wanted:
            continue
        found = _existing(raw, parent, wanted)
        for uid in wanted:
            raw.uids[(parent, uid)] = found[uid][0] if uid in found else None


def _rowid(raw: Raw, table: str, uid) -> int | None:
    if uid is None:
        return None
    key = (table, str(uid))
    if key not in raw.uids:
        raw.uids[key] = raw.scalar(f"SELECT rowid FROM {table} WHERE uid = :u", {"u": str(uid)})
    return raw.uids[key]


PARENT, TIME, DATE, JSON_TEXT, PLAIN = range(5)


@lru_cache(maxsize=None)
def _plan(table: str) -> tuple:
    """(column, how it is converted, parent table, required) per column of ``table``:
    worked out once, not for each of a pull's 100,000 rows."""
    plan = []
    for col in COLUMNS[table]:
        parent = TABLE_PARENTS.get(table, {}).get(col) or PARENTS.get(col)
        kind = (PARENT if parent is not None else TIME if col in TIMES
                else DATE if col in DATES
                else JSON_TEXT if (table, col) == ("settings", "value") else PLAIN)
        plan.append((col, kind, parent, col in REQUIRED_PARENTS.get(table, ())))
    return tuple(plan)


def stored_time(value) -> str | None:
    """A wire timestamp as SQLAlchemy stores a naive DateTime in SQLite. What wire.iso sends
    (``YYYY-MM-DDTHH:MM:SS.ffffff``) only has its T replaced: parsing it and writing it back
    was a tenth of the client's time in a pull of 100,000 members."""
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 26 and value[10] == "T" and value[19] == ".":
        return f"{value[:10]} {value[11:]}"
    return parse_time(value).isoformat(sep=" ", timespec="microseconds")


def _values(s: Raw, table: str, data: dict, existing) -> dict:
    out = {}
    uids = s.uids
    for col, kind, parent, required in _plan(table):
        value = data.get(col)
        if kind == PLAIN:
            pass
        elif kind == PARENT:
            if value is None:
                rowid = None
            else:
                key = (parent, str(value))
                rowid = uids[key] if key in uids else _rowid(s, parent, value)
            if rowid is None and required:
                raise Missing(f"{col} {value} 不在本机")
            value = rowid
        elif kind == TIME:
            value = stored_time(value)
        elif kind == DATE:
            value = None if value is None else parse_date(value).isoformat()
        else:
            value = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        out[col] = value
    if table == "members":
        out.update(search_keys(out["name"], out["phone"], out["kind"] == "person"))
        if existing is None:
            out["card_code"] = str(data["id"])  # until its active card arrives
    if table == "operators" and existing is None:
        out["failed_pins"] = 0
    if table in ("exchange_items", "point_items", "merchants"):
        for col in ("tracks_stock", "active"):
            if col in out and out[col] is not None:
                out[col] = int(bool(out[col]))
    return out


def _taken(row: dict, community_uid: str) -> bool:
    """Whether this counter keeps rows of the row's register (and community)."""
    register = row["register"]
    if TABLE_OF.get(register) is None or register in PUSH_ONLY:
        return False
    return not (register in OWN_COMMUNITY_ONLY and not row.get("deleted")
                and str((row.get("data") or {}).get("community_id")) != community_uid)


def apply_rows(s: Raw, rows: list[dict], community_uid: str, result: Applied) -> None:
    """Apply rows in their order (parents' registers before children's). A run of rows of
    one register that are all new to the file (the usual page of a join, and most pulls)
    is inserted with executemany inside one savepoint, with one query for which uids exist
    and one per parent column; a run with updates or deletes, a repeated uid, or an insert
    the file refuses goes row by row through apply_row (same outcome, slower)."""
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and rows[j]["register"] == rows[i]["register"]:
            j += 1
        run = rows[i:j]
        i = j
        if TABLE_OF.get(run[0]["register"]) in (None, "settings") or len(run) < BULK_MIN \
                or not _insert_run(s, run, community_uid, result):
            for row in run:
                apply_row(s, row, community_uid, result)


def _insert_run(s: Raw, run: list[dict], community_uid: str, result: Applied) -> bool:
    """Insert a run of new rows of one register at once; False (nothing written): the run
    is not only new rows, or the file refused one of them."""
    table = TABLE_OF[run[0]["register"]]
    kept = [r for r in run if _taken(r, community_uid)]
    uids = [str(r["id"]) for r in kept]
    if len(set(uids)) < len(uids) or any(r.get("deleted") for r in kept):
        return False
    if _existing(s, table, uids):
        return False
    _preload_parents(s, table, [r.get("data") or {} for r in kept])
    rows, refused = [], []
    for r, uid in zip(kept, uids):
        try:
            values = _values(s, table, dict(r.get("data") or {}, id=uid), None)
        except Missing as exc:
            refused.append((r["register"], uid, int(r["version"]), str(exc)))
            continue
        if table == "members" and uid in s.cards:
            # its active card came in the same page (pull.py): set now, not by an UPDATE
            # of each member (should the card be refused, the IntegrityError sends the run
            # row by row, which sets card codes only from the cards it inserted)
            values["card_code"] = s.cards[uid]
        rows.append(dict(values, uid=uid, version=int(r["version"])))
    s.run("SAVEPOINT pulled_rows")
    try:
        if rows:
            cols = list(rows[0])
            s.cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                              f"({', '.join(':' + c for c in cols)})", rows)  # text already
        if table == "members":
            s.cur.execute("INSERT OR IGNORE INTO points_accounts (member_id, balance) "
                          "SELECT id, 0 FROM members WHERE uid IN "
                          "(SELECT value FROM json_each(?))", (json.dumps(uids),))
        if table == "member_cards":
            active = [(v["code"], v["member_id"], v["code"]) for v in rows
                      if v["status"] == "active"]
            # mostly set already when the member came in the same page: only read then
            s.cur.executemany("UPDATE members SET card_code = ? WHERE id = ? "
                              "AND card_code IS NOT ?", active)
    except sqlite3.IntegrityError:
        s.run("ROLLBACK TO pulled_rows")
        s.run("RELEASE pulled_rows")
        return False
    s.run("RELEASE pulled_rows")
    result.skipped += len(run) - len(kept)
    result.applied += len(rows)
    result.refused += refused
    return True


def apply_row(s: Raw, row: dict, community_uid: str, result: Applied) -> None:
    register = row["register"]
    table = TABLE_OF.get(register)
    if not _taken(row, community_uid):
        result.skipped += 1
        return
    uid, version = str(row["id"]), int(row["version"])
    data = row.get("data") or {}
    existing = s.first(f"SELECT rowid, version FROM {table} WHERE uid = :u", {"u": uid})
    if table == "settings" and existing is None and not row.get("deleted"):
        existing = s.first("SELECT rowid, version FROM settings WHERE key = :k",
                           {"k": data.get("key")})
    if existing is not None and existing[1] >= version:
        result.stale += 1
        return
    s.run("SAVEPOINT pulled_row")
    try:
        if row.get("deleted"):
            if existing is not None:
                s.run(f"DELETE FROM {table} WHERE rowid = :r", {"r": existing[0]})
                s.uids.pop((table, uid), None)
        else:
            values = _values(s, table, dict(data, id=uid), existing)
            if existing is not None:
                sets = ", ".join(f"{c} = :{c}" for c in values)
                s.run(f"UPDATE {table} SET {sets} WHERE rowid = :_r",
                      dict(values, _r=existing[0]))
                s.run(f"UPDATE {table} SET version = :v WHERE rowid = :r",
                      {"v": version, "r": existing[0]})
            else:
                cols = ["uid", "version", *values]
                s.run(f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                      f"({', '.join(':' + c for c in cols)})", dict(values, uid=uid, version=version))
                if table == "members":
                    s.run("INSERT OR IGNORE INTO points_accounts (member_id, balance) "
                          "SELECT id, 0 FROM members WHERE uid = :u", {"u": uid})
            if table == "member_cards" and values["status"] == "active":
                _card_on_member(s, values["member_id"], values["code"])
        s.run("RELEASE pulled_row")
        result.applied += 1
    except (sqlite3.IntegrityError, Missing) as exc:
        s.run("ROLLBACK TO pulled_row")
        s.run("RELEASE pulled_row")
        result.refused.append((register, uid, version, str(exc)))


def _card_on_member(s: Raw, member_id: int, code: str) -> None:
    """The member's current card code (members.card_code): no outbox row, no new member
    version (the triggers are off during a pull)."""
    s.run("UPDATE members SET card_code = :c WHERE id = :m", {"c": code, "m": member_id})
