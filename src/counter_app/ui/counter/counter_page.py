"""兑换 — the page a volunteer uses all day: find the member, fill the cart, check out.

Every database call runs on the worker through Op (counter_calls asserts it); what a
code means, the member's details and which tiles are greyed all come from core.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QSplitter,
    QStackedWidget, QTableView, QVBoxLayout, QWidget,
)

from functools import partial

from counter_app.errors import CounterError
from counter_app.lookup import ItemHit, MemberHit, VoucherHit
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.errors import report_exception
from counter_app.ui.common.latest_search import LatestSearch
from counter_app.ui.common.ops import Op
from counter_app.ui.common.widgets import add_button, show_message
from counter_app.ui.counter import counter_calls as calls
from counter_app.ui.counter.cart_model import CartModel
from counter_app.ui.counter.item_tiles import ItemTiles
from counter_app.ui.counter.member_choice import MemberChoice
from counter_app.ui.counter.member_panel import MemberPanel
from counter_app.ui.counter.void_dialog import VoidDialog
from counter_app.ui.counter.voucher_box import VoucherBox
from counter_app.ui.common.text import fill
from counter_app.ui.devices.receipt_output import ReceiptOutput
from counter_app.ui.common.scale import css, px

MAIN, RESULTS = range(2)  # what the page body shows: the counter, or search results


class CounterPage(QWidget):
    member_shown = Signal(int)  # member id, once the panel is painted
    results_shown = Signal(str)  # the search text whose results are painted
    room_shown = Signal()  # greyed tiles follow the member and the cart
    checked_out = Signal(object)  # Receipt
    checkout_refused = Signal(str)  # why a checkout did not go through (spoken confirmation)
    message_shown = Signal(str)
    voucher_shown = Signal(object)  # lookup.VoucherHit, once the voucher box shows it
    voucher_used = Signal(object)  # vouchers.VoucherInfo after the use committed

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
        self.input.setStyleSheet(css("font-size: 20pt; padding: 6px;"))
        self.input.setClearButtonEnabled(True)
        self.input.textChanged.connect(self._text_changed)
        self.input.returnPressed.connect(self._enter)
        self.input.installEventFilter(self)  # + / - / Delete on an empty scan box

        self.search = LatestSearch(self, partial(calls.search, ctx.db),
                                   self.input.text, self._show_results, self._fail)
        self.choice = MemberChoice()
        self.choice.picked.connect(lambda row: self.select_member(row.id))
        self.results_model = self.choice.model
        self.results = self.choice.table

        self.panel = MemberPanel()
        self.tiles = ItemTiles()
        self.tiles.chosen.connect(self.add_item)
        self.tiles.refused.connect(lambda _item, reason: self.say(reason, error=True))

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

        self.message = QLabel()
        self.message.setObjectName("counter_message")
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(px(40))
        self.voucher = VoucherBox()
        self.voucher.use_requested.connect(self.use_voucher)

        buttons = QHBoxLayout()
        big = dict(height=56)
        self.checkout_button = add_button(buttons, self.tr("Redeem (F9)"), self.checkout,
                                          "checkout_button", **big)
        self.checkout_button.setStyleSheet(css("font-size: 18pt; font-weight: bold;"))
        add_button(buttons, self.tr("Less (-)"), lambda: self.change_qty(-1), "less_button", **big)
        add_button(buttons, self.tr("More (+)"), lambda: self.change_qty(1), "more_button", **big)
        add_button(buttons, self.tr("Cancel (Esc)"), self.cancel, "cancel_button", **big)
        add_button(buttons, self.tr("Reprint (F5)"), self.reprint, "reprint_button", **big)
        add_button(buttons, self.tr("Void (F8)"), self.void, "void_button", **big)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.tiles, 3)
        right_layout.addWidget(self.cart_view, 2)
        right_layout.addWidget(self.total)
        right_layout.addLayout(buttons)
        split = QSplitter()
        split.addWidget(self.panel)
        split.addWidget(right)
        split.setSizes([420, 700])
        self.body = QStackedWidget()
        self.body.addWidget(split)
        self.body.addWidget(self.choice)
        layout = QVBoxLayout(self)
        layout.addWidget(self.input)
        layout.addWidget(self.message)
        layout.addWidget(self.voucher)
        layout.addWidget(self.body, 1)

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
        """Log-out: nothing of this member, search or cart may show for the next operator."""
        self._generation += 1
        self.member = None
        self.panel.show_none()
        self.cart.clear()
        self._clear_input()
        self.tiles.set_blocked({})
        self.voucher.clear()
        self.say("")
        self._cart_changed()  # the total line named the member's balance

    # --- page life -------------------------------------------------------------------

    def activate(self) -> None:
        self.refresh_items()
        self.focus_input()

    def focus_input(self) -> None:
        self.input.setFocus()
        self.input.selectAll()

    def refresh_items(self) -> None:
        Op(self, calls.load_items, self.ctx.db, self.ctx.counter.id,
           self.ctx.counter.community_id).success(lambda r: self.tiles.set_items(*r)).run()

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

    def _clear_input(self) -> None:
        """Empty the scan box and drop its search (without searching for "")."""
        self.input.blockSignals(True)
        self.input.clear()
        self.input.blockSignals(False)
        self._text_changed("")

    def _text_changed(self, text: str) -> None:
        if not text.strip():
            self.search.cancel()
            self.choice.clear()
            self.body.setCurrentIndex(MAIN)
            return
        self.search.request(text)

    def _show_results(self, text: str, rows) -> None:
        self.choice.show_rows(rows)
        self.body.setCurrentIndex(RESULTS if rows else MAIN)
        self.results_shown.emit(text)

    def _move_result(self, step: int) -> None:
        if self.body.currentIndex() == RESULTS:
            self.choice.move(step)

    def _enter(self) -> None:
        text = self.input.text().strip()
        if not text:
            if self.cart.rowCount():
                self.checkout()
            return
        if self.body.currentIndex() == RESULTS and not self.search.waiting:
            row = self.choice.choice()
            if row is not None:
                self.select_member(row.id)
            else:
                self._choose_first()
            return
        self.handle_code(text)

    def handle_scan(self, code: str) -> None:
        """A complete code from the wedge filter or a serial scanner."""
        self._clear_input()
        self.handle_code(code)

    def handle_code(self, code: str) -> None:
        member_id = self.member.id if self.member is not None else None
        generation = self._generation
        Op(self, calls.resolve_scan, self.ctx.db, code, self.ctx.counter, member_id,
           self.cart.lines()) \
            .success(lambda found: self._resolved(*found, generation=generation)) \
            .failure(self._fail).run()

    def _resolved(self, hit, details=None, generation=None) -> None:
        if isinstance(hit, MemberHit):
            if details is not None and generation == self._generation \
                    and not self._checking_out:
                self._member_loaded(details, True)  # loaded with the code: no second hop
            else:  # the member or cart changed meanwhile: load them as they are now
                self.select_member(hit.member.id)
        elif isinstance(hit, ItemHit):
            self.add_item(hit.item)
        elif isinstance(hit, VoucherHit):
            self.show_voucher(hit)
        elif len(hit.members) == 1:  # typed text, Enter before its results painted
            self.select_member(hit.members[0].id)
        else:
            self.input.blockSignals(True)
            self.input.setText(hit.text)
            self.input.blockSignals(False)
            self._show_results(hit.text, list(hit.members))
            self._choose_first()

    def _choose_first(self) -> None:
        """Enter with several matches and none chosen: what to do, in words the count line
        above the list does not already say (trial: the same sentence twice, once in red),
        and the search text selected, so typing starts a new search."""
        self.say(self.tr("Choose one of them with ↑/↓ first, then press Enter."), error=True)
        self.input.selectAll()

    # --- a merchant's voucher scanned at the counter ----------------------------------

    def show_voucher(self, hit) -> None:
        """The voucher's facts and state; the member and cart stay as they were."""
        self.voucher.show_voucher(hit.voucher, hit.refusal)
        if hit.refusal:
            self.say(hit.refusal, error=True)
        else:
            self.say(fill(self.tr("Voucher %1 is valid: mark it used when the merchant "
                                  "hands over the offer"), hit.voucher.code))
        self.voucher_shown.emit(hit)
        self.focus_input()

    def use_voucher(self, code: str) -> None:
        if not self.confirm(fill(self.tr("Mark voucher %1 as used? This cannot be undone."),
                                 code)):
            self.focus_input()
            return

        def refused(exc):
            if isinstance(exc, CounterError):
                self.voucher.use_button.hide()
                self.voucher.set_state(str(exc), ok=False)
            self._fail(exc)

        Op(self, calls.use_voucher, self.ctx.db, self.ctx.actor, code) \
            .success(self._voucher_used).failure(refused).run()

    def _voucher_used(self, info) -> None:
        self.voucher.used(info)
        self.say(fill(self.tr("Voucher %1 marked used"), info.code))
        self.voucher_used.emit(info)
        self.focus_input()

    def select_member(self, member_id: int, announce: bool = True) -> None:
        if self._checking_out:
            self.say(self.tr("Redeeming, please wait…"), error=True)
            return
        same = self.member is not None and self.member.id == member_id
        if not same:
            self._generation += 1  # answers still on their way for the last member: dropped
        lines = self.cart.lines() if same else []  # another member starts with an empty cart
        Op(self, calls.details, self.ctx.db, member_id, self.ctx.counter, lines) \
            .success(self._current(lambda d: self._member_loaded(d, announce))) \
            .failure(self._fail).run()

    def _member_loaded(self, details, announce: bool) -> None:
        if self.member is not None and self.member.id != details.member.id \
                and self.cart.rowCount():
            count = sum(e.qty for e in self.cart.entries())
            question = fill(self.tr("The cart still holds %1 item(s) for %2.\n"
                                    "Switch to %3? (Yes empties the cart.)"),
                            count, self.member.name, details.member.name)
            if not self.ask_switch(question):
                self._clear_input()
                self.say(fill(self.tr("Still serving %1; the cart is kept."), self.member.name))
                self.focus_input()
                return
            self.cart.clear()
        self._show_member(details, announce)

    def _show_member(self, details, announce: bool = True) -> None:
        if self.member is None or self.member.id != details.member.id:
            self._generation += 1
        self.member = details.member
        self.panel.show_details(details)
        self._clear_input()
        if details.member.blocked:
            self.say(self.tr("This member is blocked and cannot redeem."), error=True)
        elif announce:  # after a checkout the page keeps saying how it went
            self.say(fill(self.tr("Member: %1, %2 points"), details.member.name,
                          details.member.balance))
        self._show_total()
        self._show_room(details.room)
        self.focus_input()
        self.member_shown.emit(details.member.id)

    def _show_room(self, room) -> None:
        self.tiles.set_blocked(room.blocked)
        self.panel.show_room(room)
        self.room_shown.emit()

    # --- the cart ------------------------------------------------------------------------

    def add_item(self, item) -> None:
        if self.member is None:
            self.say(self.tr("Please scan the member card first."), error=True)
            return
        if self._checking_out:
            self.say(self.tr("Redeeming, please wait…"), error=True)
            return
        lines = self.cart.lines_with(item, 1)
        Op(self, calls.validate, self.ctx.db, self.ctx.counter.id, self.member.id,
           lines).success(self._current(lambda _total: self._added(item))) \
            .failure(self._fail).run()

    def _added(self, item) -> None:
        self.cart.add(item)
        row = next(i for i, e in enumerate(self.cart.entries()) if e.item.id == item.id)
        self.cart_view.selectRow(row)
        self.say(fill(self.tr("Added: %1"), item.name))
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
            Op(self, calls.validate, self.ctx.db, self.ctx.counter.id, self.member.id,
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
        self._show_total()
        if self.member is not None and not self._checking_out:
            Op(self, calls.cart_room, self.ctx.db, self.ctx.counter, self.member.id,
               self.cart.lines()).success(self._current(self._show_room)).run()

    def _show_total(self) -> None:
        total = self.cart.total()
        left = None if self.member is None else self.member.balance - total
        if left is None:
            self.total.setText(fill(self.tr("Total: %1 points"), total))
        else:
            self.total.setText(fill(self.tr("Total: %1 points · balance %2 → %3"),
                                    total, self.member.balance, left))
        self.total.setStyleSheet(css("font-size: 20pt; font-weight: bold; color: %s;"
                                     % ("#b00020" if left is not None and left < 0 else "#202020")))
        self.checkout_button.setEnabled(self.member is not None and total > 0)

    def cancel(self) -> None:
        if self._checking_out:
            return
        if self.input.text().strip():  # Esc while searching: drop the search only
            self._clear_input()
        elif self.voucher.isVisible():
            self.voucher.clear()
        elif self.cart.rowCount():
            self.cart.clear()
            self.say(self.tr("Cart cleared."))
        elif self.member is not None:
            self.member = None
            self._generation += 1
            self.panel.show_none()
            self.tiles.set_blocked({})
            self.say("")
        self._show_total()
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
        question = fill(self.tr("Redeem %1 item(s) for %2?\nTotal %3 points; balance %4 → %5."
                                "\n\nPress Enter to confirm, Esc to go back."),
                        sum(e.qty for e in self.cart.entries()), member.name, total,
                        member.balance, member.balance - total)
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
        Op(self, calls.checkout, self.ctx.db, actor, member.id, lines, total) \
            .success(self._checked_out).failure(self._checkout_failed).run()

    def confirm(self, question: str) -> bool:
        return self._ask(self.tr("Confirm"), question, default_yes=True)

    def ask_switch(self, question: str) -> bool:
        """Another member's card with a full cart: keeping the cart is the default."""
        return self._ask(self.tr("Another member?"), question, default_yes=False)

    def _ask(self, title: str, question: str, default_yes: bool) -> bool:
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        box = QMessageBox(QMessageBox.Icon.Question, title, question, yes | no, self)
        box.setObjectName("counter_question")
        box.setDefaultButton(yes if default_yes else no)
        box.setEscapeButton(no)
        answer = box.exec() == yes
        self.window().activateWindow()  # focus goes back to the scan input, not nowhere
        return answer

    def _checkout_failed(self, exc) -> None:
        self._checking_out = False
        self._cart_changed()
        self.refresh_items()  # a refusal (stock, capacity) often means the shelf changed
        self._fail(exc)
        self.checkout_refused.emit(str(exc))

    def _checked_out(self, receipt) -> None:
        """Committed. The cart is done with; the receipt is printed on the printer thread."""
        self._checking_out = False
        self.cart.clear()
        self.say(fill(self.tr("Done: receipt %1, %2 points. Balance now %3."),
                      receipt.receipt_no, receipt.total, receipt.balance_after))
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
        # Say what was not printed: after a void or a reprint, "redeemed" would make a
        # volunteer think a new redemption had just happened.
        if getattr(receipt, "void", None) is not None:
            text = self.tr("Receipt %1 is voided, but the void slip could not be printed. "
                           "Press F5 to try again.")
        elif getattr(receipt, "reprinted_at", None) is not None:
            text = self.tr("The reprint of receipt %1 could not be printed. "
                           "Press F5 to try again.")
        else:
            text = self.tr("Redeemed (receipt %1), but the receipt could not be printed. "
                           "Press F5 to try again.")
        self.say(fill(text, receipt.receipt_no), error=True)

    def reprint(self) -> None:
        def found(receipt):
            if receipt is None:
                self.say(self.tr("No receipt to reprint yet."), error=True)
                return
            self.say(fill(self.tr("Reprinting receipt %1."), receipt.receipt_no))
            self.print_receipt(receipt)
            self.focus_input()

        Op(self, calls.last_receipt, self.ctx.db, self.ctx.counter.id) \
            .success(found).failure(self._fail).run()

    def void(self) -> None:
        dialog = VoidDialog(self.ctx, self)
        if dialog.exec():
            receipt = dialog.result_receipt
            self.print_receipt(receipt)
            self.say(fill(self.tr("Receipt %1 voided: %2 points returned."),
                          receipt.receipt_no, receipt.total))
            self.refresh_items()
            if self.member is not None:
                self.select_member(self.member.id, announce=False)
        self.focus_input()
