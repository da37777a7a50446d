"""A counter's client for the district API (psycopg 3): push, pull, head, recovery.

Every call is one server transaction (autocommit: the SQL function is the transaction), and
every call is safe to repeat: a push that lost its reply is resent and the district counts
nothing twice. Transient failures (serialization failures, deadlocks, a dropped or
terminated connection) are retried with exponential backoff and jitter under one overall
deadline (tenacity); the connection is re-opened after a failure.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

import psycopg
from psycopg import errors
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.types.json import Jsonb
from tenacity import (
    Retrying, retry_if_exception, stop_after_delay, wait_random_exponential,
)

from counter_app.district.errors import (
    DistrictError, DistrictUnavailable, NotACounter, SequenceGap, SyncDeadline,
)
from counter_app.district.urls import libpq_url

GAP = "CA001"
# A batch of entries staged for push_entry_rows; emptied by the commit of each call.
STAGE_TABLE = "CREATE TEMPORARY TABLE push_in OF entry_in ON COMMIT DELETE ROWS"
PUSH_STAGED = ("SELECT push_entry_rows(%s::text, "
               "ARRAY(SELECT ROW(t.*)::entry_in FROM pg_temp.push_in t))")
BAD_PAYLOAD = "CA004"


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date | uuid.UUID):
        return str(value)
    raise TypeError(f"cannot send {type(value).__name__}")


def as_jsonb(value) -> Jsonb:
    """A JSON parameter; datetimes as ISO text with microseconds, uuids as text."""
    return Jsonb(value, dumps=lambda v: json.dumps(v, default=_json_default,
                                                   ensure_ascii=False))


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, errors.SerializationFailure | errors.DeadlockDetected):
        return True
    # Connection refused, dropped mid-call, or ended by pg_terminate_backend / a restart.
    return isinstance(exc, psycopg.OperationalError)


@dataclass(frozen=True)
class PushReply:
    journal: str
    head_seq: int  # the highest contiguous sequence the district holds
    head_hash: str
    accepted: int
    duplicates: int
    dead_letters: list = field(default_factory=list)
    stopped: bool = False  # an entry at head + 1 was dead-lettered: the rest waits
    ignored: int = 0  # entries after the stop, not looked at


@dataclass(frozen=True)
class PullPage:
    cursor: str
    more: bool
    rows: list


def connect(conninfo: str, *, sslmode: str | None = None, connect_timeout: int = 10,
            **params) -> psycopg.Connection:
    """Open an autocommit connection. ``sslmode`` overrides the URL's (verify-full in
    production, with sslrootcert naming the district's CA)."""
    opts = conninfo_to_dict(libpq_url(conninfo))
    if sslmode:
        opts["sslmode"] = sslmode
    opts.setdefault("connect_timeout", str(connect_timeout))
    opts.setdefault("application_name", "counter_app sync")
    opts.update(params)
    return psycopg.connect(make_conninfo(**opts), autocommit=True)


class DistrictClient:
    def __init__(self, conninfo: str, *, sslmode: str | None = None, deadline: float = 120.0,
                 connect_timeout: int = 10, max_wait: float = 5.0):
        self._conninfo, self._sslmode, self._connect_timeout = conninfo, sslmode, connect_timeout
        self.deadline, self.max_wait = deadline, max_wait
        self._conn: psycopg.Connection | None = None
        self._staged: psycopg.Connection | None = None  # the connection holding push_in
        self.attempts = 0  # calls made, retries included (for tests and the sync log)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the API -------------------------------------------------------------------------

    def push_entries(self, journal: str, entries: list[dict]) -> PushReply:
        reply = self._call("SELECT push_entries(%s, %s)", (journal, as_jsonb(entries)))
        return PushReply(**reply)

    def push_entry_rows(self, journal: str, rows: list[tuple]) -> PushReply:
        """The same call with the batch as rows (tuples in the district's entry_in column
        order), staged by COPY in the call's transaction: no JSON on either side."""

        def send(conn: psycopg.Connection):
            if self._staged is not conn:  # a temporary table lives as long as its session
                conn.execute(STAGE_TABLE)
                self._staged = conn
            with conn.transaction():
                with conn.cursor().copy("COPY pg_temp.push_in FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return conn.execute(PUSH_STAGED, (journal,)).fetchone()[0]

        return PushReply(**self._call(send, ()))

    def push_registers(self, changes: list[dict]) -> dict:
        return self._call("SELECT push_registers(%s)", (as_jsonb(changes),))

    def pull(self, since: str | None, limit: int = 5000) -> PullPage:
        return PullPage(**self._call("SELECT pull(%s, %s)", (since, limit)))

    def head(self, journal: str) -> tuple[int, str]:
        reply = self._call("SELECT head(%s)", (journal,))
        return reply["seq"], reply["hash"]

    def fetch_own_entries(self, journal: str, from_seq: int, limit: int = 1000) -> list[dict]:
        return self._call("SELECT fetch_own_entries(%s, %s, %s)", (journal, from_seq, limit))

    def push_receipts(self, receipts: list[dict]) -> dict:
        """Receipts and voids (d0007): {accepted, duplicates, dead_letters}."""
        return self._call("SELECT push_receipts(%s)", (as_jsonb(receipts),))

    def fetch_own_receipts(self, after_seq: int, limit: int = 1000) -> list[dict]:
        return self._call("SELECT fetch_own_receipts(%s, %s)", (after_seq, limit))

    def pull_receipts(self, since: str | None, limit: int = 5000) -> PullPage:
        return PullPage(**self._call("SELECT pull_receipts(%s, %s)", (since, limit)))

    # --- plumbing -------------------------------------------------------------------------

    def _call(self, query, params: tuple):
        retrying = Retrying(
            stop=stop_after_delay(self.deadline),
            wait=wait_random_exponential(multiplier=0.05, max=self.max_wait),  # full jitter
            retry=retry_if_exception(_transient),
            reraise=True,
        )
        try:
            return retrying(self._once, query, params)
        except errors.InsufficientPrivilege as exc:
            raise NotACounter(detail=exc.diag.message_primary or str(exc)) from exc
        except psycopg.OperationalError as exc:
            raise SyncDeadline(detail=str(exc).strip()) from exc
        except psycopg.Error as exc:
            if exc.sqlstate == GAP:
                head = json.loads(exc.diag.message_detail)
                raise SequenceGap(head["head_seq"], head["head_hash"]) from exc
            raise DistrictError(detail=exc.diag.message_primary or str(exc)) from exc

    def _once(self, query, params: tuple):
        self.attempts += 1
        try:
            if self._conn is None or self._conn.closed:
                try:
                    self._conn = connect(self._conninfo, sslmode=self._sslmode,
                                         connect_timeout=self._connect_timeout)
                except psycopg.OperationalError as exc:
                    if "authentication" in str(exc) or "password" in str(exc):
                        raise DistrictUnavailable(detail=str(exc).strip()) from exc
                    raise
            if callable(query):  # a call of several statements in one transaction
                return query(self._conn)
            return self._conn.execute(query, params).fetchone()[0]
        except psycopg.OperationalError:
            self.close()  # a broken connection is never reused
            raise
