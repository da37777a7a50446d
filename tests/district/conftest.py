"""District tests: a real PostgreSQL server (tests/pg_server.py) and a district per test."""

from __future__ import annotations

import pytest

from pg_server import district, district_template, pg_server  # noqa: F401  (fixtures)
from district_helpers import World, build_world


@pytest.fixture
def world(district) -> World:  # noqa: F811
    return build_world(district)
