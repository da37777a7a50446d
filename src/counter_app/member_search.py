"""The ranked member search of the counter's input box, in plain SQL on a DB-API
(sqlite3) connection: the GUI runs it on its session's connection at every keystroke
(members.search), ``counter-app search`` on a read-only sqlite3 connection without
loading SQLAlchemy or the models. One implementation for both.

Tiers in rank order. Exact tiers are small and sorted by name; prefix tiers follow their
own index (a one-letter prefix matches a tenth of the register, and sorting those by name
would cost more than the whole rest of the search). Prefixes are written as ranges
(``col >= p AND col < p || U+10FFFF``) so SQLite uses the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from counter_app import card_codes
from counter_app.member_kinds import CATEGORY_LABELS, MemberStatus
from counter_app.user_text import clean_text

CARD_RE = card_codes.LOOKS_LIKE_CARD  # the scheme of card_codes (checked by card_code_valid)
PHONE_RE = re.compile(r"^1\d{10}$")
_HAN = re.compile(r"[\u3400-\u9fff]")
_LETTERS = re.compile(r"^[a-z]+$")
_TOP = "\U0010ffff"


def card_code_valid(code: str) -> bool:
    """A card code of the current scheme whose ISO 7064 MOD 37-2 check character matches."""
    return bool(CARD_RE.match(code.strip().upper())) and card_codes.is_valid(code)


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "****"


@dataclass(frozen=True)
class MemberRow:
    id: int
    name: str
    category: str
    category_label: str
    card_code: str
    phone_masked: str
    compound: str
    building: str
    unit: str
    room: str
    balance: int
    status: str
    birth_date: date | None
    work_unit: str | None

    @property
    def address(self) -> str:
        return "".join(x for x in (self.compound, self.building, self.unit, self.room) if x)

    @property
    def blocked(self) -> bool:
        return self.status == MemberStatus.BLOCKED


def member_row(id, name, category, card_code, phone, status, birth_date, work_unit,
               compound, building, unit, room, balance) -> MemberRow:
    """A MemberRow from the columns of ROW_SQL (or members' ORM query, same order)."""
    if isinstance(birth_date, str):
        birth_date = date.fromisoformat(birth_date)
    return MemberRow(
        id=id, name=name, category=category,
        category_label=CATEGORY_LABELS.get(category, category),
        card_code=card_code, phone_masked=mask_phone(phone), compound=compound,
        building=building, unit=unit, room=room, balance=balance, status=status,
        birth_date=birth_date, work_unit=work_unit,
    )


ROW_SQL = (
    "SELECT m.id, m.name, m.category, m.card_code, m.phone, m.status, m.birth_date, "
    "m.work_unit, coalesce(c.name, c2.name, ''), coalesce(b.name, ''), coalesce(u.name, ''), "
    "coalesce(h.room, ''), coalesce(pa.balance, 0) "
    "FROM members m "
    "LEFT JOIN points_accounts pa ON pa.member_id = m.id "
    "LEFT JOIN households h ON h.id = m.household_id "
    "LEFT JOIN units u ON u.id = h.unit_id "
    "LEFT JOIN buildings b ON b.id = u.building_id "
    "LEFT JOIN compounds c ON c.id = b.compound_id "
    "LEFT JOIN compounds c2 ON c2.id = m.compound_id ")


def _prefix(column: str) -> str:
    return f"{column} >= :q AND {column} < :q_end"


def tiers(text: str) -> list[tuple[str, str, str]]:
    """(where, order by, the value bound to :q) per tier, in rank order."""
    q = clean_text(text, "查找的文字")
    if not q:
        return []
    found = []
    upper = q.upper()
    if card_code_valid(upper):
        found.append(("m.card_code = :q", "m.name", upper))
    digits = re.sub(r"[\s-]", "", q)
    if digits.isdigit():
        if PHONE_RE.match(digits):
            found.append(("m.phone = :q", "m.name", digits))
        if len(digits) == 4:
            found.append(("m.phone_tail = :q", "m.name", digits))
        elif len(digits) >= 5:
            found.append((_prefix("m.phone"), "m.phone", digits))
    lowered = q.lower().replace(" ", "")
    if _LETTERS.match(lowered):
        found.append(("m.name_initials = :q", "m.name", lowered))
        found.append((_prefix("m.name_initials"), "m.name_initials", lowered))
        if len(lowered) >= 2:
            found.append((_prefix("m.name_pinyin"), "m.name_pinyin", lowered))
    if _HAN.search(q):
        found.append(("m.name = :q", "m.name", q))
        found.append((_prefix("m.name"), "m.name", q))
        found.append(("instr(m.name, :q) > 0", "m.name", q))
    return found


def search(con, text: str, limit: int = 30) -> list[MemberRow]:
    """Ranked member search on a DB-API connection (``:name`` parameters)."""
    seen: set[int] = set()
    rows: list[MemberRow] = []
    for where, order, value in tiers(text):
        need = limit - len(rows)
        if need <= 0:
            break
        sql = f"{ROW_SQL}WHERE {where} ORDER BY {order}, m.id LIMIT :n"
        params = {"q": value, "q_end": value + _TOP, "n": need + len(seen)}
        for r in con.execute(sql, params).fetchall():
            if r[0] not in seen:
                seen.add(r[0])
                rows.append(member_row(*r))
                if len(rows) >= limit:
                    break
    return rows
