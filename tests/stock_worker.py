"""Applies a JSON list of stock operations when told to go (run twice at once by
test_stock_concurrency); refused operations (CounterError) are expected and counted."""

import json
import sys

from counter_app import redemption, stock
from counter_app.db import open_database
from counter_app.db.models import Role
from counter_app.errors import CounterError
from counter_app.operators import Actor


def main(db_path: str, ops_json: str) -> None:
    db = open_database(db_path, migrate=False)
    staff = Actor(3, "刘库管", Role.STOCK, "XF01")
    admin = Actor(1, "管理员", Role.ADMIN, "XF01")
    volunteer = Actor(2, "王阿姨", Role.VOLUNTEER, "XF01")
    print("ready", flush=True)
    sys.stdin.readline()
    done = refused = 0
    received = []
    for op, item, qty, member in json.loads(ops_json):
        try:
            if op == "receive":
                received.append(stock.receive_goods(db, staff, item, qty, "purchase")["id"])
            elif op == "redeem":
                redemption.checkout(db, volunteer, member, [redemption.CartLine(item, qty)])
            elif op == "writeoff":
                stock.write_off(db, staff, item, qty, "damaged")
            elif op == "count":
                stock.count_to(db, staff, item, qty, "抽查")
            elif op == "reverse" and received:
                with db.write() as s:
                    stock.reverse_in(s, admin, received.pop(), "多记了")
            done += 1
        except CounterError:
            refused += 1
    print(f"done {done} refused {refused}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
