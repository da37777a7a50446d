"""Redeems in a loop and reports each committed receipt on stdout (run by test_crash)."""

import random
import sys

from counter_app import redemption
from counter_app.db import open_database
from counter_app.db.models import Role
from counter_app.operators import Actor


def main(db_path: str, item_id: int, member_ids: list[int]) -> None:
    db = open_database(db_path, migrate=False)
    actor = Actor(2, "王阿姨", Role.VOLUNTEER, "XF01")
    rng = random.Random()
    print("ready", flush=True)
    while True:
        mid = rng.choice(member_ids)
        receipt = redemption.checkout(db, actor, mid,
                                      [redemption.CartLine(item_id, rng.randint(1, 3))])
        # Reported only after commit returned: these must survive any kill.
        print(receipt.receipt_no, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), [int(x) for x in sys.argv[3].split(",")])
