"""Sync settings of this counter, stored in its database as local keys (never synced: only
the community-wide ``redemption_window`` is; never a password, see credentials.py).

* ``sync_district_url``: libpq URL of the district without password, e.g.
  ``postgresql://hpq_xf01@district.example/hpq?sslmode=verify-full&sslrootcert=/path/ca.pem``
* ``sync_sslmode``: overrides the URL's sslmode (``verify-full`` in production, with
  ``sslrootcert`` naming the district's CA; ``disable``/``prefer`` only on a test bench).
* offline caps (offline_caps.py), each an integer or absent (no cap).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from counter_app.db.models import Setting
from counter_app.errors import InvalidInput

URL = "sync_district_url"
SSLMODE = "sync_sslmode"
SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


@dataclass(frozen=True)
class Caps:
    """Offline caps; None = no cap. Defaults: no cap on amounts, 7 days without sync."""

    per_redemption: int | None = None  # points of one checkout
    per_member_day: int | None = None  # points a member redeems in a day, all counters
    unsynced_total: int | None = None  # points redeemed here the district has not seen
    days_without_sync: int | None = 7  # after that, a redemption needs an administrator

    LABELS = {"per_redemption": "每次兑换积分上限", "per_member_day": "每位会员每天兑换积分上限",
              "unsynced_total": "未同步兑换积分总上限", "days_without_sync": "未同步天数上限"}


_CAP_KEY = "sync_cap_{}"


def get(session: Session, key: str) -> str | None:
    return session.scalar(select(Setting.value).where(Setting.key == key))


def put(session: Session, key: str, value: str | None) -> None:
    if value is None:
        session.execute(delete(Setting).where(Setting.key == key))
    else:
        session.merge(Setting(key=key, value=value))


def caps(session: Session) -> Caps:
    values = {}
    for f in fields(Caps):
        raw = get(session, _CAP_KEY.format(f.name))
        if raw is not None:
            values[f.name] = None if raw == "" else int(raw)
    return Caps(**values)


def set_caps(db, **changes: int | None) -> Caps:
    """Set caps (None or 0: no cap). Unknown names or negative values are refused."""
    known = {f.name for f in fields(Caps)}
    for name, value in changes.items():
        if name not in known:
            raise InvalidInput(detail=f"没有这个离线上限：{name}")
        if value is not None and (type(value) is not int or value < 0):
            raise InvalidInput(detail=f"{Caps.LABELS[name]}须为非负整数")
    with db.write() as s:
        for name, value in changes.items():
            put(s, _CAP_KEY.format(name), "" if not value else str(value))
        return caps(s)


def configure(db, url: str, sslmode: str | None = None) -> None:
    if sslmode is not None and sslmode not in SSLMODES:
        raise InvalidInput(detail=f"sslmode 只能是 {'、'.join(SSLMODES)} 之一")
    with db.write() as s:
        put(s, URL, url)
        put(s, SSLMODE, sslmode)
