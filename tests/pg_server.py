"""A real PostgreSQL server for the district tests, found or started by the test run itself.

- The server at 127.0.0.1:5432 (user postgres, trust auth) when it answers;
- otherwise a throwaway cluster: initdb + pg_ctl in a temporary directory, from the binaries
  the set-up script installs (/usr/lib/postgresql/*/bin, Debian's `postgresql` package).
- COUNTER_APP_TEST_PG=throwaway forces the throwaway cluster; COUNTER_APP_TEST_PG=URL uses
  that server (an admin connection URL without a database name).
- Under CI=true a missing server is a failure, never a skip.

Each test gets its own database, copied (CREATE DATABASE … TEMPLATE) from one migrated once
per session, and the counter roles made in it are dropped with it.

Import the fixtures into a conftest: ``from pg_server import pg_server, district_template,
district  # noqa: F401``.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432"
ENV = "COUNTER_APP_TEST_PG"


def answers(url: str) -> bool:
    try:
        with psycopg.connect(url + "/postgres", connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def find_bindir() -> Path | None:
    """The newest PostgreSQL binaries: Debian's versioned directories, then PATH."""
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                  key=lambda d: int(Path(d).parent.name) if Path(d).parent.name.isdigit() else 0)
    for d in reversed(dirs):
        if (Path(d) / "initdb").exists():
            return Path(d)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayCluster:
    """initdb + pg_ctl in a temporary directory; trust auth on 127.0.0.1 only."""

    def __init__(self, bindir: Path, base: Path | None = None):
        self.bindir = bindir
        self.base = Path(tempfile.mkdtemp(prefix="district-pg-", dir=base))
        self.data = self.base / "data"
        self.port = _free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}"
        # initdb refuses to run as root: run the server as the `postgres` system user.
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> str:
        if self._as:
            shutil.chown(self.base, "postgres", "postgres")
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60",
                  "-l", str(self.base / "server.log"), "-o",
                  f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.base} "
                  "-c fsync=off -c max_connections=120", "start")
        return self.url

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                      "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


@dataclass
class Server:
    url: str  # admin URL without a database name
    cluster: ThrowawayCluster | None = None

    def db_url(self, name: str) -> str:
        return f"{self.url}/{name}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(self.db_url("postgres"), autocommit=True)

    def create_database(self, name: str, template: str | None = None) -> str:
        with self.admin() as conn:
            if template:
                conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)))
            else:
                conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
                                     "LC_COLLATE 'C' LC_CTYPE 'C'").format(sql.Identifier(name)))
        return self.db_url(name)

    def drop_database(self, name: str) -> None:
        """Drop the database and the (cluster-wide) roles named after it."""
        with self.admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
            roles = [r[0] for r in conn.execute(
                "SELECT rolname FROM pg_roles WHERE rolname LIKE %s ORDER BY rolname DESC",
                (name.lower().replace("_", "\\_") + "\\_%",))]
            for role in roles:
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def start_server(tmp_base: Path | None = None) -> Server:
    """Find or start the server, following the rules in the module docstring."""
    choice = os.environ.get(ENV, "")
    if choice and choice != "throwaway":
        if not answers(choice):
            pytest.fail(f"{ENV}={choice} does not answer")
        return Server(choice)
    if choice != "throwaway" and answers(DEFAULT_URL):
        return Server(DEFAULT_URL)
    bindir = find_bindir()
    if bindir is None:
        msg = ("no PostgreSQL server at 127.0.0.1:5432 and no initdb to start one "
               "(scripts/setup.sh installs the Debian postgresql package)")
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    cluster = ThrowawayCluster(bindir, tmp_base)
    return Server(cluster.start(), cluster)


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


@dataclass
class DistrictDB:
    server: Server
    name: str
    url: str  # admin URL of this test's database


@pytest.fixture(scope="session")
def pg_server():
    server = start_server()
    yield server
    if server.cluster:
        server.cluster.stop()


class DatabaseFactory:
    """Copies of the template made one ahead and dropped behind, on one worker thread:
    CREATE/DROP DATABASE cost seconds on a busy machine, and the test need not wait."""

    def __init__(self, server: Server, template: str, ahead: int = 1):
        self.server, self.template, self.ahead = server, template, ahead
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="district-db")
        self._ready: deque = deque()
        self._fill()

    def _fill(self) -> None:
        while len(self._ready) < self.ahead:
            name = unique_name("dt")
            self._ready.append((name, self._worker.submit(
                self.server.create_database, name, self.template)))

    def take(self) -> str:
        name, made = self._ready.popleft()
        self._fill()
        made.result()
        return name

    def give_back(self, name: str) -> None:
        self._worker.submit(self.server.drop_database, name)

    def close(self) -> None:
        while self._ready:
            name, made = self._ready.popleft()
            made.result()
            self.give_back(name)
        self._worker.shutdown(wait=True)


@pytest.fixture(scope="session")
def district_template(pg_server):
    """A database migrated once per session, and the factory of its per-test copies."""
    from counter_app.district import init_district

    name = unique_name("dtpl")
    init_district(pg_server.create_database(name))
    factory = DatabaseFactory(pg_server, name)
    yield factory
    factory.close()
    pg_server.drop_database(name)


@pytest.fixture
def district(pg_server, district_template):
    name = district_template.take()
    yield DistrictDB(pg_server, name, pg_server.db_url(name))
    district_template.give_back(name)
