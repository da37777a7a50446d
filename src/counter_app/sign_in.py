"""What the log-in screen shows: the active operators and when this counter last synced.

One read, for the GUI to run on its database worker (and for a kiosk or CLI alike)."""

from __future__ import annotations

from dataclasses import dataclass

from counter_app import operators
from counter_app.db.models import Setting

LAST_SYNC = "last_sync"


@dataclass(frozen=True)
class SignInScreen:
    operators: list[tuple[int, str, str]]  # (id, name, role), active ones, by id
    last_sync: str | None


def last_sync(db) -> str | None:
    with db.read() as s:
        row = s.get(Setting, LAST_SYNC)
        return row.value if row else None


def sign_in_screen(db) -> SignInScreen:
    return SignInScreen(operators.list_operators(db), last_sync(db))
