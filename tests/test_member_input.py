"""Issue 7 A6 in the core: bad member input is a typed error and writes nothing."""

from __future__ import annotations

import sqlite3

import pytest

from counter_app import members
from counter_app.errors import (
    InvalidInput, InvalidText, UnknownCategory, UnknownCommunity, UnknownMember,
)
from counter_app.system_errors import explain


def member_count(counter) -> int:
    con = sqlite3.connect(counter.db.path)
    try:
        return con.execute("SELECT COUNT(*) FROM members").fetchone()[0]
    finally:
        con.close()


def register(counter, **kw):
    args = dict(name="王芳", category="resident", community_id=counter.info.community_id)
    return members.register(counter.db, counter.admin, **{**args, **kw})


@pytest.mark.parametrize("change, error, fragment", [
    (dict(name="王\udcff"), InvalidText, "姓名里有无法识别的字符"),
    (dict(name="王\x00芳"), InvalidText, "姓名"),
    (dict(address="阳光花园\udcff"), InvalidText, "地址"),
    (dict(community_id=999), UnknownCommunity, "社区不存在（编号 999）"),
    (dict(community_id="abc"), InvalidInput, "社区编号须为整数"),
    (dict(category="teacher"), UnknownCategory, "没有“teacher”这个会员类别"),
])
def test_bad_registration_is_typed_and_writes_nothing(counter, change, error, fragment):
    before = member_count(counter)
    with pytest.raises(error, match=fragment):
        register(counter, **change)
    assert member_count(counter) == before


def test_category_by_chinese_label_and_id_as_digits(counter):
    mid = register(counter, category="在职党员", work_unit="区图书馆")
    with counter.db.read() as s:
        assert members.get_member(s, str(mid)).category == "party_in_service"


@pytest.mark.parametrize("member_id", ["abc", "1.5", True, None, "１２"])
def test_member_id_must_be_a_whole_number(counter, member_id):
    with counter.db.read() as s, pytest.raises(InvalidInput, match="会员编号须为整数"):
        members.get_member(s, member_id)
    with pytest.raises(InvalidInput, match="会员编号须为整数"):
        members.set_blocked(counter.db, counter.admin, member_id, True, "测试")


def test_unknown_member_id_is_still_unknown(counter):
    with counter.db.read() as s, pytest.raises(UnknownMember):
        members.get_member(s, "4711")


@pytest.mark.parametrize("text", ["\udcff", "XF\udcff0001", "张\udcfe"])
def test_lone_surrogate_in_card_lookup_and_search(counter, text):
    with counter.db.read() as s:
        with pytest.raises(InvalidText, match="卡号里有无法识别的字符"):
            members.lookup_card(s, text)
        with pytest.raises(InvalidText, match="查找的文字"):
            members.search(s, text)


def test_sqlalchemy_wrapped_lock_is_explained(counter):
    """A real "database is locked" from SQLAlchemy (another process holds the write lock)."""
    from sqlalchemy import create_engine, exc, text

    holder = sqlite3.connect(counter.db.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    engine = create_engine(f"sqlite:///{counter.db.path}", connect_args={"timeout": 0.05})
    try:
        with engine.connect() as con, pytest.raises(exc.OperationalError) as info:
            con.execute(text("UPDATE settings SET value = value"))  # WAL: only writers wait
    finally:
        engine.dispose()
        holder.execute("ROLLBACK")
        holder.close()
    typed = explain(info.value, counter.db.path)
    assert "正被另一个程序占用" in str(typed) and str(counter.db.path) in str(typed)
