"""The fixture's fallback: on a machine without a running server, the tests start their own
throwaway cluster. Forced here once (COUNTER_APP_TEST_PG=throwaway) so it is known to work."""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest

import pg_server
from counter_app.district import init_district
from counter_app.district.client import DistrictClient
from counter_app.district.roles import add_community, add_counter
from district_helpers import Chain


def test_a_throwaway_cluster_serves_a_district(monkeypatch):
    if pg_server.find_bindir() is None and os.environ.get("CI") != "true":
        pytest.skip("no PostgreSQL binaries on this machine")
    monkeypatch.setenv(pg_server.ENV, "throwaway")
    server = pg_server.start_server()
    try:
        assert server.cluster is not None and server.url != pg_server.DEFAULT_URL
        url = server.create_database("district_fallback")
        init_district(url)
        add_community(url, district="和平区", street="和平街道", code="XF", name="幸福社区")
        creds = add_counter(url, "XF", "XF01", "幸福社区积分超市")
        chain = Chain("XF01")
        chain.add(uuid.uuid4(), 10)
        with DistrictClient(creds.conninfo) as cl:
            assert cl.push_entries("points", chain.entries).head_seq == 1
        server.drop_database("district_fallback")
        with psycopg.connect(server.db_url("postgres")) as conn:
            assert conn.execute("SELECT count(*) FROM pg_roles WHERE rolname LIKE "
                                "'district\\_fallback\\_%'").fetchone() == (0,)
    finally:
        if server.cluster:
            server.cluster.stop()
    assert not server.cluster.base.exists()


def test_a_named_server_that_does_not_answer_is_a_failure(monkeypatch):
    monkeypatch.setenv(pg_server.ENV, "postgresql://postgres@127.0.0.1:1")
    with pytest.raises(pytest.fail.Exception, match="does not answer"):
        pg_server.start_server()


def test_under_ci_a_missing_server_fails_instead_of_skipping(monkeypatch):
    monkeypatch.delenv(pg_server.ENV, raising=False)
    monkeypatch.setattr(pg_server, "DEFAULT_URL", "postgresql://postgres@127.0.0.1:1")
    monkeypatch.setattr(pg_server, "find_bindir", lambda: None)  # a machine without binaries
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no PostgreSQL server"):
        pg_server.start_server()
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        pg_server.start_server()
