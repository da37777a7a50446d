"""Approves awards one by one once told to go; prints 'approved N refused M' (run by
test_earning_concurrency: two of these are two reviewers at two processes)."""

import sys

from counter_app.db import open_database
from counter_app.db.models import Role
from counter_app.earning import review
from counter_app.earning.errors import AlreadyReviewed
from counter_app.operators import Actor


def main(db_path: str, operator_id: int, name: str, award_ids: list[int]) -> None:
    db = open_database(db_path, migrate=False)
    actor = Actor(operator_id, name, Role.REVIEWER, "XF01")
    print("ready", flush=True)
    sys.stdin.readline()
    approved = refused = 0
    for award_id in award_ids:
        try:
            review.approve(db, actor, [award_id])
            approved += 1
        except AlreadyReviewed:
            refused += 1
    print(f"approved {approved} refused {refused}", flush=True)
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], [int(i) for i in sys.argv[4].split(",")])
