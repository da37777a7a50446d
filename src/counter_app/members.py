"""Member register: registration, cards, masking and look-up.

Look-up serves the counter's single input box: a scanned or typed card code, a
phone number (whole or last four digits), a name (or part of it), pinyin
initials or full pinyin. Exact card and phone hits rank first.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session

from counter_app import audit, card_codes
from counter_app.db.models import (
    CATEGORY_LABELS,
    Building,
    CardNumber,
    CardStatus,
    Community,
    Compound,
    Household,
    Member,
    MemberCard,
    MemberCategory,
    MemberKind,
    MemberStatus,
    PointsAccount,
    Setting,
    Unit,
)
from counter_app.errors import (
    BlockedCard, InvalidCardCode, InvalidInput, NotFound, UnknownCard, UnknownCategory,
    UnknownCommunity, UnknownMember,
)
from counter_app import member_search
from counter_app.journal import utcnow
from counter_app.member_search import (  # noqa: F401  (re-exported)
    CARD_RE, PHONE_RE, MemberRow, card_code_valid, mask_phone, member_row,
)
from counter_app.operators import Actor, Permission, require
from counter_app.search_keys import search_keys
from counter_app.db.sync_models import DistrictBalance
from counter_app.sync import balances
from counter_app.user_text import clean_optional, clean_text, whole_number


# --- codes and masking ------------------------------------------------------------------


def mask_id_number(id_number: str | None) -> str:
    """First 4 and last 4 shown; short numbers keep only their last 2."""
    if not id_number:
        return ""
    if len(id_number) <= 8:
        return "*" * (len(id_number) - 2) + id_number[-2:]
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def birth_date_from_id(id_number: str | None) -> date | None:
    """Mainland resident ID numbers (18 digits) carry the birth date at 7-14."""
    if id_number and len(id_number) == 18 and id_number[6:14].isdigit():
        try:
            return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        except ValueError:
            return None
    return None


def age_on(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --- rows handed to the UI ---------------------------------------------------------------


_COMPOUND_OF_HOUSE = Compound.__table__.alias("c2")


def _row_query():
    return (
        select(
            Member.id, Member.name, Member.category, Member.card_code, Member.phone,
            Member.status, Member.birth_date, Member.work_unit,
            func.coalesce(Compound.name, _COMPOUND_OF_HOUSE.c.name, "").label("compound"),
            func.coalesce(Building.name, "").label("building"),
            func.coalesce(Unit.name, "").label("unit"),
            func.coalesce(Household.room, "").label("room"),
            (func.coalesce(PointsAccount.balance, 0)
             + balances.district_part_column()).label("balance"),  # sync.balances
        )
        .select_from(Member)
        .outerjoin(PointsAccount, PointsAccount.member_id == Member.id)
        .outerjoin(DistrictBalance, DistrictBalance.member_uid == Member.uid)
        .outerjoin(Household, Household.id == Member.household_id)
        .outerjoin(Unit, Unit.id == Household.unit_id)
        .outerjoin(Building, Building.id == Unit.building_id)
        .outerjoin(Compound, Compound.id == Building.compound_id)
        .outerjoin(_COMPOUND_OF_HOUSE, _COMPOUND_OF_HOUSE.c.id == Member.compound_id)
    )


def _to_row(r) -> MemberRow:
    return member_row(*tuple(r)[:13])  # the columns of _row_query, in member_search's order


# Built once: these two run on every scan and every selection at the counter.
_BY_ID = _row_query().where(Member.id == bindparam("member_id"))
_BY_CARD = (_row_query().add_columns(MemberCard.status.label("card_status"))
            .join(MemberCard, MemberCard.member_id == Member.id)
            .where(MemberCard.code == bindparam("code")))


def get_member(session: Session, member_id: int) -> MemberRow:
    member_id = whole_number(member_id, "会员编号")
    r = session.execute(_BY_ID, {"member_id": member_id}).first()
    if r is None:
        raise UnknownMember(member_id=member_id)
    return _to_row(r)


def lookup_card(session: Session, code: str) -> MemberRow:
    """A scanned card: the member, or UnknownCard / BlockedCard with a clear message."""
    code = clean_text(code, "卡号").upper()
    if not card_code_valid(code):  # a mistyped character or swap never finds another card
        raise InvalidCardCode(code=code)
    r = session.execute(_BY_CARD, {"code": code}).first()
    if r is None:
        raise UnknownCard(code=code)
    if r.card_status != CardStatus.ACTIVE:
        raise BlockedCard(code=code)
    return _to_row(r)


def search(session: Session, text: str, limit: int = 30) -> list[MemberRow]:
    """Ranked member search for the counter's input box (member_search: plain SQL on the
    session's own connection and transaction, no statement building per keystroke)."""
    return member_search.search(session.connection().connection.driver_connection, text,
                                limit)


# --- registration and cards -----------------------------------------------------------


def member_category(value) -> MemberCategory:
    """A category by its code (``resident``) or its Chinese label (``居民``)."""
    by_label = {label: cat for cat, label in CATEGORY_LABELS.items()}
    if isinstance(value, str) and value.strip() in by_label:
        return by_label[value.strip()]
    try:
        return MemberCategory(value)
    except ValueError:
        choices = "、".join(f"{label}（{cat.value}）" for cat, label in CATEGORY_LABELS.items())
        raise UnknownCategory(category=value, choices=choices) from None


def next_card_code(session: Session, community_id: int) -> str:
    """The next card code of this counter (card_codes: counter id + its own number + check
    character), unique across the district without asking anyone. The counter's number
    moves in ``card_numbers`` inside the caller's write transaction, with the card insert:
    two registrations can never get one number (no count(*) race)."""
    from counter_app.counters import LOCAL_COUNTER

    if session.get(Community, community_id) is None:
        raise UnknownCommunity(community_id=community_id)
    counter_id = session.scalar(select(Setting.value).where(Setting.key == LOCAL_COUNTER))
    if counter_id is None:
        raise NotFound(what="本机柜台设置（发卡需要柜台编号）")
    row = session.get(CardNumber, counter_id)
    if row is None:
        row = CardNumber(counter_id=counter_id, last_number=0)
        session.add(row)
    code, number = card_codes.next_code(counter_id, row.last_number)
    # A number already on a card (e.g. the file was restored from an older backup) is
    # skipped, never issued twice.
    while session.get(MemberCard, code) is not None:
        code, number = card_codes.next_code(counter_id, number)
    if not CARD_RE.match(code):
        raise InvalidInput(detail=f"柜台编号 {counter_id} 须以社区代码的字母开头，才能发卡")
    row.last_number = number
    return code


def register(db, actor: Actor, *, name: str, category: MemberCategory, community_id: int,
             phone: str | None = None, id_number: str | None = None,
             household_id: int | None = None, compound_id: int | None = None,
             work_unit: str | None = None, address: str | None = None) -> int:
    require(actor, Permission.MEMBERS)
    name = clean_text(name, "姓名")
    if not name:
        raise InvalidInput(detail="姓名不能为空")
    phone, id_number = clean_optional(phone, "手机号"), clean_optional(id_number, "身份证号")
    work_unit, address = clean_optional(work_unit, "工作单位"), clean_optional(address, "地址")
    if phone and not PHONE_RE.match(phone):
        raise InvalidInput(detail=f"手机号“{phone}”不是 11 位手机号")
    category = member_category(category)
    community_id = whole_number(community_id, "社区编号")
    if category is MemberCategory.PARTY_IN_SERVICE and not work_unit:
        raise InvalidInput(detail="在职党员需填写工作单位")
    with db.write() as s:
        member_id = register_in(s, community_id=community_id, category=category, name=name,
                                phone=phone, id_number=id_number, household_id=household_id,
                                compound_id=compound_id, work_unit=work_unit, address=address)
        audit.record(s, actor, "member.register", member_id=member_id,
                     card=s.get(Member, member_id).card_code)
        return member_id


def register_in(s: Session, *, community_id: int, category: MemberCategory, name: str,
                phone: str | None, id_number: str | None, household_id: int | None,
                compound_id: int | None, work_unit: str | None, address: str | None,
                now=None) -> int:
    """Insert a member (checked by the caller), their first card and account, inside the
    caller's write transaction (``register``; the roster import, many in one)."""
    person = category not in (MemberCategory.ORGANISATION, MemberCategory.MERCHANT)
    code = next_card_code(s, community_id)
    now = now or utcnow()
    member = Member(
        community_id=community_id,
        kind=MemberKind.PERSON if person else MemberKind.ORGANISATION,
        category=category, name=name, phone=phone, id_number=id_number,
        birth_date=birth_date_from_id(id_number), household_id=household_id,
        compound_id=compound_id, work_unit=work_unit, address=address, card_code=code,
        status=MemberStatus.ACTIVE, created_at=now, **search_keys(name, phone, person),
    )
    s.add(member)
    s.flush()
    s.execute(insert(MemberCard).values(code=code, member_id=member.id,
                                        status=CardStatus.ACTIVE, issued_at=now))
    s.execute(insert(PointsAccount).values(member_id=member.id, balance=0))
    return member.id


def replace_card(db, actor: Actor, member_id: int) -> str:
    """Issue a new card; the old code stays on record, blocked."""
    require(actor, Permission.MEMBERS)
    member_id = whole_number(member_id, "会员编号")
    with db.write() as s:
        member = s.get(Member, member_id)
        if member is None:
            raise UnknownMember(member_id=member_id)
        old = member.card_code
        s.query(MemberCard).filter(MemberCard.member_id == member_id).update(
            {MemberCard.status: CardStatus.BLOCKED}
        )
        code = next_card_code(s, member.community_id)
        s.execute(insert(MemberCard).values(code=code, member_id=member_id,
                                            status=CardStatus.ACTIVE, issued_at=utcnow()))
        member.card_code = code
        audit.record(s, actor, "member.replace_card", member_id=member_id, old=old, new=code)
        return code


def set_blocked(db, actor: Actor, member_id: int, blocked: bool, reason: str) -> None:
    require(actor, Permission.MEMBERS)
    member_id = whole_number(member_id, "会员编号")
    reason = clean_text(reason, "原因")
    with db.write() as s:
        member = s.get(Member, member_id)
        if member is None:
            raise UnknownMember(member_id=member_id)
        member.status = MemberStatus.BLOCKED if blocked else MemberStatus.ACTIVE
        audit.record(s, actor, "member.block" if blocked else "member.unblock",
                     member_id=member_id, reason=reason)


def update_contact(db, actor: Actor, member_id: int, *, name: str | None = None,
                   phone: str | None = None) -> None:
    """Edit name/phone; search keys are recomputed in the same write."""
    require(actor, Permission.MEMBERS)
    member_id = whole_number(member_id, "会员编号")
    name, phone = clean_optional(name, "姓名"), clean_optional(phone, "手机号")
    if phone and not PHONE_RE.match(phone):
        raise InvalidInput(detail=f"手机号“{phone}”不是 11 位手机号")
    with db.write() as s:
        member = s.get(Member, member_id)
        if member is None:
            raise UnknownMember(member_id=member_id)
        if name is not None:
            if not name.strip():
                raise InvalidInput(detail="姓名不能为空")
            member.name = name.strip()
        if phone is not None:
            member.phone = phone or None
        person = member.kind == MemberKind.PERSON
        for key, value in search_keys(member.name, member.phone, person).items():
            setattr(member, key, value)
        audit.record(s, actor, "member.update", member_id=member_id)
