"""DDL for a synced register: uid guards and the outbox triggers.

Migration 0003 introduced them for the first registers; later migrations call
``register_triggers`` for the tables they add (or replace a table's triggers when its
synced columns change), so every register writes its outbox row the same way: in the
same transaction as the change, from any call site, ORM, Core or raw SQL.

A spec is ``(synced columns, {foreign-key column: parent table}, community expression or
None)``. Payloads carry uids, never local rowids. Migrations that already ran depend on
this exact text: when a new migration needs other DDL, add a function; never edit one.
"""

from __future__ import annotations

# The local counter's community: the community of a register row that has no column for it.
LOCAL_COMMUNITY = ("(SELECT c.uid FROM communities c JOIN counters k ON k.community_id = c.id "
                   "JOIN settings s ON s.key = 'local_counter_id' AND s.value = k.id)")
NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
TRIGGER_SUFFIXES = ("uid_required", "uid_fixed", "outbox_insert", "outbox_update",
                    "outbox_delete")

Spec = tuple[tuple[str, ...], dict[str, str], str | None]

# Migration 0011: a pull applies the district's rows inside one transaction that holds the
# single row of ``sync_pulling``; the outbox triggers do nothing then (a pulled row is not a
# change of this counter; writing its payload to delete it again was most of a pull's cost).
# No other connection ever sees the row: it is inserted and deleted in that transaction.
PULL_GUARD = "NOT EXISTS (SELECT 1 FROM sync_pulling)"
OUTBOX_TRIGGER_SUFFIXES = ("outbox_insert", "outbox_update", "outbox_delete")


def payload(spec: Spec) -> str:
    columns, parents, community = spec
    pairs = ["'uid', r.uid", "'version', r.version"]
    pairs += [f"'{c}', r.{c}" for c in columns]
    pairs += [f"'{c}', (SELECT p.uid FROM {p} p WHERE p.id = r.{c})" for c, p in parents.items()]
    if community is not None and "community_id" not in parents:
        pairs.append(f"'community_id', {community}")
    return "json_object(" + ", ".join(pairs) + ")"


def _outbox_insert(table: str, spec: Spec) -> str:
    return (f"INSERT INTO outbox (table_name, row_uid, version, payload, created_at) "
            f"SELECT '{table}', r.uid, r.version, {payload(spec)}, {NOW} "
            f"FROM {table} r WHERE r.rowid = NEW.rowid;")


def _when(conds: list[str | None]) -> str:
    conds = [c for c in conds if c]
    return f"WHEN {' AND '.join(f'({c})' for c in conds)} " if conds else ""


def register_triggers(table: str, spec: Spec, row_filter: str | None = None) -> list[str]:
    """The five triggers of a register; ``row_filter`` (on NEW.) limits which rows sync."""
    columns, parents, _ = spec
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in (*columns, *parents))
    old_filter = row_filter.replace("NEW.", "OLD.") if row_filter else None
    return [
        # uid: present at birth, never changed (it is what the district knows the row by).
        f"CREATE TRIGGER {table}_uid_required BEFORE INSERT ON {table} WHEN NEW.uid IS NULL "
        f"BEGIN SELECT RAISE(ABORT, 'NOT NULL constraint failed: {table}.uid'); END",
        f"CREATE TRIGGER {table}_uid_fixed BEFORE UPDATE OF uid ON {table} "
        f"WHEN NEW.uid IS NOT OLD.uid "
        f"BEGIN SELECT RAISE(ABORT, '{table}.uid cannot change'); END",
        f"CREATE TRIGGER {table}_outbox_insert AFTER INSERT ON {table} {_when([row_filter])}"
        f"BEGIN {_outbox_insert(table, spec)} END",
        f"CREATE TRIGGER {table}_outbox_update AFTER UPDATE ON {table} "
        f"{_when([row_filter, changed])}"
        f"BEGIN UPDATE {table} SET version = OLD.version + 1 "
        f"WHERE rowid = NEW.rowid AND NEW.version <= OLD.version; "
        f"{_outbox_insert(table, spec)} END",
        f"CREATE TRIGGER {table}_outbox_delete AFTER DELETE ON {table} "
        f"{'WHEN ' + old_filter + ' ' if old_filter else ''}"
        f"BEGIN INSERT INTO outbox (table_name, row_uid, version, payload, created_at) "
        f"VALUES ('{table}', OLD.uid, OLD.version + 1, "
        f"json_object('uid', OLD.uid, 'deleted', json('true')), {NOW}); END",
    ]


def guarded(trigger_sql: str) -> str:
    """An outbox trigger's CREATE text with PULL_GUARD and-ed onto its WHEN (or as its WHEN)."""
    head, sep, body = trigger_sql.partition(" BEGIN ")
    if PULL_GUARD in head:
        return trigger_sql
    before, when, cond = head.partition(" WHEN ")
    head = f"{before} WHEN {PULL_GUARD} AND ({cond.strip()})" if when else \
        f"{head.rstrip()} WHEN {PULL_GUARD}"
    return f"{head}{sep}{body}"


def unguarded(trigger_sql: str) -> str:
    """guarded's inverse (0011's downgrade)."""
    head, sep, body = trigger_sql.partition(" BEGIN ")
    if f" WHEN {PULL_GUARD} AND (" in head:
        before, _, cond = head.partition(f" WHEN {PULL_GUARD} AND (")
        head = f"{before} WHEN {cond[:cond.rindex(')')]} "
    else:
        head = head.replace(f" WHEN {PULL_GUARD}", "")
    return f"{head.rstrip()}{sep}{body}"


def guarded_register_triggers(table: str, spec: Spec, row_filter: str | None = None) -> list[str]:
    """register_triggers for migrations from 0011 on: the outbox triggers skip a pull's rows."""
    return [guarded(sql) if sql.split()[2].endswith(OUTBOX_TRIGGER_SUFFIXES) else sql
            for sql in register_triggers(table, spec, row_filter)]


def drop_register_triggers(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_{suffix}" for suffix in TRIGGER_SUFFIXES]


def uid_columns(table: str) -> list[str]:
    """For a table created without them: uid + version columns and the unique index."""
    return [f"ALTER TABLE {table} ADD COLUMN uid VARCHAR(36)",
            f"ALTER TABLE {table} ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
            f"CREATE UNIQUE INDEX uq_{table}_uid ON {table} (uid)"]
