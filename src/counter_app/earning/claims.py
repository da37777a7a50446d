"""Claiming the review of an award left to any counter (awards.review_counter NULL).

The rule that makes two offline counters approving one award impossible (docs/sync.md):
an award names at birth the one counter that may review it offline (its recording
counter, by default), or none; an award that names none is reviewed by the first counter
to claim it at the district (claim_award_reviews, district d0009: atomic, all or nothing,
refuses a second counter). A claim needs the district online; a counter's own awards do not.
"""

from __future__ import annotations

from collections.abc import Callable

from counter_app.earning.errors import ClaimRefused

# award uids -> the district's reply {"ok": bool, "refused": [{"id", "reason", ...}]}
Claim = Callable[[list[str]], dict]

REASONS = {"claimed": "已由柜台 {counter} 认领审核", "designated": "只能由柜台 {counter} 审核",
           "decided": "在街道服务器上已是“{status}”", "unknown": "街道服务器还没有这条记录（请先同步）"}


def via_district(db, counter_id: str) -> Claim:
    """A claim through this counter's configured district connection (sync settings)."""
    def claim(uids: list[str]) -> dict:
        from counter_app.sync.connection import open_client

        with open_client(db, counter_id, deadline=20.0) as client:
            return client.claim_award_reviews(uids)
    return claim


def refused_text(reply: dict, names: dict[str, str]) -> str:
    """The district's refusals in Chinese, each naming the member of the award."""
    parts = []
    for r in reply.get("refused") or []:
        why = REASONS.get(r.get("reason"), r.get("reason", "")).format(
            counter=r.get("counter", ""), status=r.get("status", ""))
        parts.append(f"{names.get(str(r.get('id')), r.get('id'))}的积分记录{why}")
    return "；".join(parts)


def check_reply(reply: dict, names: dict[str, str]) -> None:
    if not reply.get("ok"):
        raise ClaimRefused(detail=refused_text(reply, names) or "未说明原因")
