"""What every page needs: the database, who is logged in, where, and the status bar."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # the session builds one before the database layer is loaded
    from counter_app.counter_info import CounterInfo
    from counter_app.operators import Actor


@dataclass
class UiContext:
    db: object
    counter: CounterInfo
    actor: Actor | None = None
    show_status: Callable[[str], None] = field(default=lambda _msg: None)
