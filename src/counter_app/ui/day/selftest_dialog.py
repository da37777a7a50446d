"""The selftest from the settings page: the same checks as ``counter-app selftest``, run on
the database worker, shown as the Chinese pass/fail list."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout

from counter_app import selftest
from counter_app.ui.common.ops import Op, db_work
from counter_app.ui.common.scale import css, px


def run_selftest(db):
    return selftest.run(db.path)


class SelfTestDialog(QDialog):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.setObjectName("selftest")
        self.setWindowTitle(self.tr("Self-test"))
        self.report = None
        layout = QVBoxLayout(self)
        self.verdict = QLabel(self.tr("Checking this counter PC…"))
        self.verdict.setObjectName("selftest_verdict")
        self.verdict.setStyleSheet(css("font-size: 18pt; font-weight: bold;"))
        layout.addWidget(self.verdict)
        self.body = QPlainTextEdit()
        self.body.setObjectName("selftest_body")
        self.body.setReadOnly(True)
        self.body.setStyleSheet(css("font-size: 13pt;"))
        self.body.setMinimumSize(px(720), px(380))
        layout.addWidget(self.body, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        Op(self, db_work(run_selftest), db).success(self._show).run()

    def _show(self, report) -> None:
        self.report = report
        lines = report.lines()
        self.verdict.setText(lines[-1])
        self.verdict.setStyleSheet(css("font-size: 18pt; font-weight: bold; color: %s;"
                                       % ("#1b5e20" if report.ok else "#b00020")))
        self.body.setPlainText("\n".join(lines[:-1]))
