"""Who acts for a command-line day close or backup: a named operator, or the first
administrator (the command line is run by whoever sets up and looks after the PC)."""

from __future__ import annotations

from sqlalchemy import select

from counter_app.counters import local_counter
from counter_app.db.models import Operator, Role
from counter_app.errors import InvalidInput
from counter_app.operators import Actor


def cli_actor(db, name: str | None = None) -> Actor:
    counter = local_counter(db)
    with db.read() as s:
        query = select(Operator).where(Operator.active.is_(True))
        if name:
            op = s.scalar(query.where(Operator.name == name.strip()))
            if op is None:
                raise InvalidInput(detail=f"没有在职的操作员“{name}”")
        else:
            op = s.scalar(query.where(Operator.role == Role.ADMIN).order_by(Operator.id))
            if op is None:
                raise InvalidInput(detail="数据库里没有管理员，请用 --operator 指定日结人")
        return Actor(op.id, op.name, Role(op.role), counter.id)
