"""``counter-app check``: verify the journals the counter trusts.

For each counter's points and stock journal: the sequence is gap-free from 1,
every entry's prev_hash is its predecessor's hash and its own hash recomputes,
the journal head matches the last entry; reversals point at an existing entry
of the opposite delta; cached balances/levels equal journal sums and none is
negative. Each fault names the entry.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from counter_app.db.models import JournalHead, PointsEntry, StockEntry
from counter_app.journal import GENESIS, POINTS, STOCK, entry_hash


@dataclass(frozen=True)
class Fault:
    journal: str
    entry_id: str | None
    counter_id: str | None
    seq: int | None
    problem: str

    def __str__(self) -> str:
        where = f"{self.journal}"
        if self.entry_id:
            where += f" entry {self.entry_id} (counter {self.counter_id}, seq {self.seq})"
        elif self.counter_id:
            where += f" counter {self.counter_id}"
        return f"{where}: {self.problem}"


@dataclass
class Report:
    faults: list[Fault]
    points_entries: int = 0
    stock_entries: int = 0
    accounts: int = 0

    @property
    def ok(self) -> bool:
        return not self.faults


_JOURNALS = {
    POINTS: (PointsEntry, "member_id", "points_journal"),
    STOCK: (StockEntry, "item_id", "stock_journal"),
}


def _verify_chain(session: Session, journal: str, faults: list[Fault]) -> int:
    model, subject_col, table = _JOURNALS[journal]
    cols = ("id", "counter_id", "seq", subject_col, "delta", "kind", "reverses_id", "ref",
            "operator_id", "created_at", "note", "prev_hash", "hash")
    stmt = select(*(getattr(model, c) for c in cols)).order_by(model.counter_id, model.seq)
    heads = {h.counter_id: h for h in session.scalars(
        select(JournalHead).where(JournalHead.journal == journal))}
    last: dict[str, tuple[int, str]] = {}
    count = 0
    for row in session.execute(stmt).yield_per(5000):
        count += 1
        f = dict(zip(cols, row))
        f["subject"] = f.pop(subject_col)
        counter = f["counter_id"]
        prev_seq, prev_hash = last.get(counter, (0, GENESIS))
        def fault(problem: str) -> None:
            faults.append(Fault(table, f["id"], counter, f["seq"], problem))
        if f["seq"] != prev_seq + 1:
            fault(f"sequence gap: expected seq {prev_seq + 1}")
        if f["prev_hash"] != prev_hash:
            fault("chain broken: prev_hash does not match the previous entry's hash")
        if entry_hash(f["prev_hash"], f) != f["hash"]:
            fault("content altered: stored hash does not match the entry's content")
        last[counter] = (f["seq"], f["hash"])
    for counter in last.keys() - heads.keys():
        faults.append(Fault(table, None, counter, None,
                            "entries without a journal head: the next append would fail"))
    for counter, head in heads.items():
        seq, hsh = last.get(counter, (0, GENESIS))
        if (head.last_seq, head.last_hash) != (seq, hsh):
            faults.append(Fault(table, None, counter, None,
                                f"journal head says seq {head.last_seq}, last entry is seq {seq}"))
    reversals = session.execute(text(
        f"SELECT r.id, r.counter_id, r.seq, r.delta, r.kind, r.reverses_id, "
        f"r.{subject_col} AS subject, o.delta AS original, o.kind AS original_kind, "
        f"o.{subject_col} AS original_subject "
        f"FROM {table} r LEFT JOIN {table} o ON o.id = r.reverses_id "
        f"WHERE r.reverses_id IS NOT NULL"))
    for r in reversals:
        if r.original is None:
            problem = f"reversal of missing entry {r.reverses_id}"
        elif r.original != -r.delta:
            problem = f"reversal delta {r.delta} does not undo {r.original}"
        elif r.kind != "reversal" or r.original_kind == "reversal":
            problem = f"a {r.kind} entry reverses a {r.original_kind} entry"
        elif r.subject != r.original_subject:
            problem = f"reversal moves {r.subject}, the original moved {r.original_subject}"
        else:
            continue
        faults.append(Fault(table, r.id, r.counter_id, r.seq, problem))
    return count


def _verify_cache(session: Session, journal: str, faults: list[Fault]) -> int:
    if journal == POINTS:
        sums = session.execute(text(
            "SELECT member_id AS k, SUM(delta) AS s FROM points_journal GROUP BY member_id"))
        cached = session.execute(text("SELECT member_id, balance FROM points_accounts"))
        label = "member"
    else:
        sums = session.execute(text(
            "SELECT counter_id || ':' || item_id AS k, SUM(delta) AS s FROM stock_journal "
            "GROUP BY counter_id, item_id"))
        cached = session.execute(text(
            "SELECT counter_id || ':' || item_id, qty FROM stock_levels"))
        label = "item"
    totals = defaultdict(int, {str(k): s for k, s in sums})
    table = _JOURNALS[journal][2]
    seen = 0
    cached_keys = set()
    for key, value in cached:
        seen += 1
        key = str(key)
        cached_keys.add(key)
        if value < 0:
            faults.append(Fault(table, None, None, None, f"{label} {key}: negative balance {value}"))
        if totals[key] != value:
            faults.append(Fault(table, None, None, None,
                                f"{label} {key}: cached {value} but journal sums to {totals[key]}"))
    for key, total in totals.items():
        if key not in cached_keys and total != 0:
            faults.append(Fault(table, None, None, None,
                                f"{label} {key}: journal sums to {total} but has no cached row"))
    return seen


def verify(db) -> Report:
    faults: list[Fault] = []
    with db.read() as s:
        points = _verify_chain(s, POINTS, faults)
        stock_count = _verify_chain(s, STOCK, faults)
        accounts = _verify_cache(s, POINTS, faults)
        _verify_cache(s, STOCK, faults)
    return Report(faults, points, stock_count, accounts)
