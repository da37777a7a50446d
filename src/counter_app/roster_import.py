"""Importing the community's roster (花名册) from Excel/CSV: members, their households
(compound → building → unit → room, created where missing), party members' work units,
resident organisations (驻区单位, with their supervising department).

All or nothing: ``read_roster`` parses and checks every row (tabular.parse: header
mapping in Chinese or English, every problem with row and column), then checks what a
row means — a phone that is not a mobile number, an ID number whose check digit
(GB 11643, python-stdnum ``cn.ric``) or birth date is wrong, an in-service party member
without a work unit, half an address — and duplicates by ID number or phone, within the
file and against members already registered. Any problem refuses the whole file
(``ImportRefused`` carrying every ``RowProblem``). ``apply`` writes all rows in one
transaction and checks the duplicates again inside it.

Columns (first name shown; English alternatives accepted): 姓名 name; 类别 category
(居民/在职党员/无职党员/驻区单位/商家, default 居民); 手机 phone; 身份证号 id_number; 小区
compound; 楼栋 building; 单元 unit; 门牌 room; 工作单位 work_unit (在职党员: employer;
驻区单位: supervising department, also under 主管部门); 地址 address.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from counter_app import audit, card_codes, counters, geography
from counter_app.db.models import (
    CATEGORY_LABELS, Building, CardNumber, CardStatus, Compound, Household, Member, MemberCard,
    MemberCategory, MemberKind, MemberStatus, PointsAccount, Unit,
)
from counter_app.errors import InvalidInput
from counter_app.ids import uuid7
from counter_app.journal import utcnow
from counter_app.members import CARD_RE, PHONE_RE, birth_date_from_id
from counter_app.search_keys import search_keys
from counter_app.tabular import (
    Column, ImportRefused, Parsed, ParseError, RowProblem, choice, duplicates, map_header, parse,
    read_sheet,
)
from counter_app.user_text import clean_text

WHAT = "会员花名册"
PERSONLESS = (MemberCategory.ORGANISATION, MemberCategory.MERCHANT)


def _phone(text: str) -> str:
    digits = "".join(unicodedata.normalize("NFKC", text).split()).replace("-", "")
    if digits.startswith("+86"):
        digits = digits[3:]
    if not PHONE_RE.match(digits):
        raise ParseError(f"“{text}”不是 11 位手机号")
    return digits


def _id_number(text: str) -> str:
    from stdnum.cn import ric
    from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

    number = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    try:
        return ric.validate(number)
    except InvalidChecksum:
        raise ParseError(f"身份证号 {number} 的校验位不对（可能输错了一位）") from None
    except InvalidLength:
        raise ParseError(f"身份证号 {number} 应为 18 位") from None
    except InvalidComponent:
        raise ParseError(f"身份证号 {number} 中的出生日期或地区码不对") from None
    except ValidationError:
        raise ParseError(f"身份证号 {number} 格式不对") from None


def _text(max_len: int) -> Callable[[str], str]:
    def parse_text(text: str) -> str:
        try:
            text = clean_text(text, "这一格")
        except Exception as e:  # InvalidText: a control character, a broken byte
            raise ParseError(str(e)) from None
        if len(text) > max_len:
            raise ParseError(f"太长（最多 {max_len} 个字）")
        return text
    return parse_text


_CATEGORIES = {**{label: cat for cat, label in CATEGORY_LABELS.items()},
               **{cat.value: cat for cat in MemberCategory}, "党员": MemberCategory.PARTY_NO_POST,
               "单位": MemberCategory.ORGANISATION}

COLUMNS = (
    Column("name", ("姓名", "名称", "name", "单位名称"), parse=_text(64)),
    Column("category", ("类别", "会员类别", "category", "type"), required=False,
           parse=choice(_CATEGORIES), default=MemberCategory.RESIDENT),
    Column("phone", ("手机", "手机号", "手机号码", "联系电话", "phone", "mobile"), required=False,
           parse=_phone),
    Column("id_number", ("身份证号", "身份证", "身份证号码", "id_number", "id number", "id"),
           required=False, parse=_id_number),
    Column("compound", ("小区", "compound"), required=False, parse=_text(64)),
    Column("building", ("楼栋", "楼号", "栋", "building"), required=False, parse=_text(32)),
    Column("unit", ("单元", "unit"), required=False, parse=_text(32)),
    Column("room", ("门牌", "房号", "门牌号", "室", "room"), required=False, parse=_text(16)),
    Column("work_unit", ("工作单位", "所在单位", "主管部门", "work_unit", "work unit", "employer",
                         "department"), required=False, parse=_text(128)),
    Column("address", ("地址", "address"), required=False, parse=_text(128)),
)


@dataclass
class RosterPlan:
    path: Path
    rows: list[tuple[int, dict]]
    ignored_headers: list[str] = field(default_factory=list)
    created: int = 0  # after apply: members registered
    places: int = 0  # after apply: compounds/buildings/units/households created

    @property
    def by_category(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for _n, v in self.rows:
            label = CATEGORY_LABELS[v["category"]]
            out[label] = out.get(label, 0) + 1
        return out


def _meaning(rows: list[tuple[int, dict]], header: dict[str, str]) -> list[RowProblem]:
    out = []
    for number, v in rows:
        cat = v["category"]
        if cat is MemberCategory.PARTY_IN_SERVICE and not v["work_unit"]:
            out.append(RowProblem(number, header["work_unit"], "在职党员需填写工作单位"))
        parts = [v["building"], v["unit"], v["room"]]
        if any(parts) and not all(parts):
            out.append(RowProblem(number, header["room"] if v["building"] else header["building"],
                                  "楼栋、单元、门牌要么都填，要么都不填"))
        if any(parts) and not v["compound"]:
            out.append(RowProblem(number, header["compound"], "填了楼栋门牌，也要填小区"))
        if cat in PERSONLESS and any(parts):
            out.append(RowProblem(number, header["building"], "单位和商家不登记楼栋门牌（可填小区和地址）"))
    return out


def _existing(s: Session, community_id: int):
    phones, ids = {}, {}
    for name, card, phone, id_number in s.execute(
            select(Member.name, Member.card_code, Member.phone, Member.id_number)
            .where(Member.community_id == community_id)):
        who = f"已登记的会员 {name}（卡号 {card}）"
        if phone:
            phones[phone] = who
        if id_number:
            ids[id_number.upper()] = who
    return phones, ids


def _duplicates(s: Session, community_id: int, rows, header: dict[str, str]) -> list[RowProblem]:
    phones, ids = _existing(s, community_id)
    return (duplicates(rows, "id_number", header["id_number"], ids.get)
            + duplicates(rows, "phone", header["phone"], phones.get))


def _headers(sheet) -> dict[str, str]:
    """The header the user wrote for each field (for problems), else its Chinese name."""
    index, _ = map_header(sheet, COLUMNS)
    return {c.key: sheet.header[index[c.key]] if c.key in index else c.label for c in COLUMNS}


def read_roster(db, path: str | Path) -> RosterPlan:
    """Parse and check the whole file; ImportRefused (every problem) or the plan."""
    sheet = read_sheet(path)
    parsed = parse(sheet, COLUMNS)
    if any(p.row == 0 for p in parsed.problems):  # header problems: no row can be read
        parsed.refuse_if_any(WHAT)
    header = _headers(sheet)
    # rows with a cell problem are already out of parsed.rows; check the others' meaning
    problems = list(parsed.problems) + _meaning(parsed.rows, header)
    info = counters.local_counter(db)
    with db.read() as s:
        problems += _duplicates(s, info.community_id, parsed.rows, header)
    if problems:
        problems.sort(key=lambda p: p.row)
        Parsed(problems=problems).refuse_if_any(WHAT)
    if not parsed.rows:
        raise ImportRefused(what=WHAT, detail="文件里没有会员")
    return RosterPlan(Path(path), parsed.rows, parsed.ignored_headers)


def apply(db, actor, plan: RosterPlan, *,
          progress: Callable[[int, int], None] | None = None) -> RosterPlan:
    """Register every row of ``plan`` in one transaction (all or nothing)."""
    from counter_app.operators import Permission, require

    require(actor, Permission.MEMBERS)
    info = counters.local_counter(db)
    with db.write() as s:
        again = _duplicates(s, info.community_id, plan.rows, {c.key: c.label for c in COLUMNS})
        if again:  # registered at this counter since the file was checked
            Parsed(problems=again).refuse_if_any(WHAT)
        places = _Places(s, info.community_id)
        rows = []
        for _number, v in plan.rows:
            compound_id = household_id = None
            if v["compound"]:
                compound_id, household_id = places.place(v["compound"], v["building"], v["unit"],
                                                         v["room"])
            person = v["category"] not in PERSONLESS
            rows.append(dict(category=v["category"], name=v["name"], phone=v["phone"],
                             id_number=v["id_number"] if person else None,
                             household_id=household_id,
                             compound_id=None if household_id else compound_id,
                             work_unit=v["work_unit"], address=v["address"]))
        bulk_register_in(s, info.community_id, info.id, rows, progress=progress)
        plan.places, plan.created = places.created, len(rows)
        audit.record(s, actor, "members.import", file=plan.path.name, members=len(rows),
                     places=plan.places)
    return plan


class _Places:
    """The community's geography read once; what a roster adds is inserted as it comes."""

    def __init__(self, s: Session, community_id: int):
        self.s, self.community_id, self.created = s, community_id, 0
        compounds = dict(s.execute(select(Compound.name, Compound.id)
                                   .where(Compound.community_id == community_id)).all())
        self.known: dict[tuple, int] = {("compound", community_id, n): i for n, i in compounds.items()}
        ids = list(compounds.values())
        for level, model, parent, name in (("building", Building, Building.compound_id, Building.name),
                                           ("unit", Unit, Unit.building_id, Unit.name),
                                           ("household", Household, Household.unit_id,
                                            Household.room)):
            found = s.execute(select(parent, name, model.id).where(parent.in_(ids))).all() \
                if ids else []
            self.known.update({(level, p, n): i for p, n, i in found})
            ids = [i for _p, _n, i in found]

    def place(self, compound, building, unit, room) -> tuple[int, int | None]:
        parent, ids = self.community_id, []
        for level, name in (("compound", compound), ("building", building), ("unit", unit),
                            ("household", room)):
            if not name:
                break
            key = (level, parent, name)
            if key not in self.known:  # names checked by the columns' parsers, parent known
                model, _p, parent_col, name_col, _what = geography.LEVELS[level]
                self.known[key] = self.s.execute(insert(model).values(
                    {parent_col: parent, name_col: name})).inserted_primary_key[0]
                self.created += 1
            parent = self.known[key]
            ids.append(parent)
        return ids[0], (ids[3] if len(ids) == 4 else None)


@lru_cache(maxsize=50_000)
def _name_keys(name: str, person: bool) -> dict[str, str]:
    """pypinyin takes ~1 ms a name; a roster repeats many names (and every family name)."""
    keys = search_keys(name, None, person)
    return {"name_pinyin": keys["name_pinyin"], "name_initials": keys["name_initials"]}


def bulk_register_in(s: Session, community_id: int, counter_id: str, rows: list[dict], *,
                     progress: Callable[[int, int], None] | None = None) -> list[int]:
    """Register many members (checked by the caller) inside the caller's transaction, as
    members.register_in does one: the next card codes of this counter, one account each.
    Multi-row inserts: 20,000 members in seconds, not minutes."""
    numbers = s.get(CardNumber, counter_id)
    if numbers is None:
        numbers = CardNumber(counter_id=counter_id, last_number=0)
        s.add(numbers)
    taken = set(s.scalars(select(MemberCard.code)))
    last = numbers.last_number
    first_id = (s.scalar(select(func.max(Member.id))) or 0) + 1
    now = utcnow()
    members, cards, accounts = [], [], []
    for i, row in enumerate(rows):
        code, last = card_codes.next_code(counter_id, last)
        while code in taken:
            code, last = card_codes.next_code(counter_id, last)
        if not CARD_RE.match(code):
            raise InvalidInput(detail=f"柜台编号 {counter_id} 须以社区代码的字母开头，才能发卡")
        person = row["category"] not in PERSONLESS
        member_id = first_id + i
        members.append(dict(
            id=member_id, uid=uuid7(), community_id=community_id,
            kind=MemberKind.PERSON if person else MemberKind.ORGANISATION,
            birth_date=birth_date_from_id(row["id_number"]), card_code=code,
            status=MemberStatus.ACTIVE, created_at=now, **row,
            **_name_keys(row["name"], person),
            phone_tail=search_keys("", row["phone"], person)["phone_tail"]))
        cards.append(dict(code=code, uid=uuid7(), member_id=member_id, status=CardStatus.ACTIVE,
                          issued_at=now))
        accounts.append(dict(member_id=member_id, balance=0))
    numbers.last_number = last
    s.flush()
    # Straight through sqlite3, same transaction: SQLAlchemy's per-row parameter work was
    # about half of the write (the triggers' outbox payloads are the rest).
    raw = s.connection().connection.dbapi_connection
    step = 2000
    for start in range(0, len(members), step):
        for table, chunk in (("members", members), ("member_cards", cards),
                             ("points_accounts", accounts)):
            _insert_raw(raw, table, chunk[start:start + step])
        if progress:
            progress(min(start + step, len(members)), len(members))
    return [m["id"] for m in members]


def _stored(value):
    """A value as SQLAlchemy stores it in SQLite (enums as text, DateTime with microseconds)."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)  # a StrEnum as its plain text
    return value


def _insert_raw(raw, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    cols = list(rows[0])
    raw.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                    f"({', '.join('?' * len(cols))})",
                    [tuple(_stored(r[c]) for c in cols) for r in rows])


def summary(plan: RosterPlan, done: bool) -> str:
    counts = "，".join(f"{k} {v}" for k, v in plan.by_category.items())
    ignored = f"；未使用的列：{'、'.join(plan.ignored_headers)}" if plan.ignored_headers else ""
    if done:
        return (f"已导入 {plan.created} 名会员（{counts}），新建小区/楼栋/单元/住户 {plan.places} 处"
                f"{ignored}")
    return f"检查通过：{len(plan.rows)} 名会员可以导入（{counts}）{ignored}"
