"""Crafted communities for the governance-report tests: compounds with households,
members of each kind, awards on chosen days (the one clock), read back from real PDFs."""

from __future__ import annotations

from datetime import datetime

from counter_app import clock, geography, ledger

from earning_helpers import credit


def compound(counter, name: str, rooms: int = 4) -> list[int]:
    """A compound with one building, one unit and ``rooms`` households; their ids."""
    with counter.db.write() as s:
        return [geography.place_in(s, counter.info.community_id, name, "1栋", "1单元",
                                   str(101 + i))[1] for i in range(rooms)]


def award(counter, member_id: int, points: int, when: datetime) -> list[str]:
    """``points`` (15s and 10s) for service on ``when``'s day, recorded and approved then;
    the ledger entry ids."""
    ids = []
    with clock.frozen(when):
        while points >= 15 and points != 20:
            ids.append(credit(counter.db, counter.reviewer, member_id, counter.big_point_item,
                              when.date())["id"])
            points -= 15
        while points >= 10:
            ids.append(credit(counter.db, counter.reviewer, member_id, counter.point_item,
                              when.date())["id"])
            points -= 10
    assert points == 0, "award in steps of 10 and 15"
    return ids


def reverse(counter, entry_id: str, when: datetime) -> None:
    with clock.frozen(when):
        ledger.reverse(counter.db, counter.admin, entry_id, "记错了人")
