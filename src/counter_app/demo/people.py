"""Random but plausible people: names by surname frequency, birth dates, phones, ID numbers."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

from counter_app.demo.data import GIVEN_FEMALE, GIVEN_MALE, GIVEN_SECOND, SURNAMES

_SURNAME_NAMES = [s for s, _ in SURNAMES]
_SURNAME_CUM = list(itertools.accumulate(w for _, w in SURNAMES))
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PHONE_PREFIXES = ("130", "131", "132", "135", "136", "137", "138", "139", "150", "151",
                   "152", "155", "158", "159", "176", "177", "180", "181", "186", "187",
                   "188", "189", "199")


def person_name(rng: random.Random) -> tuple[str, bool]:
    surname = rng.choices(_SURNAME_NAMES, cum_weights=_SURNAME_CUM)[0]
    female = rng.random() < 0.52
    first = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    if rng.random() < 0.7:
        given = rng.choice(GIVEN_SECOND) + first if rng.random() < 0.5 else first + rng.choice(
            GIVEN_FEMALE if female else GIVEN_MALE)
    else:
        given = first
    return surname + given, female


def birth_date(rng: random.Random, as_of: date) -> date:
    # Counters see many retirees: ages skew old (18..92, mode around 65).
    age = min(92, max(18, int(rng.triangular(18, 92, 66))))
    return as_of - timedelta(days=age * 365 + rng.randrange(365))


def id_number(rng: random.Random, born: date, female: bool) -> str:
    """An 18-digit resident ID with a correct ISO 7064 MOD 11-2 check character."""
    seq = rng.randrange(0, 500) * 2 + (0 if female else 1)
    body = f"110105{born:%Y%m%d}{seq:03d}"
    check = _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS)) % 11]
    return body + check


def phone(rng: random.Random, taken: set[str]) -> str:
    while True:
        number = rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if number not in taken:
            taken.add(number)
            return number
