"""Worker-thread functions of the counter page: search, classify a scanned code."""

from __future__ import annotations

from dataclasses import dataclass

from counter_app import catalogue, members
from counter_app.errors import InvalidInput, UnknownItem


@dataclass(frozen=True)
class Scanned:
    member: members.MemberRow | None = None
    item: catalogue.ItemRow | None = None


def search(db, text: str) -> tuple[str, list[members.MemberRow]]:
    with db.read() as s:
        return text, members.search(s, text)


def classify(db, counter_id: str, code: str) -> Scanned:
    """A code from a scanner or the Enter key: a member card, an item barcode, or neither."""
    code = code.strip()
    if not code.isascii() or not code.isprintable() or not code:
        raise InvalidInput(detail=f"无法识别的条码：{code!r}")
    with db.read() as s:
        if members.CARD_RE.match(code.upper()):
            return Scanned(member=members.lookup_card(s, code))  # Unknown/BlockedCard explain
        try:
            item = catalogue.item_by_barcode(s, code)
        except UnknownItem:
            raise InvalidInput(detail=f"条码 {code} 既不是会员卡，也不是兑换物品") from None
        rows = [r for r in catalogue.list_items(s, counter_id, include_inactive=True)
                if r.id == item.id]
        return Scanned(item=rows[0])


def load_items(db, counter) -> list[catalogue.ItemRow]:
    with db.read() as s:
        return catalogue.list_items(s, counter.id, counter.community_id)


def validate(db, counter_id: str, member_id: int, lines) -> int:
    from counter_app import redemption

    with db.read() as s:
        return redemption.validate_cart(s, counter_id, member_id, lines)
