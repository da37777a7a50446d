"""Search keys for member names: full pinyin and initials, surnames read correctly.

pypinyin reads a character by its most common reading, which is wrong for many
surnames (曾 céng -> zēng, 单 dān -> shàn …). The surname is therefore split off
(compound surnames first) and read from an override table.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Readings of surnames that differ from the character's most common reading.
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha",
    "乐": "yue", "覃": "qin", "翟": "zhai", "朴": "piao", "盖": "ge", "缪": "miao",
    "秘": "bi", "万俟": "moqi", "尉迟": "yuchi", "长孙": "zhangsun", "澹台": "tantai",
    "召": "shao", "繁": "po", "种": "chong", "员": "yun", "牟": "mou", "贲": "ben",
    "隗": "wei", "冼": "xian", "那": "na", "黑": "he", "沈": "shen", "重": "chong",
    "尉": "yu", "句": "gou", "能": "nai", "过": "guo", "宿": "su", "柏": "bai",
    "藏": "zang", "厍": "she", "阚": "kan", "眭": "sui", "晟": "cheng", "令狐": "linghu",
    "洗": "xian", "折": "she", "祭": "zhai", "恽": "yun", "葛": "ge", "褚": "chu",
    "郇": "xun", "幺": "yao", "戚": "qi", "任": "ren", "纪": "ji", "燕": "yan",
    "华": "hua", "应": "ying", "谌": "chen", "相": "xiang", "单于": "chanyu",
}

# Two-character surnames, so 欧阳娜娜 splits as 欧阳 + 娜娜.
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "司徒", "尉迟",
    "长孙", "宇文", "公孙", "夏侯", "澹台", "万俟", "单于", "轩辕", "端木", "南宫",
    "西门", "独孤", "呼延", "闻人", "申屠", "百里", "东郭", "太史", "钟离", "公冶",
})

_HAN = re.compile(r"[\u3400-\u9fff]")
_NOT_DIGIT = re.compile(r"\D")


def lazy_pinyin(text: str, **kw) -> list[str]:
    """pypinyin, imported on first use: loading its phrase dictionary takes ~0.5 s, which
    searching (keys are precomputed) and the CLI's start must not pay."""
    from pypinyin import lazy_pinyin as _lazy_pinyin

    return _lazy_pinyin(text, **kw)


def split_surname(name: str) -> tuple[str, str]:
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def _surname_syllables(surname: str) -> list[str]:
    if surname in SURNAME_READINGS:
        reading = SURNAME_READINGS[surname]
        if len(surname) == 1:
            return [reading]
    syllables = lazy_pinyin(surname, errors="ignore")
    if surname in SURNAME_READINGS and len(syllables) == 2:
        # Compound surname with a special reading: keep pypinyin's split points,
        # but take the letters from the table (e.g. 尉迟 -> yu + chi).
        reading = SURNAME_READINGS[surname]
        first = len(syllables[0]) if reading.startswith(syllables[0]) else None
        for cut in range(1, len(reading)):
            if reading[cut:] == syllables[1]:
                first = cut
        if first:
            return [reading[:first], reading[first:]]
    return syllables


def name_syllables(name: str, person: bool = True) -> list[str]:
    """Pinyin syllables of a name; a person's surname is read as a surname."""
    name = name.strip()
    if not person or not name or not _HAN.match(name):
        # Organisation or foreign name: plain readings, letters/digits kept.
        return [s.lower() for s in lazy_pinyin(name, errors=lambda x: list(x)) if s.strip()]
    surname, given = split_surname(name)
    return [*_surname_reading(surname), *_given_reading(given)]


# Surnames and given names repeat across a district's members: a pull of 100,000 members
# read each through pypinyin (~45 µs a name) — a third of the pull's client time.
@lru_cache(maxsize=4096)
def _surname_reading(surname: str) -> tuple[str, ...]:
    return tuple(_surname_syllables(surname))


@lru_cache(maxsize=65536)
def _given_reading(given: str) -> tuple[str, ...]:
    fast = _unambiguous_reading(given)
    if fast is not None:
        return fast
    return tuple(s for s in lazy_pinyin(given, errors="ignore") if s.strip())


def _unambiguous_reading(text: str) -> tuple[str, ...] | None:
    """What lazy_pinyin gives for ``text`` when that cannot depend on context: every
    character has one reading in pypinyin's dictionary and no run of two or more is one of
    its phrases (so its segmentation keeps each character alone). None otherwise. Most given
    names are such; lazy_pinyin's segmenter and style conversion cost ~40 µs a name, which
    was a third of the client's time in a pull of 100,000 members
    (tests/test_search.py compares the two)."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    readings = []
    for ch in text:
        reading = PINYIN_DICT.get(ord(ch))
        if reading is None or "," in reading:
            return None
        readings.append(reading)
    if any(text[i:j] in PHRASES_DICT
           for i in range(len(text)) for j in range(i + 2, len(text) + 1)):
        return None
    return tuple(_toneless(r) for r in readings)


@lru_cache(maxsize=8192)
def _toneless(reading: str) -> str:
    from pypinyin.style._tone_convert import to_normal

    return to_normal(reading)


def search_keys(name: str, phone: str | None = None, person: bool = True) -> dict[str, str | None]:
    """The three precomputed, indexed keys stored with a member."""
    syllables = name_syllables(name, person)
    phone = phone or ""
    digits = phone if phone.isascii() and phone.isdigit() else _NOT_DIGIT.sub("", phone)
    return {
        "name_pinyin": "".join(syllables),
        "name_initials": "".join(s[0] for s in syllables if s),
        "phone_tail": digits[-4:] if len(digits) >= 4 else None,
    }

