"""Operators, roles and PIN log-in.

PINs are hashed with argon2id. Five wrong PINs lock that operator for five minutes;
the failure count is committed even though the log-in itself fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, text

from counter_app import audit
from counter_app.db.models import Operator, Role
from counter_app.errors import (
    InvalidInput,
    NotFound,
    OperatorLocked,
    PermissionDenied,
    WrongPin,
)
from counter_app.journal import utcnow
from counter_app.localtime import to_local

MAX_WRONG_PINS = 5
LOCK_TIME = timedelta(minutes=5)

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters


class Permission(StrEnum):
    LOOKUP = "lookup"
    REDEEM = "redeem"
    STOCK = "stock"
    AWARD = "award"
    REVIEW = "review"
    MEMBERS = "members"
    CORRECT = "correct"  # reversals, voids, adjustments
    OPERATORS = "operators"
    SETTINGS = "settings"  # community-wide rules such as the redemption window
    POINT_ITEMS = "point_items"  # the point-item catalogue and its dated values (积分项目)


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VOLUNTEER: frozenset({Permission.LOOKUP, Permission.REDEEM}),
    Role.STOCK: frozenset({Permission.LOOKUP, Permission.STOCK}),
    Role.REVIEWER: frozenset({Permission.LOOKUP, Permission.AWARD, Permission.REVIEW,
                              Permission.MEMBERS}),
    Role.ADMIN: frozenset(Permission),
    Role.GRID_WORKER: frozenset({Permission.LOOKUP, Permission.AWARD}),
}

ROLE_LABELS = {
    Role.VOLUNTEER: "志愿者",
    Role.STOCK: "库管员",
    Role.REVIEWER: "审核员",
    Role.ADMIN: "管理员",
    Role.GRID_WORKER: "网格员",
}

ACTION_LABELS = {
    Permission.LOOKUP: "查询会员",
    Permission.REDEEM: "兑换",
    Permission.STOCK: "管理库存",
    Permission.AWARD: "记录积分",
    Permission.REVIEW: "审核积分",
    Permission.MEMBERS: "管理会员",
    Permission.CORRECT: "冲正或调整",
    Permission.OPERATORS: "管理操作员",
    Permission.SETTINGS: "修改兑换规则",
    Permission.POINT_ITEMS: "管理积分项目",
}


@dataclass(frozen=True)
class Actor:
    """Who is acting, and at which counter. Passed to every service call."""

    operator_id: int | None
    name: str
    role: Role
    counter_id: str

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[Role(self.role)]


def require(actor: Actor, permission: Permission) -> None:
    if not actor.can(permission):
        raise PermissionDenied(
            role=ROLE_LABELS[Role(actor.role)], action=ACTION_LABELS[permission]
        )


def hash_pin(pin: str) -> str:
    if not pin.isdigit() or not 4 <= len(pin) <= 8:
        raise InvalidInput(detail="PIN 必须是 4 到 8 位数字")
    return _hasher.hash(pin)


def _pin_ok(stored: str, pin: str) -> bool:
    try:
        return _hasher.verify(stored, pin)
    except (VerificationError, InvalidHashError):
        return False


_local = to_local


def add_operator(db, actor: Actor | None, name: str, role: Role, pin: str) -> int:
    """Create an operator. ``actor`` None is allowed only for first set-up (no operators yet)."""
    pin_hash = hash_pin(pin)
    with db.write() as s:
        if actor is None:
            if s.scalar(select(Operator.id).limit(1)) is not None:
                raise PermissionDenied(role="未登录用户", action=ACTION_LABELS[Permission.OPERATORS])
        else:
            require(actor, Permission.OPERATORS)
        if s.scalar(select(Operator.id).where(Operator.name == name)) is not None:
            raise InvalidInput(detail=f"操作员“{name}”已存在")
        op = Operator(name=name, role=Role(role), pin_hash=pin_hash, failed_pins=0, active=True)
        s.add(op)
        s.flush()
        audit.record(s, actor, "operator.add", operator=name, role=str(role))
        return op.id


def list_operators(db) -> list[tuple[int, str, str]]:
    with db.read() as s:
        rows = s.execute(
            select(Operator.id, Operator.name, Operator.role)
            .where(Operator.active.is_(True)).order_by(Operator.id)
        ).all()
    return [(r.id, r.name, r.role) for r in rows]


_FAILED = text("UPDATE operators SET failed_pins = failed_pins + 1 WHERE id = :id "
               "RETURNING failed_pins")


def authenticate(db, operator_id: int, pin: str, counter_id: str) -> Actor:
    """Check a PIN. Raises OperatorLocked / WrongPin; failures are counted and committed.

    The argon2 check (~0.25 s) runs outside any transaction, so a log-in never holds the
    database's write lock while a checkout waits; the count is moved atomically after.
    """
    with db.read() as s:
        op = s.get(Operator, operator_id)
        if op is None or not op.active:
            raise NotFound(what="操作员")
        name, role, pin_hash, locked_until = op.name, Role(op.role), op.pin_hash, op.locked_until
    if locked_until is not None and locked_until > utcnow():
        raise OperatorLocked(_local(locked_until))
    actor = Actor(operator_id, name, role, counter_id)
    ok = _pin_ok(pin_hash, pin)
    failure: Exception | None = None
    with db.write() as s:
        op = s.get(Operator, operator_id)
        now = utcnow()
        if op.locked_until is not None and op.locked_until > now:  # locked meanwhile
            raise OperatorLocked(_local(op.locked_until))
        if ok:
            op.failed_pins = 0
            op.locked_until = None
            audit.record(s, actor, "operator.login")
            return actor
        failed = s.execute(_FAILED, {"id": operator_id}).scalar_one()
        if failed >= MAX_WRONG_PINS:
            s.expire(op)
            op.failed_pins = 0
            op.locked_until = now + LOCK_TIME
            audit.record(s, actor, "operator.locked", until=op.locked_until)
            failure = OperatorLocked(_local(op.locked_until))
        else:
            audit.record(s, actor, "operator.wrong_pin", attempt=failed)
            failure = WrongPin(left=MAX_WRONG_PINS - failed)
    raise failure
