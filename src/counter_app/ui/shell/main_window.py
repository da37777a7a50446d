"""The main window: big page buttons (F1…), the pages, a status bar that says who and where."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication, QButtonGroup, QFrame, QHBoxLayout, QLabel, QLineEdit, QMainWindow,
    QPushButton, QScrollArea, QStackedWidget, QStyle, QVBoxLayout, QWidget,
)

from counter_app.db.models import Role
from counter_app.operators import ROLE_LABELS
from counter_app.ui.common.context import UiContext
from counter_app.ui.pages import PageSpec, shortcuts_for
from counter_app.ui.shell.pages_list import PagesList
from counter_app.ui.common.focus import exec_dialog
from counter_app.ui.common.widgets import add_button
from counter_app.ui.shell.device_banner import DeviceBanner
from counter_app.ui.shell.titles import counter_title
from counter_app.ui.common.scale import px

PREFERRED_SIZE = QSize(1280, 800)
TOP_BAR_PAGES = 4  # more pages than this: a column of page buttons on the left


class MainWindow(QMainWindow):
    logout_requested = Signal()
    language_changed = Signal(str)
    device_settings_requested = Signal()
    settings_saved = Signal(object)  # LocalSettings, after the settings dialog saved them

    def __init__(self, ctx: UiContext, pages: list[tuple[PageSpec, Callable[[], QWidget]]]):
        super().__init__()
        self.ctx = ctx
        ctx.show_status = self.show_status
        self.setWindowTitle(counter_title(ctx.counter))
        self.stack = QStackedWidget()
        self.page_buttons = QButtonGroup(self)
        bar = QHBoxLayout()
        # A few pages (a volunteer's one) sit in the top bar; a staff member's many pages
        # go into a column on the left, where each keeps a whole readable title.
        side = len(pages) > TOP_BAR_PAGES
        column = QVBoxLayout()
        self.pages = PagesList(self.stack)  # each built when first needed
        self.page_keys: list[str] = []
        for n, ((spec, page), key) in enumerate(zip(pages, shortcuts_for([s for s, _ in pages]))):
            button = QPushButton(f"{spec.translated_title()}  {key}" if side
                                 else f"{spec.translated_title()} ({key})")
            # The page on show must be plain to see: a filled button, not a slight bevel.
            button.setStyleSheet(
                ("QPushButton { text-align: left; padding-left: 8px; } " if side else "")
                + "QPushButton:checked { background: #1f5fa8; color: white; font-weight: bold; }")
            if spec.icon:
                button.setIcon(self.style().standardIcon(getattr(QStyle.StandardPixmap, spec.icon)))
            button.setCheckable(True)
            button.setMinimumHeight(px(52))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setObjectName(f"nav_{n}")
            button.setProperty("page_key", spec.key)
            self.page_buttons.addButton(button, n)
            (column if side else bar).addWidget(button)
            self.pages.add(page)
            self.page_keys.append(spec.key)
            QShortcut(QKeySequence(key), self, lambda n=n: self.show_page(n))
        bar.addStretch(1)
        add_button(bar, self.tr("Settings (F11)"), self.open_settings, "settings_button")
        QShortcut(QKeySequence(Qt.Key.Key_F11), self, self.open_settings)
        add_button(bar, self.tr("Log out (F12)"), self.logout_requested.emit, "logout_button")
        QShortcut(QKeySequence(Qt.Key.Key_F12), self, self.logout_requested.emit)
        self.page_buttons.idClicked.connect(self.show_page)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(bar)
        self.device_banner = DeviceBanner()
        layout.addWidget(self.device_banner)
        if side:
            column.addStretch(1)
            nav = QWidget()
            nav.setObjectName("page_column")
            nav.setLayout(column)
            scroll = QScrollArea()
            scroll.setWidget(nav)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setFixedWidth(px(230))
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row = QHBoxLayout()
            row.addWidget(scroll)
            self.page_view = self._stack_view()
            row.addWidget(self.page_view, 1)
            layout.addLayout(row, 1)
        else:
            self.page_view = self._stack_view()
            layout.addWidget(self.page_view, 1)
        self.setCentralWidget(body)

        self.who = QLabel()
        self.who.setObjectName("status_operator")
        self.scanner_state = QLabel()
        self.scanner_state.setObjectName("status_scanner")
        self.clock = QLabel()
        from counter_app.ui.sync.indicator import SyncIndicator
        from counter_app.ui.sync.runner import SyncRunner

        self.sync_state = SyncIndicator(SyncRunner.for_db(ctx.db))
        self.statusBar().addPermanentWidget(self.sync_state)
        self.statusBar().addPermanentWidget(_separator())
        self.statusBar().addPermanentWidget(self.scanner_state)
        self.scanner_separator = _separator()
        self.statusBar().addPermanentWidget(self.scanner_separator)
        self.statusBar().addPermanentWidget(self.who)
        self.statusBar().addPermanentWidget(_separator())
        self.statusBar().addPermanentWidget(self.clock)
        self.set_scanner_state("")
        self._tick()
        timer = QTimer(self)
        timer.timeout.connect(self._tick)
        timer.start(30_000)
        self.set_actor(ctx.actor)
        self.maximise = self.fit_to_screen()
        if self.pages:
            self.show_page(0)

    def _stack_view(self) -> QScrollArea:
        """The pages in a scroll area: a page whose minimum size is more than the screen
        (members and items at 1366×768, or any page at 特大) scrolls inside the window
        instead of growing the window past the screen's edge; a page that fits fills it
        (ui/shell/fit_scroll.py)."""
        from counter_app.ui.shell.fit_scroll import FitScrollArea

        view = FitScrollArea()
        view.setWidget(self.stack)
        view.setFrameShape(QFrame.Shape.NoFrame)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return view

    def fit_to_screen(self) -> bool:
        """The preferred size where it fits the screen's available area (task bar excluded);
        else the whole available area, and True: show maximised (a window manager then
        fits the frame; without one, the size set here already fits)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        small = area.width() < PREFERRED_SIZE.width() or area.height() < PREFERRED_SIZE.height()
        size = PREFERRED_SIZE.boundedTo(area.size())
        self.resize(size)
        self.move(area.x() + (area.width() - size.width()) // 2,
                  area.y() + (area.height() - size.height()) // 2)
        return small

    def show_fitted(self) -> None:
        if self.maximise:
            self.showMaximized()
        else:
            self.show()

    def open_settings(self) -> None:
        from counter_app.ui.shell.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx, parent=self)
        accepted = exec_dialog(dialog, return_to=self)
        if accepted:
            self.settings_saved.emit(dialog.settings)
        if dialog.devices_requested:
            self.device_settings_requested.emit()
            return
        if accepted and (dialog.language_changed or dialog.scale_changed):
            from PySide6.QtWidgets import QApplication

            from counter_app.ui.common.scale import apply_to_app
            from counter_app.ui.shell.translations import install_translations

            app = QApplication.instance()
            install_translations(app, dialog.settings.language)
            apply_to_app(app, dialog.settings.font_scale)
            self.language_changed.emit(dialog.settings.language)  # rebuilds the window
            return
        page = self.current_page()
        if hasattr(page, "activate"):
            page.activate()

    def set_actor(self, actor) -> None:
        self.ctx.actor = actor
        if actor is not None:
            self.who.setText(f"{actor.name}（{ROLE_LABELS[Role(actor.role)]}） · {actor.counter_id}")

    def set_scanner_state(self, text: str, problem: str | None = None) -> None:
        """``text``: a short state in the status bar; ``problem``: what is wrong with a
        device, in the banner above the pages (None: nothing wrong, banner hidden)."""
        self.scanner_state.setText(text)
        # no scanner set up (a keyboard-wedge one needs none): no empty segment (trial)
        self.scanner_state.setVisible(bool(text))
        self.scanner_separator.setVisible(bool(text))
        self.device_banner.set_problem(problem)

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 15_000)

    def page(self, key: str) -> QWidget | None:
        """The page registered as ``key`` (ui/pages.py), if this operator sees it."""
        return self.pages[self.page_keys.index(key)] if key in self.page_keys else None

    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    def show_page(self, index: int) -> None:
        if not 0 <= index < len(self.pages):
            return
        self.stack.setCurrentIndex(index)
        # each page from its top (trial: 记录积分 opened at the last page's scroll offset,
        # its title scrolled away)
        self.page_view.verticalScrollBar().setValue(0)
        self.page_view.horizontalScrollBar().setValue(0)
        self.page_buttons.button(index).setChecked(True)
        page = self.pages[index]
        if hasattr(page, "activate"):
            page.activate()

    def handle_scan(self, code: str) -> None:
        """A scan goes to the page on screen if it takes scans (members page) or has scan
        boxes of its own (restock, stocktake, the voucher box), else to the counter page,
        which is then shown."""
        current = self.current_page()
        box = _own_box(current, code) if not hasattr(current, "handle_scan") else None
        if box is not None:
            # A page with scan boxes of its own (restock, stocktake …): the code is their
            # input, not the counter's. The wedge filter took the scan's Enter: give it back.
            box.setText(code)
            box.returnPressed.emit()
            return
        target = current if hasattr(current, "handle_scan") else next(
            (p for p in self.pages if hasattr(p, "handle_scan")), None)
        if target is None:
            return
        if self.current_page() is not target:
            self.show_page(self.pages.index(target))
        target.handle_scan(code)

    def _tick(self) -> None:
        self.clock.setText(QDateTime.currentDateTime().toString("yyyy-MM-dd HH:mm"))


def _own_box(page: QWidget, code: str) -> QLineEdit | None:
    """The box of ``page`` a scan of ``code`` belongs to: the focused text box the keyboard
    wedge typed it into (the shelf box too), else the page's ``scan`` box (a serial scanner
    types nowhere); None if the page has neither."""
    focus = QApplication.focusWidget()
    if isinstance(focus, QLineEdit) and page.isAncestorOf(focus) and not focus.isReadOnly() \
            and focus.text().endswith(code):
        return focus
    scan = getattr(page, "scan", None)
    return scan if isinstance(scan, QLineEdit) else None


def _separator() -> QLabel:
    label = QLabel("｜")
    label.setStyleSheet("color: #888;")
    return label
