"""``counter-app demo-district`` against the real district server: counters of two
communities, the later ones joined, activity everywhere, synced (or left waiting)."""

from __future__ import annotations

import sys
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent / "sync"))

from counter_app import check  # noqa: E402
from counter_app.db import open_database  # noqa: E402
from counter_app.district.check import district_check, faults  # noqa: E402
from counter_app.sync.status import status  # noqa: E402
from sync_helpers import isolate_secrets  # noqa: E402


def entries_at_district(url: str, counter_id: str, table: str) -> dict:
    with psycopg.connect(url) as conn:
        return {str(r[0]): r[1] for r in conn.execute(
            f"SELECT id, hash FROM {table} WHERE counter_id = %s", (counter_id,))}


def own_entries(db, counter_id: str, table: str) -> dict:
    with db.read() as s:
        return {r[0]: r[1] for r in s.execute(
            text(f"SELECT id, hash FROM {table} WHERE counter_id = :c"), {"c": counter_id})}


@pytest.mark.slow
def test_demo_district_cli_joins_counters_of_two_communities_and_syncs(
        run_cli, district, tmp_path):
    out = tmp_path / "district"
    r = run_cli("demo-district", "--url", district.url, "--out", out, "--counters", 3,
                "--members", 4, "--activity", 3, "--seed", 5,
                env={"COUNTER_APP_NO_KEYRING": "1"}, timeout=280)
    assert r.rc == 0, r.stdout + r.stderr
    assert "街道核对通过" in r.stdout and "XF02 幸福社区（加入）" in r.stdout
    assert sorted(p.name for p in out.glob("*.db")) == ["HX01.db", "XF01.db", "XF02.db"]
    assert (out / "XF02.credentials.json").stat().st_mode & 0o077 == 0
    assert not faults(district_check(district.url))
    with psycopg.connect(district.url) as conn:
        communities = dict(conn.execute(
            "SELECT k.id, c.code FROM counters k JOIN communities c ON c.id = k.community_id"))
    assert communities == {"XF01": "XF", "XF02": "XF", "HX01": "HX"}
    for counter_id in ("XF01", "XF02", "HX01"):
        db = open_database(out / f"{counter_id}.db")
        try:
            report = check.verify(db)
            assert report.ok, [str(f) for f in report.faults]
            with db.read() as s:
                kinds = {k for (k,) in s.execute(text(
                    "SELECT DISTINCT kind FROM points_journal WHERE counter_id = :c"),
                    {"c": counter_id})}
                restocks = s.execute(text(
                    "SELECT count(*) FROM stock_journal WHERE counter_id = :c AND delta > 0"),
                    {"c": counter_id}).scalar()
            assert {"award", "redemption"} <= kinds and len(kinds) >= 3, kinds  # + a void
            assert restocks >= 5
            for table in ("points_journal", "stock_journal"):  # each entry once, the same
                assert entries_at_district(district.url, counter_id, table) == \
                    own_entries(db, counter_id, table)
        finally:
            db.dispose()
    xf02 = open_database(out / "XF02.db")  # joined: XF01's members came down
    try:
        with xf02.read() as s:
            assert s.execute(text("SELECT count(*) FROM members m JOIN communities c ON "
                                  "c.id = m.community_id WHERE c.code = 'XF'")).scalar() == 4
    finally:
        xf02.dispose()


def test_no_sync_leaves_the_day_waiting_then_a_sync_sends_it(
        district, tmp_path, monkeypatch):
    from counter_app.demo.district import build_district
    from counter_app.sync.run import sync_once

    isolate_secrets(monkeypatch, tmp_path)
    demo = build_district(district.url, tmp_path / "d", counters=2, members=3, activity=2,
                          seed=9, sync=False)
    assert not demo.synced
    for c in demo.counters:
        db = open_database(c.path)
        try:
            waiting = status(db).waiting_entries
            assert waiting["points"] >= 2 and waiting["stock"] >= 5, waiting
            report = sync_once(db)
            assert report.ok, report.error
            assert status(db).waiting_entries == {"points": 0, "stock": 0}
        finally:
            db.dispose()
    assert not faults(district_check(district.url))


def test_demo_district_refuses_a_folder_with_counters_in_it(district, tmp_path):
    from counter_app.demo.district import build_district
    from counter_app.errors import CounterError

    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "HX01.db").write_bytes(b"")
    with pytest.raises(CounterError, match="HX01.db"):
        build_district(district.url, tmp_path / "d", counters=2, members=1)
