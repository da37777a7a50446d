"""The district schema: its own Alembic tree and version table, models equal to the
migrated database, and the format-2 hash the same in SQL, in chain.py and in the spec."""

from __future__ import annotations

import uuid
from datetime import datetime

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from counter_app.district import chain, init_district
from counter_app.district.models import Base
from counter_app.district.schema import HEAD, VERSION_TABLE, current_revision
from counter_app.district.urls import sqlalchemy_url
from district_helpers import Chain, spec_hash


def test_init_is_idempotent_and_uses_its_own_version_table(district):
    assert current_revision(district.url) == HEAD  # the newest, whatever its number
    assert init_district(district.url) == HEAD  # already current: nothing happens
    with psycopg.connect(district.url) as conn:
        assert conn.execute("SELECT version_num FROM district_alembic_version").fetchone() == (HEAD,)
        assert conn.execute("SELECT to_regclass('alembic_version')").fetchone() == (None,)
    assert VERSION_TABLE == "district_alembic_version"


@pytest.mark.filterwarnings("ignore:Did not recognize type:sqlalchemy.exc.SAWarning")
def test_models_match_the_migrated_database(district):
    engine = create_engine(sqlalchemy_url(district.url))
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={
                "compare_type": False,  # xid8 reflects as NullType; names and keys matter
                "include_name": lambda name, type_, parent: name != VERSION_TABLE,
            })
            diff = compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_known_vector():
    # Spelled out by hand from the spec, so chain.py and the spec cannot drift together.
    e = {"id": "0190f5a2-0000-7000-8000-000000000001", "counter_id": "XF01", "seq": 1,
         "subject": "0190f5a2-0000-7000-8000-0000000000aa", "delta": -20, "kind": "redeem",
         "reverses_id": None, "ref": "R1", "operator_id": None,
         "created_at": datetime(2026, 12, 1, 9, 30), "note": "大米", "detail_digest": None}
    payload = ("counter_app/2\n" "64:" + "0" * 64 + "\n"
               "36:0190f5a2-0000-7000-8000-000000000001\n" "4:XF01\n" "1:1\n"
               "36:0190f5a2-0000-7000-8000-0000000000aa\n" "3:-20\n" "6:redeem\n" "-\n"
               "2:R1\n" "-\n" "26:2026-12-01T09:30:00.000000\n" "6:大米\n" "-\n")
    assert chain.payload(chain.GENESIS, e) == payload
    import hashlib
    assert chain.entry_hash(chain.GENESIS, e) == hashlib.sha256(payload.encode()).hexdigest()
    assert spec_hash(chain.GENESIS, e) == chain.entry_hash(chain.GENESIS, e)


@pytest.mark.parametrize("note", [None, "", "大米 2 袋", "a:b\n-\n", "😀"])
def test_sql_hash_equals_python(district, note):
    c = Chain("XF01")
    e = c.add(uuid.uuid4(), -5, note=note, ref="R-1", operator_id=str(uuid.uuid4()),
              reverses_id=str(uuid.uuid4()), detail_digest="ab" * 32,
              at=datetime(2026, 1, 2, 3, 4, 5))
    with psycopg.connect(district.url) as conn:
        sql_hash = conn.execute(
            "SELECT entry_hash_fmt(3::smallint, %s, %s::uuid, %s, %s, %s::uuid, %s, %s, "
            "%s::uuid, %s, "
            "%s::uuid, %s::timestamp, %s, %s)",
            (e["prev_hash"], e["id"], e["counter_id"], e["seq"], e["subject"], e["delta"],
             e["kind"], e["reverses_id"], e["ref"], e["operator_id"], e["created_at"],
             e["note"], e["detail_digest"])).fetchone()[0]
    assert sql_hash == e["hash"] == chain.entry_hash(e["prev_hash"], e)


def test_every_table_and_column_is_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "district-schema.md").read_text("utf-8")
    missing = []
    for table in Base.metadata.sorted_tables:
        if f"**{table.name}**" not in doc and f"`{table.name}`" not in doc:
            missing.append(table.name)
        missing += [f"{table.name}.{c.name}" for c in table.columns if f"`{c.name}`" not in doc]
    assert missing == []
