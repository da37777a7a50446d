"""Card codes: unique per issuing counter, and every single error or neighbour swap caught."""

from __future__ import annotations

import random
import string

import pytest

from counter_app import card_codes

ALPHABET = string.digits + string.ascii_uppercase


def _neighbours(code: str):
    """Every code one wrong character or one adjacent swap away."""
    for i, ch in enumerate(code):
        for other in ALPHABET:
            if other != ch:
                yield code[:i] + other + code[i + 1:]
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            yield code[:i] + code[i + 1] + code[i] + code[i + 2:]


def test_codes_of_two_counters_never_meet():
    a = {card_codes.make("XF01", n) for n in range(1, 3000)} - {None}
    b = {card_codes.make("XF02", n) for n in range(1, 3000)} - {None}
    assert len(a) > 2800 and len(b) > 2800 and not a & b


@pytest.mark.parametrize("seed", range(5))
def test_every_single_error_and_adjacent_swap_is_caught(seed):
    rng = random.Random(seed)
    counters = ["XF01", "XF02", "AK01", "XG01", "HP1203"]
    for _ in range(40):
        code, _ = card_codes.next_code(rng.choice(counters), rng.randint(0, 999_000))
        assert card_codes.is_valid(code)
        wrong = [c for c in _neighbours(code) if card_codes.is_valid(c)]
        assert wrong == [], f"{code}: {wrong}"


def test_split_gives_back_counter_and_number():
    code, number = card_codes.next_code("XF01", 16)
    assert card_codes.split(code) == ("XF01", number)
    assert code.startswith(f"XF01{number:06d}")


def test_numbers_needing_a_star_are_skipped():
    skipped = [n for n in range(1, 400) if card_codes.make("XF01", n) is None]
    assert skipped, "MOD 37-2 needs '*' for about one number in 37"
    code, number = card_codes.next_code("XF01", skipped[0] - 1)
    assert number == skipped[0] + 1 and "*" not in code


def test_numbers_out_of_range_are_refused():
    for n in (0, -1, card_codes.MAX_NUMBER + 1):
        with pytest.raises(ValueError):
            card_codes.make("XF01", n)



def test_codes_of_the_earlier_scheme_are_not_taken_for_new_ones():
    assert not card_codes.is_valid("XF00000017")
