"""The pages of the main window, in F-key order."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from counter_app.ui.context import UiContext


def build_pages(ctx: UiContext, receipts) -> list[tuple[str, QWidget]]:
    from counter_app.ui.counter_page import CounterPage

    counter = CounterPage(ctx, receipts)
    return [(counter.tr("Redeem"), counter)]
