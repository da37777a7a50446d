import pytest

from counter_app import card_codes, members
from counter_app.errors import BlockedCard, UnknownCard
from counter_app.search_keys import search_keys


@pytest.mark.parametrize("name, pinyin, initials", [
    ("张三", "zhangsan", "zs"), ("曾国藩", "zengguofan", "zgf"), ("单田芳", "shantianfang", "stf"),
    ("解缙", "xiejin", "xj"), ("仇英", "qiuying", "qy"), ("区志强", "ouzhiqiang", "ozq"),
    ("查良镛", "zhaliangyong", "zly"), ("乐嘉", "yuejia", "yj"), ("覃斌", "qinbin", "qb"),
    ("翟志刚", "zhaizhigang", "zzg"), ("朴树", "piaoshu", "ps"), ("尉迟恭", "yuchigong", "ycg"),
    ("欧阳娜娜", "ouyangnana", "oynn"),
])
def test_surname_readings(name, pinyin, initials):
    keys = search_keys(name, "13812345678")
    assert (keys["name_pinyin"], keys["name_initials"], keys["phone_tail"]) == (
        pinyin, initials, "5678")


def names(counter, text):
    with counter.db.read() as s:
        return [r.name for r in members.search(s, text)]


def test_pinyin_search_finds_polyphonic_surnames(counter):
    for name in ("曾小明", "单丽", "张三", "翟志刚", "尉迟恭"):
        counter.member(name)
    assert "曾小明" in names(counter, "z")
    assert "单丽" in names(counter, "s")
    assert names(counter, "zs") == ["张三"]
    assert names(counter, "zengxiao") == ["曾小明"]
    assert names(counter, "ZZG") == ["翟志刚"]
    assert names(counter, "ycg") == ["尉迟恭"]
    # a wrong reading must not match: 曾 is not "ceng", 单 is not "dan"
    assert names(counter, "cxm") == [] and names(counter, "dl") == []


def test_phone_card_and_name_search_ranked(counter):
    a = counter.member("王芳", phone="13800005678")
    counter.member("王芳芳", phone="13900001234")
    counter.member("李王芳", phone="13700005678")
    with counter.db.read() as s:
        card = s.get(members.Member, a).card_code
        assert [r.id for r in members.search(s, card)] == [a]
        assert [r.id for r in members.search(s, card.lower())] == [a]
        assert members.search(s, "13800005678")[0].id == a
    assert names(counter, "5678") == ["李王芳", "王芳"]
    # exact name first, then prefix, then substring
    assert names(counter, "王芳") == ["王芳", "王芳芳", "李王芳"]
    assert names(counter, "1380000") == ["王芳"]
    assert names(counter, "   ") == []


def test_card_lookup_explains_unknown_and_replaced_cards(counter):
    mid = counter.member("周八")
    with counter.db.read() as s:
        old = members.lookup_card(s, s.get(members.Member, mid).card_code.lower()).card_code
        with pytest.raises(UnknownCard, match="XF99999999"):
            members.lookup_card(s, "XF99999999")
    new = members.replace_card(counter.db, counter.admin, mid)
    assert new != old and members.card_code_valid(new)
    with counter.db.read() as s:
        with pytest.raises(BlockedCard, match="此卡已停用"):
            members.lookup_card(s, old)
        assert members.lookup_card(s, new).id == mid


def test_card_codes_carry_a_check_digit():
    code = card_codes.nth_code("XF01", 17)
    assert members.card_code_valid(code)
    mistyped = code[:-2] + str((int(code[-2]) + 1) % 10) + code[-1]
    assert not members.card_code_valid(mistyped)


def test_edit_recomputes_search_keys_and_masks(counter):
    mid = counter.member("张三", phone="13812345678", id_number="110105195001011234")
    members.update_contact(counter.db, counter.admin, mid, name="曾三", phone="13911112222")
    assert names(counter, "zs") == ["曾三"] and names(counter, "2222") == ["曾三"]
    assert names(counter, "5678") == []
    assert members.mask_id_number("110105195001011234") == "1101**********1234"
    with counter.db.read() as s:
        assert members.get_member(s, mid).phone_masked == "139****2222"


def test_the_fast_given_name_reading_is_lazy_pinyins_wherever_it_is_taken():
    """search_keys reads most given names without pypinyin's segmenter (only characters of
    one reading, no phrase among them); where it does, the result must be lazy_pinyin's."""
    import random

    from pypinyin import lazy_pinyin
    from pypinyin.constants import PINYIN_DICT

    from counter_app.search_keys import _unambiguous_reading

    han = sorted(cp for cp in PINYIN_DICT if 0x4E00 <= cp <= 0x9FFF)
    common = [chr(cp) for cp in han[:6000]] + list("秀英桂兰玉珍建国伟芳娜敏静丽强磊军洋勇艳杰"
                                                   "娟涛明超霞平刚长乐重朝行")
    rng = random.Random(7)
    samples = [chr(cp) for cp in han] + [
        "".join(rng.choice(common) for _ in range(rng.choice((2, 2, 3)))) for _ in range(30000)]
    taken = 0
    for text in samples:
        fast = _unambiguous_reading(text)
        if fast is not None:
            taken += 1
            assert list(fast) == lazy_pinyin(text, errors="ignore"), text
    assert taken > len(samples) // 2
    assert _unambiguous_reading("长乐") is None  # 长 has two readings: pypinyin decides
