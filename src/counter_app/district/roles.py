"""District administration: communities, counters and each counter's own PostgreSQL role.

A counter role can log in, call the API functions below and nothing else: no table, no
internal function. What it may see and write is decided inside those functions from the
role it logged in as (``caller_counter()`` in the SQL), never from a payload.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from psycopg import errors, sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from counter_app.district.chain import GENESIS
from counter_app.district.errors import CounterExists, DistrictError, UnknownCommunity
from counter_app.district.schema import connect_admin
from counter_app.errors import InvalidInput

# The counter API: (name, argument types). Granted to the database's counter group role.
API_FUNCTIONS = (
    ("push_entries", "text, jsonb"),
    ("push_registers", "jsonb"),
    ("pull", "text, integer"),
    ("head", "text"),
    ("fetch_own_entries", "text, bigint, integer"),
    ("district_info", ""),  # d0002 (sync)
    ("own_seq_below", "text, text"),  # d0002 (sync)
    ("push_entry_rows", "text, entry_in[]"),  # d0008 (a batch staged by COPY)
    ("claim_award_reviews", "jsonb"),  # d0009 (earning: one reviewing counter an award)
    ("push_receipts", "jsonb"),  # d0007 (receipts)
    ("fetch_own_receipts", "bigint, integer"),  # d0007
    ("pull_receipts", "text, integer"),  # d0007
)
JOURNALS = ("points", "stock")
_COUNTER_ID = re.compile(r"^[A-Z0-9]{2,16}$")
_COMMUNITY_CODE = re.compile(r"^[A-Z]{2,4}$")


@dataclass(frozen=True)
class CounterCredentials:
    counter_id: str
    role: str
    password: str  # shown once; the district keeps only its SCRAM verifier
    conninfo: str  # libpq key=value string with this role's user and password

    def write(self, path: Path) -> None:
        """Write to a new file readable by its owner only (mode 0600); never overwrite."""
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(asdict(self), f, ensure_ascii=False, indent=2)
            f.write("\n")


def role_prefix(dbname: str) -> str:
    """Roles are cluster-wide: name them after the database so districts do not collide."""
    return re.sub(r"[^a-z0-9_]", "_", dbname.lower())[:40]


def group_role(dbname: str) -> str:
    return f"{role_prefix(dbname)}_counters"


def counter_role(dbname: str, counter_id: str) -> str:
    return f"{role_prefix(dbname)}_{counter_id.lower()}"


def add_community(url: str, *, district: str, street: str, code: str, name: str) -> uuid.UUID:
    """Register a community (and its district and street when new); returns its id."""
    code = code.strip().upper()
    if not _COMMUNITY_CODE.match(code):
        raise InvalidInput(detail="社区代码须为 2 到 4 个英文字母（用作卡号前缀）")
    if not (district.strip() and street.strip() and name.strip()):
        raise InvalidInput(detail="区、街道和社区名称不能为空")
    with connect_admin(url) as conn, conn.transaction():
        district_id = conn.execute(
            "INSERT INTO districts (name) VALUES (%s) ON CONFLICT (name) DO UPDATE "
            "SET name = EXCLUDED.name RETURNING id", (district.strip(),)).fetchone()[0]
        street_id = conn.execute(
            "INSERT INTO streets (district_id, name) VALUES (%s, %s) ON CONFLICT "
            "ON CONSTRAINT uq_streets_district_name DO UPDATE SET name = EXCLUDED.name "
            "RETURNING id", (district_id, street.strip())).fetchone()[0]
        row = conn.execute("SELECT id, district_id FROM communities WHERE code = %s",
                           (code,)).fetchone()
        if row is not None:
            if row[1] != district_id:
                raise InvalidInput(detail=f"社区代码 {code} 已属于另一个区")
            return row[0]
        return conn.execute(
            "INSERT INTO communities (district_id, street_id, code, name) "
            "VALUES (%s, %s, %s, %s) RETURNING id",
            (district_id, street_id, code, name.strip())).fetchone()[0]


def add_counter(url: str, community_code: str, counter_id: str, name: str) -> CounterCredentials:
    """Register a counter and create its login role, in one transaction."""
    if not _COUNTER_ID.match(counter_id):
        raise InvalidInput(detail="柜台编号须为 2 到 16 位大写字母或数字，例如 XF01")
    if not name.strip():
        raise InvalidInput(detail="柜台名称不能为空")
    password = secrets.token_urlsafe(24)
    with connect_admin(url) as conn:
        dbname = conn.info.dbname
        role, group = counter_role(dbname, counter_id), group_role(dbname)
        try:
            with conn.transaction():
                community = conn.execute("SELECT id FROM communities WHERE code = %s",
                                         (community_code.strip().upper(),)).fetchone()
                if community is None:
                    raise UnknownCommunity(code=community_code)
                if conn.execute("SELECT 1 FROM counters WHERE id = %s",
                                (counter_id,)).fetchone():
                    raise CounterExists(counter_id=counter_id)
                conn.execute("INSERT INTO counters (id, community_id, name, role_name) "
                             "VALUES (%s, %s, %s, %s)",
                             (counter_id, community[0], name.strip(), role))
                for journal in JOURNALS:
                    conn.execute("INSERT INTO counter_heads (counter_id, journal, last_hash) "
                                 "VALUES (%s, %s, %s)", (counter_id, journal, GENESIS))
                _ensure_group(conn, group, dbname)
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                    sql.Identifier(role), sql.Literal(password), sql.Identifier(group)))
                # A stuck counter must not hold the head lock of its chain for long.
                conn.execute(sql.SQL("ALTER ROLE {} SET statement_timeout = '120s'").format(
                    sql.Identifier(role)))
        except errors.DuplicateObject as exc:
            raise DistrictError(detail=f"数据库角色 {role} 已存在") from exc
        except errors.InsufficientPrivilege as exc:
            raise DistrictError(detail="此数据库账号无权创建角色（需要 CREATEROLE）") from exc
        params = conninfo_to_dict(conn.info.dsn)
    params.update(user=role, password=password, dbname=dbname)
    params.pop("passfile", None)
    return CounterCredentials(counter_id, role, password, make_conninfo(**params))


def _ensure_group(conn, group: str, dbname: str) -> None:
    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone() is None:
        conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(group)))
    conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
        sql.Identifier(dbname), sql.Identifier(group)))
    conn.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(sql.Identifier(group)))
    # The push stages a batch in a temporary table of its own session (sync/connection.py).
    conn.execute(sql.SQL("GRANT TEMPORARY ON DATABASE {} TO {}").format(
        sql.Identifier(dbname), sql.Identifier(group)))
    for fn, args in API_FUNCTIONS:
        conn.execute(sql.SQL("GRANT EXECUTE ON FUNCTION {}({}) TO {}").format(
            sql.Identifier(fn), sql.SQL(args), sql.Identifier(group)))
