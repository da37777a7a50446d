"""微心愿 — the wish wall: post a wish (what, who, by when), claim it for a member (card)
or a team, complete it (its award goes to the weekly review), print the wall as a PDF."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths, Signal
from PySide6.QtWidgets import (
    QCheckBox, QDateEdit, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QVBoxLayout, QWidget,
)

from counter_app import members
from counter_app.earning import catalogue, wishes
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.ops import Op, db_work
from counter_app.ui.common.scale import css
from counter_app.ui.common.text import fill
from counter_app.ui.common.widgets import add_button, make_table, show_message
from counter_app.ui.earning.messages import refuse
from counter_app.ui.earning.award_models import WishesModel


def _load(db):
    with db.read() as s:
        return wishes.wishes(s)


def _member_ids(db, codes: str) -> list[int]:
    out = []
    with db.read() as s:
        for code in codes.replace("，", ",").split(","):
            if code.strip():
                out.append(members.lookup_card(s, code.strip()).id)
    return out


def _then_load(db, fn, *args, **kwargs):
    fn(db, *args, **kwargs)
    return _load(db)


def _claim(db, actor, wish_id: int, code: str, team: str):
    member_id = _member_ids(db, code)[0] if code.strip() else None
    return _then_load(db, wishes.claim, actor, wish_id, member_id=member_id, team=team)


def _complete(db, actor, wish_id: int, codes: str):
    people = _member_ids(db, codes) or None
    return _then_load(db, wishes.complete, actor, wish_id, participants=people)


def _wall(db, community: str, path: str) -> int:
    from counter_app.cli.command import write_output
    from counter_app.documents.wish_wall import wish_wall_pdf

    with db.read() as s:
        rows = wishes.wishes(s, ("posted", "claimed"))
    buf = io.BytesIO()
    wish_wall_pdf(rows, buf, community=community, printed_on=f"{catalogue.today():%Y年%m月%d日}")
    write_output(Path(path), buf.getvalue())
    return len(rows)


class WishesPage(QWidget):
    loaded = Signal(int)
    printed = Signal(str)

    def __init__(self, ctx: UiContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        title = QLabel(self.tr("Micro-wishes"))
        title.setStyleSheet(css("font-size: 22pt; font-weight: bold;"))
        self.model = WishesModel(self)
        self.table = make_table(self.model, "wishes_table")
        self.what = QLineEdit()
        self.what.setObjectName("wish_title")
        self.who = QLineEdit()
        self.who.setObjectName("wish_wisher")
        self.has_due = QCheckBox(self.tr("Has a deadline"))
        self.due = QDateEdit()
        self.due.setObjectName("wish_due")
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        today = catalogue.today()
        self.due.setDate(QDate(today.year, today.month, today.day).addDays(30))
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due, 1)
        form = QFormLayout()
        form.addRow(self.tr("Wish"), self.what)
        form.addRow(self.tr("Wished by"), self.who)
        form.addRow(self.tr("Deadline"), due_row)
        post_row = QHBoxLayout()
        add_button(post_row, self.tr("Post wish"), self.post, "wish_post")
        add_button(post_row, self.tr("Print wish wall (PDF)"), self.print_wall, "wish_print")
        self.card = QLineEdit()
        self.card.setObjectName("wish_card")
        self.card.setPlaceholderText(self.tr("Card of the member (several: separated by commas)"))
        self.team = QLineEdit()
        self.team.setObjectName("wish_team")
        self.team.setPlaceholderText(self.tr("Team"))
        self.reason = QLineEdit()
        self.reason.setObjectName("wish_reason")
        self.reason.setPlaceholderText(self.tr("Reason for taking it down"))
        act_row = QHBoxLayout()
        act_row.addWidget(self.card, 2)
        act_row.addWidget(self.team, 1)
        add_button(act_row, self.tr("Claim"), self.claim, "wish_claim")
        add_button(act_row, self.tr("Completed"), self.complete, "wish_complete")
        act_row.addWidget(self.reason, 1)
        add_button(act_row, self.tr("Take down"), self.cancel, "wish_cancel")
        self.message = QLabel()
        self.message.setObjectName("wishes_message")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addLayout(post_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(act_row)
        layout.addWidget(self.message)

    def activate(self) -> None:
        Op(self, db_work(_load), self.ctx.db).success(self._show).run()

    def focus_input(self) -> None:
        self.what.setFocus()

    def _show(self, rows) -> None:
        self.model.set_rows(rows)
        self.loaded.emit(len(rows))

    def _selected(self):
        idx = self.table.selectionModel().currentIndex()
        row = self.model.row_at(idx.row()) if idx.isValid() else None
        if row is None:
            show_message(self.message, self.tr("Select a wish first"), error=True)
        return row

    def _run(self, fn, *args, done: str = "", **kwargs) -> None:
        Op(self, db_work(fn), self.ctx.db, *args, **kwargs) \
            .success(lambda rows: (self._show(rows), show_message(self.message, done))) \
            .failure(self._refused).run()

    def post(self) -> None:
        d = self.due.date()
        due = date(d.year(), d.month(), d.day()) if self.has_due.isChecked() else None
        self._run(_then_load, wishes.post, self.ctx.actor, self.what.text(), self.who.text(),
                  due_date=due, done=self.tr("Wish posted"))
        self.what.clear()
        self.who.clear()

    def claim(self) -> None:
        wish = self._selected()
        if wish is not None:
            self._run(_claim, self.ctx.actor, wish.id, self.card.text(), self.team.text(),
                      done=self.tr("Wish claimed"))

    def complete(self) -> None:
        wish = self._selected()
        if wish is not None:
            self._run(_complete, self.ctx.actor, wish.id, self.card.text(),
                      done=self.tr("Wish completed: its award waits for the weekly review"))

    def cancel(self) -> None:
        wish = self._selected()
        if wish is not None:
            self._run(_then_load, wishes.cancel, self.ctx.actor, wish.id, self.reason.text(),
                      done=self.tr("Wish taken down"))

    def ask_path(self) -> str | None:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        from counter_app.ui.common.file_dialogs import ask_file

        path = ask_file(self, self.tr("Save the wish wall"), str(Path(folder) / "心愿征集墙.pdf"),
                        "PDF (*.pdf)", save=True)
        return path or None

    def print_wall(self) -> None:
        path = self.ask_path()
        if not path:
            return
        Op(self, db_work(_wall), self.ctx.db, self.ctx.counter.community, path) \
            .progress(self.tr("Writing the wish wall…")) \
            .success(lambda n: self._printed(path, n)).failure(self._refused).run()

    def _printed(self, path: str, n: int) -> None:
        show_message(self.message, fill(self.tr("Wish wall with %1 wishes written to %2"), n, path))
        self.printed.emit(path)

    def _refused(self, exc: BaseException) -> None:
        refuse(self, self.message, exc)
