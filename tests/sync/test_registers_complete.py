"""Every register a counter writes to its outbox reaches the district (or is named as
staying local, with its reason): no outbox row is acknowledged and silently dropped.
Structural, no server: a freshly migrated counter file and the district's migrations."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import text

from counter_app.db import open_database
from counter_app.sync import registers, wire

SQL = Path(wire.__file__).resolve().parents[1] / "district" / "migrations" / "sql"


def _outbox_tables(tmp_path) -> set[str]:
    db = open_database(tmp_path / "fresh.db")
    try:
        with db.read() as s:
            names = s.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                   "AND name LIKE '%\\_outbox\\_insert' ESCAPE '\\'")).scalars()
            return {n.removesuffix("_outbox_insert") for n in names}
    finally:
        db.dispose()


def _register_order() -> list[str]:
    """register_order() as the last district migration that replaces it defines it."""
    body = None
    for path in sorted(SQL.glob("d*.sql")):
        for m in re.finditer(r"FUNCTION register_order\(\).*?ARRAY\[(.*?)\]", path.read_text(),
                             re.S):
            body = m.group(1)
    assert body is not None
    return re.findall(r"'(\w+)'", re.sub(r"--[^\n]*", "", body))


def test_every_outbox_table_is_pushed_or_named_local(tmp_path):
    tables = _outbox_tables(tmp_path)
    assert {"members", "vouchers", "awards"} <= tables  # the query sees the triggers
    unaccounted = tables - set(wire.REGISTER_OF) - set(wire.LOCAL_ONLY)
    assert not unaccounted, f"outbox rows acknowledged and dropped: {sorted(unaccounted)}"
    assert not set(wire.REGISTER_OF) & set(wire.LOCAL_ONLY)
    assert set(wire.REGISTER_OF) <= tables, "a pushed table without outbox triggers"


def test_every_district_register_a_counter_pushes_is_mapped_both_ways():
    order = _register_order()
    # receipts: no outbox trigger on the counter (receipts ride in the journals), never pulled
    pushed = set(order) - {"receipts"}
    assert set(wire.TABLE_OF) == pushed, (sorted(pushed - set(wire.TABLE_OF)),
                                          sorted(set(wire.TABLE_OF) - pushed))
    for register in pushed - registers.PUSH_ONLY:
        table = wire.TABLE_OF[register]
        assert table in registers.COLUMNS, f"{register}: pulled rows not applied to {table}"
        for col in registers.REQUIRED_PARENTS.get(table, ()):
            assert col in registers.COLUMNS[table] and col in registers.PARENTS, (table, col)
