"""Read side of the members page: a member's profile, contact, compounds, filtered history.

Plain functions over a Session (or the Database for the ``load_*`` helpers the UI runs
on its worker thread); no Qt. The writes stay in ``members`` (register, update_contact,
replace_card, set_blocked).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app import ledger, members
from counter_app.db.models import Compound, Member, MemberCard, Operator
from counter_app.errors import UnknownMember
from counter_app.ledger import JournalRow
from counter_app.localtime import day_start_utc
from counter_app.members import MemberRow
from counter_app.point_sources import source_names

HISTORY_LIMIT = 500  # rows shown at once; narrower dates or kinds show older ones


@dataclass(frozen=True)
class CardInfo:
    code: str
    status: str
    issued_at: datetime  # naive UTC


@dataclass(frozen=True)
class MemberProfile:
    member: MemberRow
    id_masked: str
    other_address: str  # free-text address of organisations and merchants
    created_at: datetime | None
    cards: tuple[CardInfo, ...]  # newest first; the current card is among them

    @property
    def address(self) -> str:
        return self.member.address or self.other_address

    @property
    def old_cards(self) -> tuple[CardInfo, ...]:
        return tuple(c for c in self.cards if c.code != self.member.card_code)


@dataclass(frozen=True)
class HistoryPage:
    member_id: int
    rows: list[JournalRow]
    operator_names: dict[int, str]
    truncated: bool  # more rows match than were loaded
    source_names: dict[str, str] = field(default_factory=dict)  # PI8 -> 志愿服务 · 微心愿


mask_id = members.mask_id_number


def profile(session: Session, member_id: int) -> MemberProfile:
    row = members.get_member(session, member_id)  # raises UnknownMember
    m = session.execute(select(Member.id_number, Member.address, Member.created_at)
                        .where(Member.id == member_id)).one()
    cards = session.execute(
        select(MemberCard.code, MemberCard.status, MemberCard.issued_at)
        .where(MemberCard.member_id == member_id)
        .order_by(MemberCard.issued_at.desc(), MemberCard.code.desc())
    ).all()
    return MemberProfile(row, mask_id(m.id_number), m.address or "", m.created_at,
                         tuple(CardInfo(*c) for c in cards))


def contact(session: Session, member_id: int) -> tuple[str, str]:
    """Name and the unmasked phone, for the edit form of someone allowed to edit."""
    r = session.execute(select(Member.name, Member.phone).where(Member.id == member_id)).first()
    if r is None:
        raise UnknownMember(member_id=member_id)
    return r.name, r.phone or ""


def compounds(session: Session, community_id: int) -> list[tuple[int, str]]:
    return [(r.id, r.name) for r in session.execute(
        select(Compound.id, Compound.name).where(Compound.community_id == community_id)
        .order_by(Compound.name, Compound.id))]


def day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """Local calendar days [first, last] as naive-UTC [since, until) for ``ledger.history``."""
    return (day_start_utc(first) if first else None,
            day_start_utc(last + timedelta(days=1)) if last else None)


def history(session: Session, member_id: int, kinds: list[str] | None = None,
            first: date | None = None, last: date | None = None,
            limit: int = HISTORY_LIMIT) -> HistoryPage:
    since, until = day_bounds(first, last)
    rows = ledger.history(session, member_id, limit=limit + 1, kinds=kinds or None,
                          since=since, until=until)
    ids = {r.operator_id for r in rows if r.operator_id is not None}
    names = dict(session.execute(select(Operator.id, Operator.name)
                                 .where(Operator.id.in_(ids))).all()) if ids else {}
    return HistoryPage(member_id, rows[:limit], names, len(rows) > limit,
                       source_names(session, (r.ref for r in rows[:limit])))


# --- the same, opening their own read transaction (worker-thread entry points) ----------


def load_profile(db, member_id: int) -> MemberProfile:
    with db.read() as s:
        return profile(s, member_id)


def load_contact(db, member_id: int) -> tuple[str, str]:
    with db.read() as s:
        return contact(s, member_id)


def load_compounds(db, community_id: int) -> list[tuple[int, str]]:
    with db.read() as s:
        return compounds(s, community_id)


def load_history(db, member_id: int, kinds: list[str] | None = None, first: date | None = None,
                 last: date | None = None, limit: int = HISTORY_LIMIT) -> HistoryPage:
    with db.read() as s:
        return history(s, member_id, kinds, first, last, limit)


def card_owner(session: Session, code: str) -> tuple[MemberRow, str] | None:
    """Whoever holds or held card ``code`` (blocked, replaced cards included), and the
    card's status; None for a code never issued."""
    r = session.execute(select(MemberCard.member_id, MemberCard.status)
                        .where(MemberCard.code == code.strip().upper())).first()
    return None if r is None else (members.get_member(session, r.member_id), r.status)


def search_all_cards(session: Session, text: str) -> list[MemberRow]:
    """``members.search``, plus the owner of an old (replaced) card typed or scanned: the
    members page must find who a blocked card belonged to."""
    rows = members.search(session, text)
    if members.card_code_valid(text):
        owner = card_owner(session, text)
        if owner is not None and all(r.id != owner[0].id for r in rows):
            rows.append(owner[0])
    return rows


def search(db, text: str) -> tuple[str, list[MemberRow]]:
    with db.read() as s:
        return text, search_all_cards(s, text)


def load_card_owner(db, code: str) -> tuple[MemberRow, str] | None:
    with db.read() as s:
        return card_owner(s, code)
