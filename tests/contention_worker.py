"""Checks out in a loop once told to go; prints 'done N' or the error (run by
test_data_safety_engine's contention test)."""

import sys

from counter_app import redemption
from counter_app.db import open_database
from counter_app.db.models import Role
from counter_app.operators import Actor


def main(db_path: str, item_id: int, member_id: int, n: int) -> None:
    db = open_database(db_path, migrate=False)
    actor = Actor(2, "王阿姨", Role.VOLUNTEER, "XF01")
    print("ready", flush=True)
    sys.stdin.readline()
    done = 0
    try:
        for _ in range(n):
            redemption.checkout(db, actor, member_id, [redemption.CartLine(item_id, 1)])
            done += 1
    except Exception as exc:  # the test shows what went wrong
        print(f"error after {done}: {type(exc).__name__}: {exc}", flush=True)
        raise SystemExit(1)
    print(f"done {done}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
