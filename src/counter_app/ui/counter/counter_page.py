"""兑换 — the page a volunteer uses all day: find the member, fill the cart, check out."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QSplitter,
    QTableView, QVBoxLayout, QWidget,
)

from functools import partial

from counter_app import redemption
from counter_app.errors import CounterError
from counter_app.ui.counter import counter_lookup
from counter_app.ui.counter.cart_model import CartModel
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.errors import report_exception
from counter_app.ui.counter.item_tiles import ItemTiles
from counter_app.ui.common.latest_search import LatestSearch
from counter_app.ui.counter.member_panel import MemberPanel, load_details
from counter_app.ui.common.member_results_model import MemberResultsModel
from counter_app.ui.common.ops import Op
from counter_app.ui.devices.receipt_output import ReceiptOutput
from counter_app.ui.counter.void_dialog import VoidDialog
from counter_app.ui.common.widgets import add_button, show_message


class CounterPage(QWidget):
    member_shown = Signal(int)  # member id, once the panel is painted
    results_shown = Signal(str)  # the search text whose results are painted
    checked_out = Signal(object)  # Receipt
    message_shown = Signal(str)

    def __init__(self, ctx: UiContext, receipts: ReceiptOutput, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.receipts = receipts
        self.member = None  # MemberRow
        # Bumped whenever the member or the cart changes: a background answer computed
        # for an older state (another member, another cart) is dropped, not applied.
        self._generation = 0
        self._checking_out = False

        self.input = QLineEdit()
        self.input.setObjectName("scan_input")
        self.input.setPlaceholderText(self.tr(
            "Scan the card, or type card no. / phone (or last 4) / name / pinyin initials"))
        self.input.setStyleSheet("font-size: 20pt; padding: 6px;")
        self.input.setClearButtonEnabled(True)
        self.input.textChanged.connect(self._text_changed)
        self.input.returnPressed.connect(self._enter)
        self.input.installEventFilter(self)  # + / - / Delete on an empty scan box

        self.search = LatestSearch(self, partial(counter_lookup.search, ctx.db),
                                   self.input.text, self._show_results, self._fail)
        self.results_model = MemberResultsModel(self)
        self.results = QTableView()
        self.results.setObjectName("search_results")
        self.results.setModel(self.results_model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.results.horizontalHeader().setStretchLastSection(True)
        self.results.verticalHeader().hide()
        self.results.activated.connect(lambda idx: self.select_member(
            self.results_model.row_at(idx.row()).id))
        self.results.hide()

        self.panel = MemberPanel()
        self.tiles = ItemTiles()
        self.tiles.chosen.connect(self.add_item)

        self.cart = CartModel(self)
        self.cart.changed.connect(self._cart_changed)
        self.cart_view = QTableView()
        self.cart_view.setObjectName("cart")
        self.cart_view.setModel(self.cart)
        self.cart_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cart_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cart_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cart_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.cart_view.verticalHeader().hide()
        self.total = QLabel()
        self.total.setObjectName("cart_total")
        self.total.setStyleSheet("font-size: 20pt; font-weight: bold;")

        self.message = QLabel()
        self.message.setObjectName("counter_message")
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(40)

        buttons = QHBoxLayout()
        big = dict(height=56)
        self.checkout_button = add_button(buttons, self.tr("Redeem (F9)"), self.checkout,
                                          "checkout_button", **big)
        self.checkout_button.setStyleSheet("font-size: 18pt; font-weight: bold;")
        add_button(buttons, self.tr("Less (-)"), lambda: self.change_qty(-1), "less_button", **big)
        add_button(buttons, self.tr("More (+)"), lambda: self.change_qty(1), "more_button", **big)
        add_button(buttons, self.tr("Cancel (Esc)"), self.cancel, "cancel_button", **big)
        add_button(buttons, self.tr("Reprint (F5)"), self.reprint, "reprint_button", **big)
        add_button(buttons, self.tr("Void (F8)"), self.void, "void_button", **big)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.results, 1)
        left_layout.addWidget(self.panel, 2)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.tiles, 3)
        right_layout.addWidget(self.cart_view, 2)
        right_layout.addWidget(self.total)
        right_layout.addLayout(buttons)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([420, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(self.input)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)

        for key, slot in ((Qt.Key.Key_F9, self.checkout), (Qt.Key.Key_F5, self.reprint),
                          (Qt.Key.Key_F8, self.void), (Qt.Key.Key_Escape, self.cancel),
                          (Qt.Key.Key_Plus, lambda: self.change_qty(1)),
                          (Qt.Key.Key_Minus, lambda: self.change_qty(-1)),
                          (Qt.Key.Key_Delete, lambda: self.change_qty(-10**6)),
                          (Qt.Key.Key_Down, lambda: self._move_result(1)),
                          (Qt.Key.Key_Up, lambda: self._move_result(-1))):
            QShortcut(QKeySequence(key), self, slot,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._cart_changed()


    def _current(self, callback):
        """Wrap a callback so it runs only if member and cart are as they were now."""
        generation = self._generation
        return lambda *args: callback(*args) if generation == self._generation else None

    def eventFilter(self, obj, event) -> bool:
        if obj is self.input and event.type() == QEvent.Type.KeyPress \
                and not self.input.text() and self.cart.rowCount():
            steps = {Qt.Key.Key_Plus: 1, Qt.Key.Key_Minus: -1, Qt.Key.Key_Delete: -10**6}
            if event.key() in steps:
                self.change_qty(steps[event.key()])
                return True
        return super().eventFilter(obj, event)

    def reset(self) -> None:
        """Log-out: nothing of this member or cart may show for the next operator."""
        self._generation += 1
        self.member = None
        self.panel.show_none()
        self.cart.clear()
        self.input.clear()
        self.say("")

    # --- page life -------------------------------------------------------------------

    def activate(self) -> None:
        self.refresh_items()
        self.focus_input()

    def focus_input(self) -> None:
        self.input.setFocus()
        self.input.selectAll()

    def refresh_items(self) -> None:
        Op(self, counter_lookup.load_items, self.ctx.db, self.ctx.counter) \
            .success(self.tiles.set_items).run()

    def say(self, text: str, error: bool = False) -> None:
        show_message(self.message, text, error)
        self.ctx.show_status(text)
        self.message_shown.emit(text)

    def _fail(self, exc: BaseException) -> None:
        if isinstance(exc, CounterError):
            self.say(str(exc), error=True)
        else:
            report_exception(self, exc)
        self.focus_input()

    # --- finding the member ------------------------------------------------------------

    def _text_changed(self, text: str) -> None:
        if not text.strip():
            self.search.cancel()
            self.results_model.set_rows([])
            self.results.hide()
            return
        self.search.request(text)

    def _show_results(self, text: str, rows) -> None:
        self.results_model.set_rows(rows)
        self.results.setVisible(bool(rows))
        if rows:
            self.results.selectRow(0)
        self.results_shown.emit(text)

    def _move_result(self, step: int) -> None:
        if not self.results.isVisible():
            return
        row = max(0, min(self.results_model.rowCount() - 1,
                         self.results.currentIndex().row() + step))
        self.results.selectRow(row)

    def _enter(self) -> None:
        text = self.input.text().strip()
        if not text:
            if self.cart.rowCount():
                self.checkout()
            return
        row = self.results_model.row_at(self.results.currentIndex().row())
        if row is not None and self.results.isVisible() and not self.search.waiting:
            self.select_member(row.id)
        else:
            self.handle_code(text)

    def handle_scan(self, code: str) -> None:
        """A complete code from the wedge filter or a serial scanner."""
        self.input.blockSignals(True)
        self.input.clear()
        self.input.blockSignals(False)
        self.handle_code(code)

    def handle_code(self, code: str) -> None:
        Op(self, counter_lookup.classify, self.ctx.db, self.ctx.counter.id, code) \
            .success(self._scanned).failure(self._fail).run()

    def _scanned(self, scanned) -> None:
        if scanned.member is not None:
            self.select_member(scanned.member.id)
        else:
            self.add_item(scanned.item)

    def select_member(self, member_id: int, announce: bool = True) -> None:
        if self._checking_out:
            self.say(self.tr("Redeeming, please wait…"), error=True)
            return
        if self.member is None or self.member.id != member_id:
            self.cart.clear()
            self._generation += 1
        Op(self, load_details, self.ctx.db, member_id) \
            .success(self._current(lambda d: self._show_member(d, announce))) \
            .failure(self._fail).run()

    def _show_member(self, details, announce: bool = True) -> None:
        self.member = details.member
        self.panel.show_details(details)
        self.results.hide()
        self.input.blockSignals(True)
        self.input.clear()
        self.input.blockSignals(False)
        if details.member.blocked:
            self.say(self.tr("This member is blocked and cannot redeem."), error=True)
        elif announce:  # after a checkout the page keeps saying how it went
            self.say(self.tr("Member: %1, %2 points").replace("%1", details.member.name)
                     .replace("%2", str(details.member.balance)))
        self._cart_changed()
        self.focus_input()
        self.member_shown.emit(details.member.id)

    # --- the cart ------------------------------------------------------------------------

    def add_item(self, item) -> None:
        if self.member is None:
            self.say(self.tr("Please scan the member card first."), error=True)
            return
        if self._checking_out:
            self.say(self.tr("Redeeming, please wait…"), error=True)
            return
        lines = self.cart.lines_with(item, 1)
        Op(self, counter_lookup.validate, self.ctx.db, self.ctx.counter.id, self.member.id,
           lines).success(self._current(lambda _total: self._added(item))) \
            .failure(self._fail).run()

    def _added(self, item) -> None:
        self.cart.add(item)
        row = next(i for i, e in enumerate(self.cart.entries()) if e.item.id == item.id)
        self.cart_view.selectRow(row)
        self.say(self.tr("Added: %1").replace("%1", item.name))
        self.focus_input()

    def change_qty(self, step: int) -> None:
        row = self.cart_view.currentIndex().row()
        if row < 0:
            row = self.cart.rowCount() - 1
        entry = self.cart.entry(row)
        if entry is None or self._checking_out:
            return
        if step > 0:
            lines = self.cart.lines_with(entry.item, step)
            item_id = entry.item.id
            Op(self, counter_lookup.validate, self.ctx.db, self.ctx.counter.id, self.member.id,
               lines).success(self._current(lambda _t: self._step_item(item_id, step))) \
                .failure(self._fail).run()
        else:
            self.cart.set_qty(row, entry.qty + step)
        self.focus_input()

    def _step_item(self, item_id: int, step: int) -> None:
        for row, e in enumerate(self.cart.entries()):
            if e.item.id == item_id:
                self.cart.set_qty(row, e.qty + step)
                self.cart_view.selectRow(row)

    def _cart_changed(self) -> None:
        self._generation += 1
        total = self.cart.total()
        if self.member is None:
            self.total.setText(self.tr("Total: %1 points").replace("%1", str(total)))
        else:
            left = self.member.balance - total
            self.total.setText(self.tr("Total: %1 points · balance %2 → %3")
                               .replace("%1", str(total)).replace("%2", str(self.member.balance))
                               .replace("%3", str(left)))
            self.total.setStyleSheet("font-size: 20pt; font-weight: bold; color: %s;"
                                     % ("#b00020" if left < 0 else "#202020"))
        self.checkout_button.setEnabled(self.member is not None and total > 0)

    def cancel(self) -> None:
        if self._checking_out:
            return
        if self.cart.rowCount():
            self.cart.clear()
            self.say(self.tr("Cart cleared."))
        elif self.member is not None:
            self.member = None
            self._generation += 1
            self.panel.show_none()
            self.say("")
        self.input.clear()
        self._cart_changed()
        self.focus_input()

    # --- checkout, reprint, void --------------------------------------------------------------

    def checkout(self) -> None:
        if self._checking_out:
            return  # a second F9/Enter while the first is on its way must not post twice
        if self.member is None or not self.cart.rowCount():
            self.say(self.tr("Nothing to redeem yet."), error=True)
            return
        # What the member agrees to is fixed now; if anything changes while the question
        # is on screen (a scan, a late answer), nothing is charged.
        member, actor, generation = self.member, self.ctx.actor, self._generation
        lines, total = self.cart.lines(), self.cart.total()
        question = self.tr("Redeem %1 item(s) for %2?\nTotal %3 points; balance %4 → %5.\n\n"
                           "Press Enter to confirm, Esc to go back.") \
            .replace("%1", str(sum(e.qty for e in self.cart.entries()))) \
            .replace("%2", member.name).replace("%3", str(total)) \
            .replace("%4", str(member.balance)) \
            .replace("%5", str(member.balance - total))
        if not self.confirm(question):
            self.focus_input()
            return
        if generation != self._generation or self.ctx.actor is not actor:
            self.say(self.tr("The cart changed while you were confirming. "
                             "Please check it and redeem again."), error=True)
            return
        self._checking_out = True
        self.checkout_button.setEnabled(False)
        self.say(self.tr("Redeeming…"))
        Op(self, redemption.checkout, self.ctx.db, actor, member.id, lines, total) \
            .success(self._checked_out).failure(self._checkout_failed).run()

    def confirm(self, question: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Confirm"), question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        answer = box.exec() == QMessageBox.StandardButton.Yes
        self.window().activateWindow()  # focus goes back to the scan input, not nowhere
        return answer

    def _checkout_failed(self, exc) -> None:
        self._checking_out = False
        self._cart_changed()
        self._fail(exc)

    def _checked_out(self, receipt) -> None:
        """Committed. The cart is done with; the receipt is printed on the printer thread."""
        self._checking_out = False
        self.cart.clear()
        self.say(self.tr("Done: receipt %1, %2 points. Balance now %3.")
                 .replace("%1", receipt.receipt_no).replace("%2", str(receipt.total))
                 .replace("%3", str(receipt.balance_after)))
        if self.member is not None and self.member.id == receipt.member_id:
            self.select_member(receipt.member_id, announce=False)
        self.refresh_items()
        self.checked_out.emit(receipt)
        self.print_receipt(receipt)

    def print_receipt(self, receipt) -> None:
        def printed(result):
            if not self.receipts.show(result):
                self._print_failed(receipt)

        Op(self, self.receipts.render, receipt).on_device_thread() \
            .success(printed).failure(lambda _exc: self._print_failed(receipt)).run()

    def _print_failed(self, receipt) -> None:
        self.say(self.tr("Redeemed (receipt %1), but the receipt could not be printed. "
                         "Press F5 to try again.").replace("%1", receipt.receipt_no),
                 error=True)

    def reprint(self) -> None:
        def last():
            with self.ctx.db.read() as s:
                number = redemption.last_receipt_no(s, self.ctx.counter.id)
                return redemption.receipt(s, number) if number else None

        def found(receipt):
            if receipt is None:
                self.say(self.tr("No receipt to reprint yet."), error=True)
                return
            self.say(self.tr("Reprinting receipt %1.").replace("%1", receipt.receipt_no))
            self.print_receipt(receipt)
            self.focus_input()

        Op(self, last).success(found).failure(self._fail).run()

    def void(self) -> None:
        dialog = VoidDialog(self.ctx, self)
        if dialog.exec():
            receipt = dialog.result_receipt
            self.print_receipt(receipt)
            self.say(self.tr("Receipt %1 voided: %2 points returned.")
                     .replace("%1", receipt.receipt_no).replace("%2", str(receipt.total)))
            self.refresh_items()
            if self.member is not None:
                self.select_member(self.member.id, announce=False)
        self.focus_input()
