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
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app import audit, counters, geography
from counter_app.db.models import CATEGORY_LABELS, Member, MemberCategory
from counter_app.members import PHONE_RE, register_in
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
    total = len(plan.rows)
    with db.write() as s:
        header = {c.key: c.label for c in COLUMNS}
        again = _duplicates(s, info.community_id, plan.rows, header)
        if again:  # registered at this counter since the file was checked
            Parsed(problems=again).refuse_if_any(WHAT)
        places: dict[tuple, tuple[int, int | None]] = {}
        before = _place_count(s)
        for i, (_number, v) in enumerate(plan.rows, start=1):
            compound_id = household_id = None
            if v["compound"]:
                key = (v["compound"], v["building"], v["unit"], v["room"])
                if key not in places:
                    places[key] = geography.place_in(s, info.community_id, *key)
                compound_id, household_id = places[key]
            person = v["category"] not in PERSONLESS
            register_in(s, community_id=info.community_id, category=v["category"],
                        name=v["name"], phone=v["phone"], id_number=v["id_number"] if person else None,
                        household_id=household_id,
                        compound_id=None if household_id else compound_id,
                        work_unit=v["work_unit"], address=v["address"])
            if progress and (i % 500 == 0 or i == total):
                progress(i, total)
        plan.places = _place_count(s) - before
        plan.created = total
        audit.record(s, actor, "members.import", file=plan.path.name, members=total,
                     places=plan.places)
    return plan


def _place_count(s: Session) -> int:
    from sqlalchemy import func

    from counter_app.db.models import Building, Compound, Household, Unit

    return sum(s.scalar(select(func.count()).select_from(m)) for m in
               (Compound, Building, Unit, Household))


def summary(plan: RosterPlan, done: bool) -> str:
    counts = "，".join(f"{k} {v}" for k, v in plan.by_category.items())
    ignored = f"；未使用的列：{'、'.join(plan.ignored_headers)}" if plan.ignored_headers else ""
    if done:
        return (f"已导入 {plan.created} 名会员（{counts}），新建小区/楼栋/单元/住户 {plan.places} 处"
                f"{ignored}")
    return f"检查通过：{len(plan.rows)} 名会员可以导入（{counts}）{ignored}"
