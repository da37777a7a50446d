"""Member categories and statuses (stored as short text), without the ORM: the member
search reads rows through plain SQL and labels them. db.models re-exports these."""

from __future__ import annotations

from enum import StrEnum


class MemberCategory(StrEnum):
    RESIDENT = "resident"  # 居民
    PARTY_IN_SERVICE = "party_in_service"  # 在职党员
    PARTY_NO_POST = "party_no_post"  # 无职党员
    ORGANISATION = "organisation"  # 驻区单位
    MERCHANT = "merchant"  # 商家


CATEGORY_LABELS = {
    MemberCategory.RESIDENT: "居民",
    MemberCategory.PARTY_IN_SERVICE: "在职党员",
    MemberCategory.PARTY_NO_POST: "无职党员",
    MemberCategory.ORGANISATION: "驻区单位",
    MemberCategory.MERCHANT: "商家",
}


class MemberStatus(StrEnum):
    ACTIVE = "active"
    BLOCKED = "blocked"
