"""Pull: district → counter, page by page, each page applied in one local transaction
together with its cursor (an interrupted pull resumes where the last commit left it).

A page is applied only if the stored cursor is still the one it was pulled from: a second
sync process of the same counter that got there first makes this page a no-op (it is
pulled again from the newer cursor), so nothing is applied twice or rolled back in time.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from counter_app.journal import utcnow
from counter_app.sync import registers
from counter_app.sync.wire import iso

PAGE = 5000
PULL_CACHE, DEFAULT_CACHE = -65536, -2000  # KiB (negative), as PRAGMA cache_size takes it


@dataclass
class PullResult:
    pages: int = 0
    rows: int = 0
    registers: int = 0
    balances: int = 0
    hotlist: int = 0
    entries: int = 0
    refused: int = 0


def _now() -> str:
    return iso(utcnow())



def cursor(session: Session) -> tuple[str | None, int]:
    r = session.execute(text("SELECT cursor, own_seq FROM sync_pull WHERE id = 1")).first()
    return (r.cursor, r.own_seq) if r else (None, 0)


def _record_refused(s: Session, refused) -> None:
    for register, uid, version, reason in refused:
        s.execute(text(
            "INSERT OR IGNORE INTO sync_dead_letters (at, journal, entry_id, seq, reason) "
            "VALUES (:at, :j, :id, :v, :r)"),
            {"at": _now(), "j": f"pull:{register}", "id": uid, "v": version,
             "r": f"本机无法接收：{reason}"})


def apply_page(s: Session, rows: list[dict], community_uid: str, counter_id: str,
               old_own: int, new_own: int, result: PullResult) -> None:
    """Apply one page inside the caller's write transaction. The outbox triggers are off
    meanwhile (migration 0011's sync_pulling row, inserted and deleted here): the page is
    the district's rows, not changes of this counter, never to be pushed back."""
    # A page inserts thousands of rows into tables of up to ten indexes each; with SQLite's
    # 2 MiB page cache a join of 100,000 members kept re-reading index pages (a third more
    # time). Set back when the pull ends.
    s.execute(text(f"PRAGMA cache_size = {PULL_CACHE}"))
    s.execute(text("INSERT INTO sync_pulling (id) VALUES (1)"))
    try:
        _apply_page(s, rows, community_uid, counter_id, old_own, new_own, result)
    finally:
        s.execute(text("DELETE FROM sync_pulling"))


def _apply_page(s: Session, rows: list[dict], community_uid: str, counter_id: str,
                old_own: int, new_own: int, result: PullResult) -> None:
    applied = registers.Applied()
    raw = registers.Raw(s)
    now = _now()
    # Registers first, parents before children (the district's register order).
    order = {name: i for i, name in enumerate(registers.ORDER)}
    regs = sorted((r for r in rows if r["source"] == "register"),
                  key=lambda r: (order.get(r["register"], 99), r["xid8"]))
    raw.cards = {str(r["data"]["member_id"]): r["data"]["code"] for r in regs
                 if r["register"] == "member_cards" and not r.get("deleted")
                 and (r.get("data") or {}).get("status") == "active"}
    registers.apply_rows(raw, regs, community_uid, applied)
    # The rest set-wise (executemany: one statement prepared once, no Python per execute).
    balances = [(str(r["member_id"]), int(r["balance"]), now)
                for r in rows if r["source"] == "balance"]
    raw.cur.executemany(
        "INSERT INTO district_balances (member_uid, balance, own_included, pulled_at) "
        "VALUES (?, ?, 0, ?) ON CONFLICT (member_uid) DO UPDATE "
        "SET balance = excluded.balance, pulled_at = excluded.pulled_at", balances)
    hotlist = [(r["type"], str(r["ref_id"]), str(r["member_id"]), r["code"], r["reason"],
                r["balance"], bool(r["active"])) for r in rows if r["source"] == "hotlist"]
    raw.cur.executemany(
        "INSERT INTO district_hotlist (kind, ref_id, member_uid, code, reason, balance, "
        "active) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, ref_id) DO "
        "UPDATE SET member_uid = excluded.member_uid, code = excluded.code, "
        "reason = excluded.reason, balance = excluded.balance, active = excluded.active",
        hotlist)
    entries = [(str(r["id"]), r["counter_id"], r["seq"], str(r["subject"]), r["delta"],
                r["kind"], r["reverses_id"], r["ref"], r["note"],
                registers.stored_time(r["created_at"]))
               for r in rows if r["source"] == "entry" and r["counter_id"] != counter_id]
    raw.cur.executemany(
        "INSERT OR IGNORE INTO district_entries (id, counter_id, seq, subject_uid, delta, "
        "kind, reverses_id, ref, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        entries)
    result.balances += len(balances)
    result.hotlist += len(hotlist)
    result.entries += len(entries)
    if new_own > old_own:
        # Own entries the pulled balances now include: counted there, no more locally.
        s.execute(text(
            "INSERT INTO district_balances (member_uid, balance, own_included) "
            "SELECT subject_uid, 0, sum(delta) FROM points_journal "
            "WHERE counter_id = :c AND seq > :a AND seq <= :b GROUP BY subject_uid "
            "ON CONFLICT (member_uid) DO UPDATE "
            "SET own_included = own_included + excluded.own_included"),
            {"c": counter_id, "a": old_own, "b": new_own})
    _record_refused(s, applied.refused)
    result.registers += applied.applied
    result.refused += len(applied.refused)
    result.rows += len(rows)


def pull(db, client, *, community_uid: str, counter_id: str, page_size: int = PAGE,
         progress=None) -> PullResult:
    try:
        return _pull(db, client, community_uid, counter_id, page_size, progress)
    finally:
        with db.read() as s:  # the page cache back to SQLite's default (see _apply_page)
            s.execute(text(f"PRAGMA cache_size = {DEFAULT_CACHE}"))


def _pull(db, client, community_uid, counter_id, page_size, progress) -> PullResult:
    """Page after page; the next page is fetched (on one helper thread, the only user of
    ``client`` meanwhile) while this one is applied: the district builds a page while
    SQLite writes the last — a join of 100,000 members took the sum of both before."""
    result = PullResult()

    def fetch(since):
        page = client.pull(since, page_size)
        return since, page, client.own_seq_below("points", page.cursor)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull") as pool:
        ahead = None
        try:
            while True:
                with db.read() as s:
                    since, own = cursor(s)
                    local_head = s.execute(text(
                        "SELECT coalesce(max(seq), 0) FROM points_journal "
                        "WHERE counter_id = :c"), {"c": counter_id}).scalar()
                fetched_from, page, new_own = (ahead or pool.submit(fetch, since)).result()
                ahead = None
                if fetched_from != since:
                    continue  # fetched from a cursor another sync of this counter moved on
                if page.more:
                    ahead = pool.submit(fetch, page.cursor)
                # Own entries the district has but this file lacks are fetched back
                # (recovery) before any pull; never count an entry the file does not hold.
                new_own = max(own, min(new_own, local_head))
                with db.write() as s:
                    now_since, now_own = cursor(s)
                    if now_since != since or now_own != own:
                        continue  # another sync of this counter applied a page meanwhile
                    apply_page(s, page.rows, community_uid, counter_id, own, new_own, result)
                    s.execute(text("UPDATE sync_pull SET cursor = :c, own_seq = :o, "
                                   "pulled_at = :t WHERE id = 1"),
                              {"c": page.cursor, "o": new_own, "t": _now()})
                result.pages += 1
                if progress:
                    progress("pull", result.rows, None)
                if not page.more:
                    return result
        finally:
            if ahead is not None:  # an error here: the fetch ahead is waited for, not used
                ahead.cancel() or ahead.exception()
