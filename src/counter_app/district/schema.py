"""Create or upgrade a district database: ``init_district(url)``."""

from __future__ import annotations

from pathlib import Path

import psycopg

from counter_app.district.errors import DistrictSchemaError, DistrictUnavailable
from counter_app.district.urls import libpq_url, sqlalchemy_url

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "district_alembic_version"
HEAD = "d0011"  # chain: d0006 -> d0008 -> d0009 -> d0007 -> d0010 -> d0011
# Serialises two `district init` runs against one database.
_INIT_LOCK = 0x64697374  # "dist"


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def current_revision(url: str) -> str | None:
    with connect_admin(url) as conn:
        exists = conn.execute("SELECT to_regclass(%s)", (VERSION_TABLE,)).fetchone()[0]
        if exists is None:
            return None
        return conn.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()[0]


def connect_admin(url: str, **kw) -> psycopg.Connection:
    try:
        return psycopg.connect(libpq_url(url), connect_timeout=10, **kw)
    except psycopg.OperationalError as exc:
        raise DistrictUnavailable(detail=str(exc).strip()) from exc


def init_district(url: str) -> str:
    """Bring the database at ``url`` to the newest district schema; returns the revision."""
    from alembic import command
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    with connect_admin(url) as conn:
        encoding = conn.execute("SHOW server_encoding").fetchone()[0]
        version = conn.info.server_version
    if encoding != "UTF8":
        raise DistrictSchemaError(detail=f"数据库编码须为 UTF8（现在是 {encoding}）")
    if version < 130000:
        raise DistrictSchemaError(detail="需要 PostgreSQL 13 或更新版本")
    engine = create_engine(sqlalchemy_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            # Held to the end of the transaction: a second `district init` waits, then
            # finds the schema current.
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _INIT_LOCK})
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
    finally:
        engine.dispose()
    return HEAD
