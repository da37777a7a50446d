"""Can this counter reach its district, and does the district take its credentials?

``probe(db) -> dict`` for ``counter-app selftest`` (selftest.py names the contract):
``reachable``, ``credentials_ok``, ``server_time`` (naive UTC, the district's clock) and
``detail`` (Chinese). A counter with no district address or no stored password raises the
sync's own CounterError, which the selftest shows as a failure in its words.
"""

from __future__ import annotations

from counter_app.counters import local_counter
from counter_app.district.errors import DistrictError, DistrictUnavailable, NotACounter, \
    SyncDeadline
from counter_app.sync.connection import open_client

TIMEOUT = 10.0  # seconds: a selftest says "unreachable" rather than hang


def probe(db) -> dict:
    counter_id = local_counter(db).id
    client = open_client(db, counter_id, deadline=TIMEOUT, call_timeout=TIMEOUT)
    try:
        try:
            client.district_info()  # runs as this counter's role: refused for a stranger
        except (DistrictUnavailable, NotACounter) as exc:
            return {"reachable": True, "credentials_ok": False, "server_time": None,
                    "detail": str(exc)}
        except SyncDeadline as exc:
            return {"reachable": False, "credentials_ok": False, "server_time": None,
                    "detail": f"连不上街道服务器（{exc}）"}
        except DistrictError as exc:
            return {"reachable": True, "credentials_ok": False, "server_time": None,
                    "detail": str(exc)}
        return {"reachable": True, "credentials_ok": True, "server_time": client.server_time(),
                "detail": ""}
    finally:
        client.close()
