"""Which district a counter database belongs to, and the refusal to meet another.

Two settings rows of this counter's own (not synced): ``district_id`` (the district's
uuid, recorded when the counter joins or first pushes) and ``local_counter_id`` (this
counter's id, counters.LOCAL_COUNTER). A sync with a district whose id differs is refused
before anything is sent or received: one wrong URL must not mix two districts' members.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from counter_app.counters import LOCAL_COUNTER
from counter_app.db.models import Setting
from counter_app.errors import InvalidInput, NoDistrict, NotFound, WrongDistrict

DISTRICT_ID = "district_id"


@dataclass(frozen=True)
class DistrictIdentity:
    district_id: str | None  # None: a standalone counter that has not joined yet
    counter_id: str


def _canonical(district_id: str) -> str:
    try:
        return str(uuid.UUID(str(district_id).strip()))
    except ValueError:
        raise InvalidInput(detail=f"街道编号 {district_id!r} 不是有效的标识") from None


def _get(s, key: str) -> str | None:
    return s.scalar(select(Setting.value).where(Setting.key == key))


def district_identity(db) -> DistrictIdentity:
    with db.read() as s:
        counter_id = _get(s, LOCAL_COUNTER)
        if counter_id is None:
            raise NotFound(what="本机柜台设置（请先运行 counter-app demo 或初始化）")
        return DistrictIdentity(_get(s, DISTRICT_ID), counter_id)


def join_district(db, district_id: str) -> DistrictIdentity:
    """Record the district on first contact; the same one again is a no-op, another is
    refused (WrongDistrict): a counter belongs to one district for life."""
    district_id = _canonical(district_id)
    with db.write() as s:
        own = _get(s, DISTRICT_ID)
        if own is not None and own != district_id:
            raise WrongDistrict(own=own, other=district_id)
        if own is None:
            s.add(Setting(key=DISTRICT_ID, value=district_id))
    return district_identity(db)


def ensure_same_district(db, district_id: str) -> DistrictIdentity:
    """Before a sync: the district answering must be the one this counter belongs to."""
    district_id = _canonical(district_id)
    ident = district_identity(db)
    if ident.district_id is None:
        raise NoDistrict()
    if ident.district_id != district_id:
        raise WrongDistrict(own=ident.district_id, other=district_id)
    return ident
