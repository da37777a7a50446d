"""``counter-app --db FILE join --district URL --counter-id ID``: a counter database made from
the district — its community, the district's registers and balances, this community's
operators — and, for a counter id that already has a chain at the district (its PC died),
that counter's own journal fetched back, so the chain continues without a fork.

The file is built as ``FILE.joining`` and renamed when complete: a failed join leaves no
half-made counter behind.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from counter_app.counters import LOCAL_COUNTER
from counter_app.errors import DatabaseExists
from counter_app.sync import credentials, settings
from counter_app.sync.connection import CounterClient, account, conninfo_of, split_password
from counter_app.sync.errors import NoPassword, SyncError
from counter_app.sync.run import SyncReport, sync_once


@dataclass(frozen=True)
class Joined:
    path: Path
    counter_id: str
    community: str
    report: SyncReport
    password_kept_in: str
    first_admin: str | None = None  # made by this join (the community had no operator)


# Tables the first sync fills with the whole district (a member and a card per resident,
# other counters' recent entries): their non-unique indexes are dropped before it and made
# again after it, in the new file only. CREATE INDEX sorts once what the inserts placed one
# entry at a time into eight indexes of members alone (a join of 100,000 members: ~1/3 of
# its SQLite time). Unique indexes stay: they refuse a duplicate during the pull.
BULK_FILLED = ("members", "member_cards", "district_entries", "households")


def _indexes_built_after(s) -> list[str]:
    """Drop BULK_FILLED's non-unique indexes; their CREATE statements, to run after."""
    rows = s.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN (SELECT value FROM json_each(:t)) ORDER BY name"),
        {"t": json.dumps(BULK_FILLED)}).all()
    later = [r.sql for r in rows if not r.sql.upper().startswith("CREATE UNIQUE")]
    for r in rows:
        if r.sql in later:
            s.execute(text(f'DROP INDEX "{r.name}"'))
    return later


class NoOperator(SyncError):
    message = ("街道上社区“{community}”还没有任何操作员（这是它的第一台柜台）：请同时建第一位"
               "管理员（命令行加 --admin 姓名，PIN 用 --pin 或在终端输入；首次启动窗口里填"
               "“第一位管理员”），没有建数据库")


def _first_admin(db, community: str, first_admin: tuple[str, str] | None) -> str | None:
    """A community's first counter finds no operator at the district: its first
    administrator is made here (pushed at the next sync, as any change of this community).
    Returns the name, or None when the district had operators."""
    from counter_app import operators
    from counter_app.db.models import Role

    if operators.list_operators(db):
        return None
    if not first_admin or not first_admin[0].strip():
        raise NoOperator(community=community)
    name, pin = first_admin
    operators.add_operator(db, None, name.strip(), Role.ADMIN, pin)
    return name.strip()


def join(path: Path | str, url: str, counter_id: str, *, password: str | None = None,
         sslmode: str | None = None, progress=None, deadline: float = 300.0,
         first_admin: tuple[str, str] | None = None) -> Joined:
    """``first_admin`` (name, PIN): made when the district has no operator of this
    community yet; otherwise not used."""
    from counter_app.db import open_database

    path = Path(path)
    if path.exists():
        raise DatabaseExists(path=path.absolute(), hint="加入街道会新建数据库，请换一个文件名")
    clean_url, in_url = split_password(url)
    password = password or in_url
    if not password:
        raise NoPassword(counter_id=counter_id)
    client = CounterClient(conninfo_of(clean_url, password), sslmode=sslmode, deadline=deadline)
    try:
        info = client.district_info()
        if info["counter_id"] != counter_id:
            raise SyncError(detail=f"这个账号属于柜台 {info['counter_id']}，不是 {counter_id}")
        community = next(c for c in info["communities"]
                         if str(c["id"]) == str(info["community_id"]))
        tmp = path.with_name(path.name + ".joining")
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
        db = open_database(tmp)
        try:
            with db.write() as s:
                s.execute(text("INSERT INTO streets (name, uid, version) VALUES (:n, :u, 1)"),
                          {"n": community["street"], "u": str(community["street_id"])})
                s.execute(text(
                    "INSERT INTO communities (street_id, code, name, uid, version) "
                    "SELECT id, :c, :n, :u, 1 FROM streets WHERE uid = :s"),
                    {"c": community["code"], "n": community["name"],
                     "u": str(community["id"]), "s": str(community["street_id"])})
                s.execute(text("INSERT INTO counters (id, community_id, name) "
                               "SELECT :i, id, :n FROM communities WHERE uid = :u"),
                          {"i": counter_id, "n": info["counter_name"], "u": str(community["id"])})
                settings.put(s, LOCAL_COUNTER, counter_id)
                s.execute(text("DELETE FROM outbox"))  # the district's rows, not changes of ours
                later = _indexes_built_after(s)
            settings.configure(db, clean_url, sslmode)
            client.overall_deadline = None
            report = sync_once(db, client=client, progress=progress, deadline=deadline)
            if not report.ok:
                raise SyncError(detail=report.error)
            with db.write() as s:
                for index_sql in later:
                    s.execute(text(index_sql))
            made_admin = _first_admin(db, community["name"], first_admin)
        except BaseException:
            db.dispose()  # a failed join leaves no half-made file behind
            for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
                leftover.unlink(missing_ok=True)
            raise
        db.dispose()
        kept = credentials.store(account(clean_url, counter_id), password)
        os.replace(tmp, path)
        for suffix in ("-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        return Joined(path, counter_id, community["name"], report, kept, made_admin)
    finally:
        client.close()
