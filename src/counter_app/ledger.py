"""The points ledger: an append-only journal of integer deltas per member.

Every change is a new entry; a correction is a reversal entry pointing at its
original (at most one per original, enforced by a UNIQUE column). The cached
balance in ``points_accounts`` moves in the same transaction and never below zero.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from counter_app import audit, bounds, clock
from counter_app.db.models import EntryKind, Member, PointsAccount, PointsEntry
from counter_app.errors import (
    AlreadyReversed,
    InsufficientPoints,
    InvalidInput,
    NotFound,
    NotReversible,
    UnknownMember,
)
from counter_app.journal import POINTS, chain_entry, read_head, uid_of, write_entries
from counter_app.operators import Actor, Permission, require


def balance_of(session: Session, member_id: int) -> int:
    balance = session.scalar(
        select(PointsAccount.balance).where(PointsAccount.member_id == member_id)
    )
    if balance is None:
        raise UnknownMember(member_id=member_id)
    return balance


_MOVE_BALANCE = text("UPDATE points_accounts SET balance = balance + :d "
                     "WHERE member_id = :m AND balance + :d >= 0")


def append(session: Session, actor: Actor, member_id: int, delta: int, kind: EntryKind, *,
           ref: str | None = None, note: str | None = None, reverses_id: str | None = None,
           created_at: datetime | None = None, detail_digest: str | None = None) -> dict:
    """Append one entry inside the caller's write transaction; returns its fields.
    ``detail_digest``: the receipt_digest/void_digest the entry's hash is to cover."""
    bounds.amount(delta, "积分变动")
    if delta == 0:
        raise InvalidInput(detail="积分变动必须是非零整数")
    # One conditional UPDATE both moves the cached balance and enforces "never below zero".
    if not session.execute(_MOVE_BALANCE, {"d": delta, "m": member_id}).rowcount:
        raise InsufficientPoints(needed=-delta, balance=balance_of(session, member_id))
    head = read_head(session, actor.counter_id, POINTS)
    fields = chain_entry(
        head, counter_id=actor.counter_id, subject=member_id, delta=delta, kind=str(kind),
        reverses_id=reverses_id, ref=ref, operator_id=actor.operator_id,
        created_at=created_at or clock.now_utc(), note=note, detail_digest=detail_digest,
        subject_uid=uid_of(session, "members", member_id),
        operator_uid=uid_of(session, "operators", actor.operator_id),
    )
    write_entries(session, POINTS, actor.counter_id, [fields])
    row = dict(fields)
    row["member_id"] = row.pop("subject")
    return row


def credit_many(session: Session, actor: Actor, credits: list[tuple[int, int, str, str]], *,
                created_at: datetime, kind: EntryKind = EntryKind.AWARD) -> list[dict]:
    """Append many positive entries ``(member_id, points, ref, note)`` inside the caller's
    write transaction, chained in the given order, in a few statements (a review approving
    a thousand awards at once). Returns their fields, as ``append`` does."""
    if not credits:
        return []
    for _member, points, _ref, _note in credits:
        bounds.amount(points, "积分变动", minimum=1)
    moved = session.execute(_MOVE_BALANCE, [{"d": p, "m": m} for m, p, _r, _n in credits])
    if moved.rowcount != len(credits):
        known = set(session.scalars(select(PointsAccount.member_id).where(
            PointsAccount.member_id.in_({m for m, *_ in credits}))).all())
        raise UnknownMember(member_id=next(m for m, *_ in credits if m not in known))
    uids = dict(session.execute(select(Member.id, Member.uid).where(
        Member.id.in_({m for m, *_ in credits}))).all())
    operator_uid = uid_of(session, "operators", actor.operator_id)
    head = read_head(session, actor.counter_id, POINTS)
    entries = [chain_entry(head, counter_id=actor.counter_id, subject=m, delta=p, kind=str(kind),
                           reverses_id=None, ref=ref, operator_id=actor.operator_id,
                           created_at=created_at, note=note, subject_uid=uids[m],
                           operator_uid=operator_uid)
               for m, p, ref, note in credits]
    write_entries(session, POINTS, actor.counter_id, entries)
    rows = []
    for fields in entries:
        row = dict(fields)
        row["member_id"] = row.pop("subject")
        rows.append(row)
    return rows


def reverse_in(session: Session, actor: Actor, entry_id: str, reason: str, *,
               detail_digest: str | None = None, created_at: datetime | None = None) -> dict:
    """Reverse one entry inside the caller's transaction (used by redemption voids too)."""
    original = session.get(PointsEntry, entry_id)
    if original is None:
        raise NotFound(what=f"积分记录 {entry_id}")
    if original.kind == EntryKind.REVERSAL:
        raise NotReversible(reason="撤销记录本身不能再撤销")
    refuse_foreign(original.counter_id, actor.counter_id)
    already = session.scalar(select(PointsEntry.id).where(PointsEntry.reverses_id == entry_id))
    if already is not None:
        raise AlreadyReversed()
    try:
        return append(session, actor, original.member_id, -original.delta, EntryKind.REVERSAL,
                      ref=original.ref, note=reason, reverses_id=entry_id,
                      detail_digest=detail_digest, created_at=created_at)
    except InsufficientPoints as err:
        raise NotReversible(
            reason=f"会员积分已被使用，余额 {err.context['balance']} 分，"
                   f"不足以冲回 {original.delta} 分"
        ) from err


def refuse_foreign(entry_counter: str, actor_counter: str) -> None:
    """A counter reverses only its own entries: two offline counters could otherwise both
    reverse one entry, and each counter's chain is its own."""
    if entry_counter != actor_counter:
        raise NotReversible(reason=f"这条记录是柜台 {entry_counter} 记的，只能在柜台 "
                                   f"{entry_counter} 撤销（本柜台是 {actor_counter}）")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(detail="请填写原因")
    return reason


def reverse(db, actor: Actor, entry_id: str, reason: str) -> dict:
    """Reverse an award, adjustment or expiry. A redemption is undone by voiding its
    receipt (redemption.void), which also puts the goods back on the shelf."""
    require(actor, Permission.CORRECT)
    reason = _reason(reason)
    with db.write() as s:
        original = s.get(PointsEntry, entry_id)
        if original is not None and original.kind == EntryKind.REDEMPTION:
            raise NotReversible(reason=f"兑换记录请作废小票 {original.ref}，不要单独撤销积分")
        row = reverse_in(s, actor, entry_id, reason)
        audit.record(s, actor, "points.reverse", entry=entry_id, reversal=row["id"], reason=reason)
        return row


def adjust(db, actor: Actor, member_id: int, delta: int, reason: str) -> dict:
    """Admin correction that is not the undoing of one entry (e.g. a migration error)."""
    require(actor, Permission.CORRECT)
    bounds.amount(delta, "调整积分")
    reason = _reason(reason)
    with db.write() as s:
        row = append(s, actor, member_id, delta, EntryKind.ADJUSTMENT, note=reason)
        audit.record(s, actor, "points.adjust", member_id=member_id, delta=delta, reason=reason)
        return row


def expire(db, actor: Actor, member_id: int, points: int, reason: str) -> dict:
    require(actor, Permission.CORRECT)
    bounds.amount(points, "过期积分")
    if points <= 0:
        raise InvalidInput(detail="过期积分必须大于 0")
    reason = _reason(reason)
    with db.write() as s:
        row = append(s, actor, member_id, -points, EntryKind.EXPIRY, note=reason)
        audit.record(s, actor, "points.expire", member_id=member_id, points=points)
        return row


@dataclass(frozen=True)
class JournalRow:
    id: str
    created_at: datetime
    kind: str
    delta: int
    ref: str | None
    note: str | None
    reverses_id: str | None
    operator_id: int | None
    counter_id: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


KIND_LABELS = {EntryKind.AWARD: "获得积分", EntryKind.REDEMPTION: "兑换", EntryKind.REVERSAL: "撤销",
               EntryKind.ADJUSTMENT: "调整", EntryKind.EXPIRY: "过期"}


def history(session: Session, member_id: int, limit: int = 50,
            kinds: list[str] | None = None, since: datetime | None = None,
            until: datetime | None = None) -> list[JournalRow]:
    """A member's journal, newest first (optionally filtered by kind and date range)."""
    if session.get(Member, member_id) is None:
        raise UnknownMember(member_id=member_id)
    q = select(*(getattr(PointsEntry, f.name) for f in fields(JournalRow))).where(
        PointsEntry.member_id == member_id)
    if kinds:
        q = q.where(PointsEntry.kind.in_(kinds))
    if since:
        q = q.where(PointsEntry.created_at >= since)
    if until:
        q = q.where(PointsEntry.created_at < until)
    q = q.order_by(PointsEntry.created_at.desc(), PointsEntry.seq.desc()).limit(limit)
    return [JournalRow(*r) for r in session.execute(q)]
