"""The counter's day: opening at the first log-in, shifts and handovers (shifts), the day
close with its chain heads (day_close). Qt-free; the UI hooks are in ui/day/."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, bindparam, text


def timed_sql(sql: str):
    """A statement whose :lo / :hi datetimes are bound the way the ORM stores them."""
    return text(sql).bindparams(*(bindparam(k, type_=DateTime()) for k in ("lo", "hi")
                                  if f":{k}" in sql))


def as_datetime(value) -> datetime:
    """A timestamp read with raw SQL (text in SQLite) as a naive datetime."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
