"""The pages of the main window, in F-key order (F1, F2, F3; F5/F8/F9 belong to the
counter page's own actions, so there must stay fewer than five pages)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from counter_app.ui.context import UiContext


def build_pages(ctx: UiContext, receipts) -> list[tuple[str, QWidget]]:
    from counter_app.ui.counter_page import CounterPage
    from counter_app.ui.dashboard_page import DashboardPage
    from counter_app.ui.members_page import MembersPage

    counter = CounterPage(ctx, receipts)
    members_page = MembersPage(ctx)
    dashboard = DashboardPage(ctx)
    return [(QCoreApplication.translate("CounterPage", "Redeem"), counter),
            (members_page.title(), members_page),
            (QCoreApplication.translate("DashboardPage", "Dashboard"), dashboard)]
