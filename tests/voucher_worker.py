"""Tries to use one voucher when told to go; prints 'used' or 'refused: <message>'
(run twice at once by test_vouchers)."""

import sys

from counter_app import vouchers
from counter_app.db import open_database
from counter_app.db.models import Role
from counter_app.errors import CounterError
from counter_app.operators import Actor


def main(db_path: str, code: str, counter_id: str) -> None:
    db = open_database(db_path, migrate=False)
    actor = Actor(2, "王阿姨", Role.VOLUNTEER, counter_id)
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        vouchers.use(db, actor, code)
        print("used", flush=True)
    except CounterError as exc:
        print(f"refused: {exc}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
