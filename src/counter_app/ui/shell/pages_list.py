"""The main window's pages, built when first needed.

At log-in only the first page (the counter, for everyone who has it) is built; a staff
member's other pages are built the first time they are shown, scanned to or asked for
(``window.pages[i]``). Building all twelve of an administrator's pages at log-in took
about a second, most of it imports, before the counter could be used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QStackedWidget, QWidget


class PagesList(Sequence):
    def __init__(self, stack: QStackedWidget):
        self._stack = stack
        self._makers: list[Callable[[], QWidget] | None] = []
        self._pages: list[QWidget | None] = []
        self._hooks: list[Callable[[QWidget], None]] = []

    def add(self, maker: Callable[[], QWidget] | QWidget) -> None:
        """A page, or a maker of one: a placeholder holds its place in the stack."""
        built = maker if isinstance(maker, QWidget) else None
        self._makers.append(None if built is not None else maker)  # a built page needs none
        self._pages.append(built)
        self._stack.addWidget(built if built is not None else QWidget())

    def __len__(self) -> int:
        return len(self._pages)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        page = self._pages[index]
        if page is None:
            page = self._build(index % len(self))
        return page

    def built(self) -> list[QWidget]:
        """The pages built so far (building none)."""
        return [p for p in self._pages if p is not None]

    def when_built(self, hook: Callable[[QWidget], None]) -> None:
        """Call ``hook(page)`` for every page built so far and for each built later."""
        self._hooks.append(hook)
        for page in self.built():
            hook(page)

    def index(self, page, *args) -> int:
        return self._pages.index(page, *args)

    def _build(self, index: int) -> QWidget:
        page = self._makers[index]()
        placeholder = self._stack.widget(index)
        current = self._stack.currentIndex()
        self._stack.insertWidget(index, page)
        self._stack.removeWidget(placeholder)
        placeholder.deleteLater()
        if current == index:
            self._stack.setCurrentIndex(index)
        self._pages[index] = page
        for hook in self._hooks:
            hook(page)
        return page
