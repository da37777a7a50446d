"""The district client of this counter: URL and sslmode from its settings, the password from
credentials.py, the API of district/client.py plus the sync functions of d0002."""

from __future__ import annotations

import os
import socket
import threading
import time

from psycopg.conninfo import conninfo_to_dict, make_conninfo

from counter_app.district.client import DistrictClient, as_jsonb
from counter_app.district.errors import SyncDeadline
from counter_app.district.urls import libpq_url
from counter_app.sync import credentials, settings
from counter_app.sync.errors import NoPassword, SyncNotConfigured


class CounterClient(DistrictClient):
    """``call_timeout``: a call whose reply has not come after that many seconds has its
    socket shut down (then retried on a new connection: every call is safe to repeat).
    ``overall_deadline`` (time.monotonic()): no retry starts after it."""

    def __init__(self, conninfo: str, *, call_timeout: float | None = 60.0, **kw):
        super().__init__(conninfo, **kw)
        self.call_timeout = call_timeout
        self.overall_deadline: float | None = None

    def _call(self, query: str, params: tuple):
        if self.overall_deadline is not None:
            left = self.overall_deadline - time.monotonic()
            if left <= 0:
                raise SyncDeadline(detail="超过了本次同步的总时限")
            self.deadline = left
        return super()._call(query, params)

    def _once(self, query: str, params: tuple):
        timer = None
        if self.call_timeout:
            timer = threading.Timer(self.call_timeout, self._abort)
            timer.daemon = True
            timer.start()
        try:
            return super()._once(query, params)
        finally:
            if timer is not None:
                timer.cancel()

    def _abort(self) -> None:
        """Shut the socket down under a call that waits too long (the call then fails
        with an OperationalError and is retried)."""
        conn = self._conn
        if conn is None or conn.closed:
            return
        try:
            fd = conn.fileno()
            sock = socket.socket(fileno=os.dup(fd) if os.name != "nt" else fd)
            try:
                sock.shutdown(socket.SHUT_RDWR)
            finally:
                if os.name == "nt":
                    sock.detach()
                else:
                    sock.close()
        except OSError:
            pass

    def district_info(self) -> dict:
        return self._call("SELECT district_info()", ())

    def server_time(self):
        """The district's clock, naive UTC (for the selftest's clock check)."""
        return self._call("SELECT (now() AT TIME ZONE 'UTC')::timestamp", ())

    def claim_award_reviews(self, award_uids: list[str]) -> dict:
        """Claim the review of awards left to any counter (d0009); safe to repeat."""
        return self._call("SELECT claim_award_reviews(%s)", (as_jsonb(list(award_uids)),))

    def own_seq_below(self, journal: str, cursor: str | None) -> int:
        return int(self._call("SELECT own_seq_below(%s, %s)", (journal, cursor)))


def account(url: str, counter_id: str) -> str:
    """The keyring account name: the counter and the server it logs in to."""
    opts = conninfo_to_dict(libpq_url(url))
    return f"{counter_id}@{opts.get('host', '')}:{opts.get('port', '')}/{opts.get('dbname', '')}"


def split_password(url: str) -> tuple[str, str | None]:
    """(the URL without its password, the password or None)."""
    opts = conninfo_to_dict(libpq_url(url))
    password = opts.pop("password", None)
    return make_conninfo(**opts), password


def conninfo_of(url: str, password: str) -> str:
    opts = conninfo_to_dict(libpq_url(url))
    opts["password"] = password
    return make_conninfo(**opts)


def open_client(db, counter_id: str, *, deadline: float = 120.0, **kw) -> CounterClient:
    """The client of this counter, from its settings and stored password."""
    with db.read() as s:
        url, sslmode = settings.get(s, settings.URL), settings.get(s, settings.SSLMODE)
    if not url:
        raise SyncNotConfigured()
    password = credentials.load(account(url, counter_id))
    if password is None:
        raise NoPassword(counter_id=counter_id)
    return CounterClient(conninfo_of(url, password), sslmode=sslmode, deadline=deadline, **kw)
