"""The core calls the counter page hands to Op, each asserting it runs on the worker
thread (ops.assert_on_worker): a call made on the GUI thread by mistake fails loudly in
the tests instead of freezing the window at the counter."""

from __future__ import annotations

from functools import wraps

from counter_app import (
    catalogue, lookup, member_details, operators, receipt_lookup, redemption, vouchers,
)
from counter_app.clock import now_utc
from counter_app.documents.receipt_facts import printable_receipt
from counter_app.ui.common.ops import assert_on_worker


def on_worker(fn):
    @wraps(fn)
    def run(*args, **kwargs):
        assert_on_worker()
        return fn(*args, **kwargs)
    return run


resolve = on_worker(lookup.resolve)
details = on_worker(member_details.load)
cart_room = on_worker(member_details.cart_room)
checkout = on_worker(redemption.checkout)
void_choices = on_worker(receipt_lookup.void_choices)
use_voucher = on_worker(vouchers.use)


@on_worker
def resolve_scan(db, code: str, counter, member_id: int | None, lines):
    """A scanned or typed code and, for a member's card, that member's details: one call on
    the worker instead of two hops (resolve, back to the GUI, then load). The cart ``lines``
    count only if the card is the member already at the counter (another starts empty)."""
    hit = lookup.resolve(db, code, counter.id)
    if not isinstance(hit, lookup.MemberHit):
        return hit, None
    kept = lines if hit.member.id == member_id else []
    return hit, member_details.load(db, hit.member.id, counter, kept)


@on_worker
def load_items(db, counter_id: str, community_id: int) -> tuple[list, dict[int, int]]:
    """The tiles: the items, and what is left of each service with a capacity."""
    from counter_app.stock import capacity

    with db.read() as s:
        items = catalogue.list_items(s, counter_id, community_id)
        return items, capacity.lefts(s, items, now_utc())


@on_worker
def search(db, text: str) -> tuple[str, list]:
    """For LatestSearch: (the text searched, its member rows)."""
    found = lookup.search(db, text)
    return found.text, list(found.members)


@on_worker
def validate(db, counter_id: str, member_id: int, lines) -> int:
    with db.read() as s:
        return redemption.validate_cart(s, counter_id, member_id, lines)


@on_worker
def void(db, admin_id: int, pin: str, counter_id: str, receipt_no: str, reason: str,
         requested_by: str | None):
    """The administrator's PIN, then the void, in one call on the worker."""
    admin = operators.authenticate(db, admin_id, pin, counter_id)
    redemption.void(db, admin, receipt_no, reason, requested_by=requested_by)
    with db.read() as s:  # the slip shows the void's reason, people and balance after
        return printable_receipt(s, receipt_no)


@on_worker
def last_receipt(db, counter_id: str):
    """F5: the last receipt, marked 补打 with the time (a voided one as its void slip)."""
    with db.read() as s:
        number = redemption.last_receipt_no(s, counter_id)
        return printable_receipt(s, number, reprinted_at=now_utc()) if number else None
