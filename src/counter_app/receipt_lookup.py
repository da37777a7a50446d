"""Receipts the counter page reaches for: the last one (reprint, F5) and what the void
form offers (the last receipt number, the administrators who may approve)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from counter_app import redemption
from counter_app.db.models import Operator, Role
from counter_app.read_scope import reading
from counter_app.redemption import Receipt


@dataclass(frozen=True)
class VoidChoices:
    last_receipt_no: str | None
    admins: tuple[tuple[int, str], ...]  # (operator id, name)


def last_receipt(session_or_db, counter_id: str) -> Receipt | None:
    with reading(session_or_db) as s:
        number = redemption.last_receipt_no(s, counter_id)
        return redemption.receipt(s, number) if number else None


def void_choices(session_or_db, counter_id: str) -> VoidChoices:
    with reading(session_or_db) as s:
        admins = s.execute(select(Operator.id, Operator.name).where(
            Operator.active.is_(True), Operator.role == Role.ADMIN).order_by(Operator.id)).all()
        return VoidChoices(redemption.last_receipt_no(s, counter_id),
                           tuple((r.id, r.name) for r in admins))
