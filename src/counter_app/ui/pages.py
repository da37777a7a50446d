"""The one registry of main-window pages: key, title, who sees it, its shortcut, how to build it.

A new area (stock, earning, review, day close, sync …) adds one ``PageSpec`` here and nothing
else in the shell. Visibility follows the operator's permissions, so a volunteer sees only the
pages a volunteer uses. Shortcuts: F5, F8 and F9 belong to the counter page's own actions and
F11/F12 to settings and log-out, so pages get F1–F4, F6, F7, F10 and then Ctrl+1…Ctrl+9.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from counter_app.operators import ROLE_PERMISSIONS, Permission
from counter_app.ui.common.context import UiContext

RESERVED_KEYS = frozenset({"F5", "F8", "F9", "F11", "F12"})
PAGE_KEYS = ("F1", "F2", "F3", "F4", "F6", "F7", "F10", *(f"Ctrl+{n}" for n in range(1, 10)))


@dataclass(frozen=True)
class PageSpec:
    key: str                            # stable id, e.g. "counter"; also the objectName
    title: Callable[[], str]            # the translated title (a literal translate() call)
    needs: frozenset[Permission]        # any one of these lets an operator see the page
    build: Callable[[UiContext, object], QWidget]  # (ctx, receipts) -> page
    icon: str = ""                      # a QStyle.StandardPixmap name, e.g. "SP_FileIcon"

    def visible_to(self, role) -> bool:
        return bool(self.needs & ROLE_PERMISSIONS[role])

    def translated_title(self) -> str:
        return self.title()


def _counter(ctx, receipts):
    from counter_app.ui.counter.counter_page import CounterPage

    return CounterPage(ctx, receipts)


def _members(ctx, _receipts):
    from counter_app.ui.members.members_page import MembersPage

    return MembersPage(ctx)


def _dashboard(ctx, _receipts):
    from counter_app.ui.dashboard.dashboard_page import DashboardPage

    return DashboardPage(ctx)


def _restock(ctx, receipts):
    from counter_app.ui.stock.restock_page import RestockPage

    return RestockPage(ctx, receipts=receipts)


def _stocktake(ctx, _receipts):
    from counter_app.ui.stock.stocktake_page import StocktakePage

    return StocktakePage(ctx)


def _items(ctx, _receipts):
    from counter_app.ui.stock.items_page import StockItemsPage

    return StockItemsPage(ctx)


def _earning_record(ctx, _receipts):
    from counter_app.ui.earning.record_page import RecordPage

    return RecordPage(ctx)


def _earning_review(ctx, _receipts):
    from counter_app.ui.earning.review_page import ReviewPage

    return ReviewPage(ctx)


def _earning_wishes(ctx, _receipts):
    from counter_app.ui.earning.wishes_page import WishesPage

    return WishesPage(ctx)


def _earning_items(ctx, _receipts):
    from counter_app.ui.earning.items_page import ItemsPage

    return ItemsPage(ctx)


def _sync(ctx, _receipts):
    from counter_app.ui.sync.sync_page import SyncPage

    return SyncPage(ctx)


def _reports(ctx, _receipts):
    from counter_app.ui.reports.reports_page import ReportsPage

    return ReportsPage(ctx)


# Order = order of the buttons and of the shortcuts.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("counter", lambda: QCoreApplication.translate("CounterPage", "Redeem"),
             frozenset({Permission.REDEEM}), _counter, "SP_DialogApplyButton"),
    PageSpec("members", lambda: QCoreApplication.translate("MembersPage", "Members"),
             frozenset({Permission.MEMBERS}), _members, "SP_FileDialogContentsView"),
    PageSpec("dashboard", lambda: QCoreApplication.translate("DashboardPage", "Dashboard"),
             frozenset({Permission.STOCK, Permission.REVIEW, Permission.SETTINGS}), _dashboard,
             "SP_FileDialogDetailedView"),
    PageSpec("restock", lambda: QCoreApplication.translate("RestockPage", "Restock"),
             frozenset({Permission.STOCK}), _restock, "SP_ArrowDown"),
    PageSpec("stocktake", lambda: QCoreApplication.translate("StocktakePage", "Stocktake"),
             frozenset({Permission.STOCK}), _stocktake, "SP_FileDialogListView"),
    PageSpec("items", lambda: QCoreApplication.translate("StockItemsPage", "Items"),
             frozenset({Permission.STOCK}), _items, "SP_DirIcon"),
    PageSpec("earning_record", lambda: QCoreApplication.translate("RecordPage", "Record points"),
             frozenset({Permission.AWARD}), _earning_record, "SP_DialogYesButton"),
    PageSpec("earning_review", lambda: QCoreApplication.translate("ReviewPage", "Weekly review"),
             frozenset({Permission.REVIEW}), _earning_review, "SP_DialogApplyButton"),
    PageSpec("earning_wishes", lambda: QCoreApplication.translate("WishesPage", "Micro-wishes"),
             frozenset({Permission.AWARD}), _earning_wishes, "SP_MessageBoxInformation"),
    PageSpec("earning_items", lambda: QCoreApplication.translate("ItemsPage", "Point items"),
             frozenset({Permission.POINT_ITEMS}), _earning_items, "SP_FileDialogListView"),
    PageSpec("reports", lambda: QCoreApplication.translate("ReportsPage", "Notices and reports"),
             frozenset({Permission.REVIEW, Permission.SETTINGS}), _reports, "SP_FileIcon"),
    PageSpec("sync", lambda: QCoreApplication.translate("SyncPage", "Sync"),
             frozenset({Permission.STOCK, Permission.SETTINGS}), _sync, "SP_BrowserReload"),
)


def visible_pages(role, pages: tuple[PageSpec, ...] = PAGES) -> list[PageSpec]:
    return [spec for spec in pages if spec.visible_to(role)]


def shortcuts_for(specs: list[PageSpec]) -> list[str]:
    """The key of each visible page, in order: a volunteer's first page is always F1."""
    if len(specs) > len(PAGE_KEYS):
        raise ValueError(f"{len(specs)} pages but only {len(PAGE_KEYS)} page keys")
    return list(PAGE_KEYS[:len(specs)])


def build_pages(ctx: UiContext, receipts, role=None) -> list[tuple[PageSpec, Callable[[], QWidget]]]:
    """The pages the logged-in operator (``role``, default: ``ctx.actor.role``) may see, each
    with a maker that builds it: the window builds a page when it is first needed, so a
    log-in waits for the counter page only, not for every staff page (ui/shell/pages_list)."""
    from counter_app.db.models import Role

    role = Role(role or ctx.actor.role)
    return [(spec, _maker(spec, ctx, receipts)) for spec in visible_pages(role)]


def _maker(spec: PageSpec, ctx: UiContext, receipts) -> Callable[[], QWidget]:
    def make() -> QWidget:
        page = spec.build(ctx, receipts)
        if not isinstance(page, QWidget):  # would crash Qt later, not fail here
            raise TypeError(f"page {spec.key!r}: its builder returned {page!r}, not a widget")
        return page
    return make
