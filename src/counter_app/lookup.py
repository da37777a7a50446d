"""What is this code? — the one answer for the counter's scan box, a kiosk and the CLI.

A scanned or typed text is a member card, a merchant voucher (``VC-`` + 11 digits, its
check digit verified: a mistyped one is refused in words), an exchange item's barcode, or a
search for members (phone, phone tail, name, pinyin). Anything else gets a clear Chinese error.
"""

from __future__ import annotations

from dataclasses import dataclass

from counter_app import catalogue, members, vouchers
from counter_app.catalogue import ItemRow
from counter_app.db.models import MemberCard
from counter_app.errors import InvalidInput, NotFound
from counter_app.members import MemberRow
from counter_app.read_scope import reading


@dataclass(frozen=True)
class MemberHit:
    member: MemberRow


@dataclass(frozen=True)
class ItemHit:
    item: ItemRow


@dataclass(frozen=True)
class VoucherHit:
    voucher: vouchers.VoucherInfo
    refusal: str | None  # why it cannot be used now (used, cancelled, expired); None: valid


@dataclass(frozen=True)
class SearchResults:
    text: str
    members: tuple[MemberRow, ...]


def _clean(code: str) -> str:
    code = (code or "").strip()
    # A lone surrogate or a control character cannot be stored or searched: say so here
    # rather than let the database driver raise.
    if not code or not code.isprintable():
        raise InvalidInput(detail=f"无法识别的输入：{code!r}")
    return code


SEARCH_LIMIT = 30  # the counter lists this many matches at most (ranked: the likeliest first)


def search(session_or_db, text: str, limit: int = SEARCH_LIMIT) -> SearchResults:
    """Members matching what was typed, ranked (``members.search``)."""
    if not text.strip():
        return SearchResults(text, ())
    _clean(text)
    with reading(session_or_db) as s:
        return SearchResults(text, tuple(members.search(s, text, limit=limit)))


def resolve(session_or_db, code: str,
            counter_id: str) -> MemberHit | VoucherHit | ItemHit | SearchResults:
    """A card gives its member (UnknownCard / BlockedCard explain a bad one); a voucher
    code the voucher and whether it can be used (VoucherRefused: mistyped or unknown); an
    item barcode its item with this counter's stock; other text the members it matches.
    Nothing matching at all raises NotFound with a message a volunteer can act on."""
    code = _clean(code)
    with reading(session_or_db) as s:
        upper = code.upper()
        # A community whose code is VC could issue a card shaped like a voucher without
        # its hyphen: an existing card wins; VC- is always a voucher.
        if code.isascii() and vouchers.has_voucher_shape(code) and (
                upper.startswith(vouchers.PREFIX) or s.get(MemberCard, upper) is None):
            info = vouchers.check(s, code)
            return VoucherHit(info, vouchers.refusal(info))
        if members.CARD_RE.match(upper):
            return MemberHit(members.lookup_card(s, code))
        if code.isascii():
            item = catalogue.row_by_barcode(s, counter_id, code)
            if item is not None:
                return ItemHit(item)
        found = members.search(s, code)
    if not found:
        raise NotFound(f"没有找到“{code}”：既不是会员卡，也不是兑换物品，也没有相符的会员")
    return SearchResults(code, tuple(found))
