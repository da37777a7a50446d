"""公示与报表 — the monthly notice, red/black boards, yearly honours, work-unit reports, a
member's points file, and the roster import, for staff (reviewers, administrators).

Each paper is built on the database worker (Op) and written as a file into the
``reports`` folder beside the database (or the folder typed on the page); the page shows
its path. Long runs (work-unit reports, the roster import) move a progress bar from the
worker through a queued signal. The chart shows participation per compound (residents who
earned points, and their points) of the notice's month.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGridLayout, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QVBoxLayout, QWidget,
)

from counter_app import clock, localtime
from counter_app.ui.common.context import UiContext
from counter_app.ui.common.ops import Op, db_work
from counter_app.ui.common.row_table_model import RowTableModel
from counter_app.ui.common.scale import css
from counter_app.ui.common.text import fill
from counter_app.ui.common.widgets import add_button, make_table, show_message
from counter_app.ui.earning.messages import refuse


def reports_dir(db_path) -> Path:
    """``<folder of the database>/reports`` (as receipts go beside it)."""
    return Path(db_path).expanduser().resolve().parent / "reports"


def _write(folder: str, name: str, data: bytes) -> Path:
    from counter_app.cli.command import write_output

    Path(folder).mkdir(parents=True, exist_ok=True)
    return write_output(Path(folder) / name, data)


def make_notice(db, month: str, folder: str):
    from counter_app.reports import notice

    n = notice.build(db, month)
    data, _pages = notice.pdf(n)
    return _write(folder, f"积分公示-{n.period.first:%Y-%m}.pdf", data), n


def make_boards(db, quarter: str, folder: str):
    from counter_app.reports import boards

    b = boards.build(db, quarter)
    data, _pages = boards.pdf(b)
    return _write(folder, f"红黑榜-{b.period.first:%Y}-Q{(b.period.first.month + 2) // 3}.pdf",
                  data), b


def make_honours(db, year: str, folder: str):
    from counter_app.reports import honours

    h = honours.build(db, year)
    data, _pages = honours.pdf(h)
    return _write(folder, f"年度评选-{h.period.first.year}.pdf", data), h


def make_points_file(db, member: str, year: str, folder: str):
    from counter_app.cli.reports import member_id_of
    from counter_app.reports import points_file

    f = points_file.build(db, member_id_of(db, member), year)
    data, _pages = points_file.pdf(f)
    return _write(folder, f"积分档案-{f.name}-{f.period.first.year}.pdf", data), f


def make_work_units(db, first: str, last: str, folder: str, progress):
    from counter_app.reports import period, work_units

    p = period.days(period.parse_day(first, "开始日期"), period.parse_day(last, "结束日期"))
    reports = work_units.build(db, p)
    out = Path(folder) / f"单位反馈-{p.slug}"
    return out, work_units.write(reports, out, progress=progress)


def check_roster(db, path: str):
    from counter_app import roster_import

    return roster_import.read_roster(db, path)


def import_roster(db, actor, plan, progress):
    from counter_app import roster_import

    return roster_import.apply(db, actor, plan, progress=progress)


class _Progress(QObject):
    """Called on the worker; the bar moves on the GUI thread (queued signal)."""

    changed = Signal(int, int)

    def __call__(self, done: int, total: int) -> None:
        self.changed.emit(done, total)


class ProblemsModel(RowTableModel):
    """The rows a roster import refused: row, column, problem (tabular.RowProblem)."""

    def __init__(self, parent=None):
        super().__init__([self.tr("Row"), self.tr("Column"), self.tr("Problem")], parent)

    def data(self, index, role=0):
        from PySide6.QtCore import Qt

        p = self.row_at(index.row())
        if p is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (str(p.row) if p.row else self.tr("header"), p.column, p.problem)[index.column()]


def raise_objection(db, actor, award: str, by: str, reason: str):
    from counter_app.reports import objections
    from counter_app.user_text import whole_number

    objections.raise_objection(db, actor, whole_number(award, "积分记录编号"), by, reason)
    return list_objections(db)


def decide_objection(db, actor, objection_id: str, upheld: bool, note: str):
    from counter_app.reports import objections

    objections.decide(db, actor, objection_id, upheld, note)
    return list_objections(db)


def list_objections(db):
    from counter_app.reports import objections

    with db.read() as s:
        return objections.objections(s)


class ObjectionsModel(RowTableModel):
    """Objections to the notices: award, member, points, who, why, where, outcome (synced:
    the office sees those recorded at the other counters)."""

    def __init__(self, parent=None):
        super().__init__([self.tr("Award"), self.tr("Member"), self.tr("Points"),
                          self.tr("Raised by"), self.tr("Reason"), self.tr("Counter"),
                          self.tr("Outcome")], parent)

    def data(self, index, role=0):
        from PySide6.QtCore import Qt

        o = self.row_at(index.row())
        if o is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        outcome = {None: self.tr("open"), "upheld": self.tr("upheld"),
                   "dismissed": self.tr("dismissed")}[o.outcome]
        decided = "".join(f"（{x}）" for x in (o.note, o.decided_counter) if x)
        return (str(o.award_id), o.member, str(o.points), o.raised_by, o.reason, o.counter_id,
                outcome + decided)[index.column()]


def _last_month(today: date) -> str:
    return f"{today.replace(day=1) - timedelta(days=1):%Y-%m}"


class ReportsPage(QWidget):
    done = Signal(object)  # what was written (a path, or the list of paths)

    def __init__(self, ctx: UiContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._plan = None
        self._chart = None
        today = localtime.local_date(clock.now_utc())
        title = QLabel(self.tr("Notices and reports"))
        title.setStyleSheet(css("font-size: 22pt; font-weight: bold;"))
        self.folder = self._field("reports_folder", str(reports_dir(ctx.db.path)))
        self.month = self._field("reports_month", _last_month(today), "YYYY-MM")
        self.quarter = self._field("reports_quarter",
                                   f"{today.year}-Q{(today.month - 1) // 3 + 1}", "YYYY-Qn")
        self.year = self._field("reports_year", str(today.year), "YYYY")
        self.first = self._field("reports_from", f"{today.replace(day=1):%Y-%m-%d}", "YYYY-MM-DD")
        self.last = self._field("reports_to", f"{today:%Y-%m-%d}", "YYYY-MM-DD")
        self.member = self._field("reports_member", "", self.tr("member number or card"))
        self.roster = self._field("reports_roster", "", self.tr("roster file (.xlsx or .csv)"))
        grid = QGridLayout()
        rows = (
            (self.tr("Month"), (self.month,), self.tr("Monthly public notice"), self.notice,
             "reports_notice"),
            (self.tr("Quarter"), (self.quarter,), self.tr("Red/black boards"), self.boards,
             "reports_boards"),
            (self.tr("Year"), (self.year,), self.tr("Yearly honours and certificates"),
             self.honours, "reports_honours"),
            (self.tr("Period"), (self.first, self.last), self.tr("Work-unit reports"),
             self.work_units, "reports_work_units"),
            (self.tr("Member"), (self.member,), self.tr("Points file of the year"),
             self.points_file, "reports_points_file"),
        )
        for r, (label, fields, button, slot, name) in enumerate(rows):
            grid.addWidget(self._label(label), r, 0)
            box = QHBoxLayout()
            for f in fields:
                box.addWidget(f)
            grid.addLayout(box, r, 1)
            cell = QHBoxLayout()
            add_button(cell, button, slot, name)
            grid.addLayout(cell, r, 2)
        roster = QHBoxLayout()
        roster.addWidget(self.roster, 1)
        add_button(roster, self.tr("Choose…"), self.choose_roster, "reports_roster_choose")
        add_button(roster, self.tr("Check roster"), self.check_roster, "reports_roster_check")
        self.import_button = add_button(roster, self.tr("Import roster"), self.import_roster,
                                        "reports_roster_import")
        self.import_button.setEnabled(False)
        self.award = self._field("reports_objection_award", "", self.tr("award number"))
        self.objector = self._field("reports_objection_by", "", self.tr("raised by (real name)"))
        self.objection_reason = self._field("reports_objection_reason", "", self.tr("reason"))
        self.decision_note = self._field("reports_decision_note", "", self.tr("decision note"))
        objection = QHBoxLayout()
        for f in (self.award, self.objector, self.objection_reason):
            objection.addWidget(f, 1)
        add_button(objection, self.tr("Record objection"), self.record_objection,
                   "reports_objection_record")
        decision = QHBoxLayout()
        decision.addWidget(self.decision_note, 1)
        add_button(decision, self.tr("Uphold (reverse the points)"),
                   lambda: self.decide_objection(True), "reports_objection_uphold")
        add_button(decision, self.tr("Dismiss"), lambda: self.decide_objection(False),
                   "reports_objection_dismiss")
        self.objections = ObjectionsModel(self)
        self.objections_table = make_table(self.objections, "reports_objections")
        self.problems = ProblemsModel(self)
        self.problems_table = make_table(self.problems, "reports_problems")
        self.bar = QProgressBar()
        self.bar.setObjectName("reports_progress")
        self.bar.hide()
        self.message = QLabel()
        self.message.setObjectName("reports_message")
        self.message.setWordWrap(True)
        self.chart_box = QVBoxLayout()
        folder = QHBoxLayout()
        folder.addWidget(self._label(self.tr("Save to folder")))
        folder.addWidget(self.folder, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(folder)
        layout.addLayout(grid)
        layout.addLayout(roster)
        layout.addWidget(self.problems_table, 1)
        layout.addLayout(objection)
        layout.addWidget(self.objections_table, 1)
        layout.addLayout(decision)
        layout.addWidget(self.bar)
        layout.addWidget(self.message)
        layout.addLayout(self.chart_box, 2)
        self.progress = _Progress(self)
        self.progress.changed.connect(self._moved)

    @staticmethod
    def _label(text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet(css("font-size: 14pt;"))
        return label

    def _field(self, name: str, text: str, placeholder: str = "") -> QLineEdit:
        f = QLineEdit(text)
        f.setObjectName(name)
        f.setPlaceholderText(placeholder)
        f.setStyleSheet(css("font-size: 14pt;"))
        return f

    def activate(self) -> None:
        Op(self, db_work(list_objections), self.ctx.db).success(self.objections.set_rows) \
            .failure(self._failed).run()

    def focus_input(self) -> None:
        self.month.setFocus()

    # --- papers ------------------------------------------------------------------------

    def _run(self, fn, *args, busy: str, then) -> None:
        self.bar.setRange(0, 0)  # busy until the worker reports a count
        self.bar.show()
        Op(self, db_work(fn), self.ctx.db, *args).progress(busy).success(then) \
            .failure(self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        self.bar.hide()
        if refuse(self, self.message, exc):  # a refused roster lists every bad row
            self.problems.set_rows(getattr(exc, "context", {}).get("problems", ()))

    def _wrote(self, path, extra: str = "") -> None:
        self.bar.hide()
        show_message(self.message, fill(self.tr("Written: %1"), str(path)) + extra)
        self.done.emit(path)

    def notice(self) -> None:
        self._run(make_notice, self.month.text(), self.folder.text(),
                  busy=self.tr("Making the monthly notice…"), then=self._notice_done)

    def _notice_done(self, result) -> None:
        path, n = result
        self._show_chart(n)
        self._wrote(path, "  " + fill(self.tr("(%1 members, objections until %2)"),
                                      len(n.members), f"{n.deadline:%Y-%m-%d}"))

    def boards(self) -> None:
        self._run(make_boards, self.quarter.text(), self.folder.text(),
                  busy=self.tr("Making the boards…"), then=lambda r: self._wrote(r[0]))

    def honours(self) -> None:
        self._run(make_honours, self.year.text(), self.folder.text(),
                  busy=self.tr("Making the honours…"), then=lambda r: self._wrote(r[0]))

    def points_file(self) -> None:
        self._run(make_points_file, self.member.text(), self.year.text(), self.folder.text(),
                  busy=self.tr("Making the points file…"), then=lambda r: self._wrote(r[0]))

    def work_units(self) -> None:
        self._run(make_work_units, self.first.text(), self.last.text(), self.folder.text(),
                  self.progress, busy=self.tr("Making the work-unit reports…"),
                  then=lambda r: self._wrote(r[0], "  " + fill(self.tr("(%1 files)"), len(r[1]))))

    def _moved(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    # --- roster ----------------------------------------------------------------------

    def choose_roster(self) -> None:
        from counter_app.ui.common.file_dialogs import ask_file

        path = ask_file(self, self.tr("Roster"), "", self.tr("Rosters (*.xlsx *.csv)"))
        if path:
            self.roster.setText(path)

    def check_roster(self) -> None:
        self._plan = None
        self.import_button.setEnabled(False)
        self.problems.set_rows([])
        self._run(check_roster, self.roster.text(), busy=self.tr("Checking the roster…"),
                  then=self._checked)

    def _checked(self, plan) -> None:
        from counter_app import roster_import

        self.bar.hide()
        self._plan = plan
        self.import_button.setEnabled(True)
        show_message(self.message, roster_import.summary(plan, done=False))


    def import_roster(self) -> None:
        if self._plan is None:
            show_message(self.message, self.tr("Check the roster first"), error=True)
            return
        plan, self._plan = self._plan, None
        self.import_button.setEnabled(False)
        self._run(import_roster, self.ctx.actor, plan, self.progress,
                  busy=self.tr("Importing the roster…"), then=self._imported)

    def _imported(self, plan) -> None:
        from counter_app import roster_import

        self.bar.hide()
        show_message(self.message, roster_import.summary(plan, done=True))
        self.done.emit(plan)

    # --- objections -------------------------------------------------------------------

    def record_objection(self) -> None:
        self._run(raise_objection, self.ctx.actor, self.award.text(), self.objector.text(),
                  self.objection_reason.text(), busy=self.tr("Recording the objection…"),
                  then=lambda rows: self._objections(rows, self.tr("Objection recorded.")))

    def decide_objection(self, upheld: bool) -> None:
        picked = self.objections_table.selectionModel().selectedRows()
        if not picked:
            show_message(self.message, self.tr("Select the objection first"), error=True)
            return
        o = self.objections.row_at(picked[0].row())
        self._run(decide_objection, self.ctx.actor, o.id, upheld, self.decision_note.text(),
                  busy=self.tr("Deciding the objection…"),
                  then=lambda rows: self._objections(rows, self.tr("Objection decided.")))

    def _objections(self, rows, text: str) -> None:
        self.bar.hide()
        self.objections.set_rows(rows)
        show_message(self.message, text)
        self.done.emit(rows)

    # --- chart -----------------------------------------------------------------------

    def chart(self):
        if self._chart is None:
            from counter_app.ui.dashboard.weekly_chart import BarChart

            self._chart = BarChart()
            self._chart.setObjectName("reports_compound_chart")
            caption = QLabel(self.tr("Participation per compound"))
            caption.setStyleSheet(css("font-size: 16pt; font-weight: bold;"))
            self.chart_box.addWidget(caption)
            self.chart_box.addWidget(self._chart, 1)
        return self._chart

    def _show_chart(self, n) -> None:
        from counter_app.ui.dashboard.weekly_chart import Series

        chart = self.chart()
        chart.set_empty_text(self.tr("Nobody earned points this month"))
        groups = n.compounds
        chart.set_data([g.name for g in groups],
                       [Series(self.tr("Residents who earned points"), QColor("#1565c0"),
                               tuple(g.participants for g in groups))],
                       [fill(self.tr("%1: %2 residents, %3 points"), g.name, g.participants,
                             g.points) for g in groups])
