"""同步 — the district sync page (staff and administrators): last success, what waits to be
sent, the last error in plain Chinese, the district's refusals (dead letters), the hotlist,
a progress bar and 立即同步 (F5). The sync itself runs on the runner's own thread and
connection (runner.py): the counter page keeps redeeming meanwhile.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QHBoxLayout, QLabel, QListWidget, QProgressBar, QPushButton,
    QVBoxLayout, QWidget,
)

from counter_app.localtime import to_local
from counter_app.ui.common.scale import css, px
from counter_app.ui.common.text import fill
from counter_app.ui.sync.runner import SyncRunner

ERROR_COLOR = "#b00020"
OK_COLOR = "#1b5e20"


def local_text(iso_utc: str | None) -> str | None:
    """A stored naive-UTC ISO timestamp as local 'YYYY-MM-DD HH:MM'."""
    if not iso_utc:
        return None
    return to_local(datetime.fromisoformat(iso_utc)).strftime("%Y-%m-%d %H:%M")


def server_text(url: str | None) -> str | None:
    """The district server as a person reads it: host:port/database (account)."""
    if not url:
        return None
    try:
        from psycopg.conninfo import conninfo_to_dict

        from counter_app.district.urls import libpq_url

        o = conninfo_to_dict(libpq_url(url))
    except Exception:  # noqa: BLE001  shown as stored
        return url
    where = f"{o.get('host', '?')}:{o.get('port', 5432)}/{o.get('dbname', '?')}"
    return f"{where}  ·  {o['user']}" if o.get("user") else where


def plain_error(error: str | None) -> tuple[str, str]:
    """(what happened in plain words, the technical detail) for a sync error. The sync
    package's messages are Chinese, but a network or login failure carries the server's
    English text: that goes to the detail line, a plain sentence above it."""
    if not error:
        return "", ""
    low = error.lower()
    if ("role" in low and "does not exist" in low) or "password authentication failed" in low:
        plain = QCoreApplication.translate(
            "SyncPage", "The district server does not accept this counter's account or "
                        "password. Ask the district administrator, then set it in Settings (F11).")
    elif "ssl" in low or "certificate" in low:
        plain = QCoreApplication.translate(
            "SyncPage", "The encrypted connection to the district server failed: check the SSL "
                        "mode and the certificate in Settings (F11).")
    elif "timeout" in low or "timed out" in low:
        plain = QCoreApplication.translate(
            "SyncPage", "The district server did not answer in time (the network is slow or "
                        "down). The counter works on; entries wait and go with the next sync.")
    elif "connection" in low or "could not" in low or "refused" in low:
        plain = QCoreApplication.translate(
            "SyncPage", "Cannot reach the district server (network down, or the server is "
                        "off). The counter works on; entries wait and go with the next sync.")
    else:
        return error, ""
    return plain, error


def stage_label(stage: str) -> str:
    labels = {
        "connect": QCoreApplication.translate("SyncPage", "Connecting to the district server"),
        "recover": QCoreApplication.translate("SyncPage", "Fetching back this counter's entries"),
        "push_registers": QCoreApplication.translate("SyncPage", "Sending register changes"),
        "push_points": QCoreApplication.translate("SyncPage", "Sending points entries"),
        "push_stock": QCoreApplication.translate("SyncPage", "Sending stock entries"),
        "pull": QCoreApplication.translate("SyncPage", "Receiving from the district"),
        "done": QCoreApplication.translate("SyncPage", "Finishing"),
    }
    return labels.get(stage, stage)


def indicator_text(st, running: bool) -> tuple[str, bool]:
    """The status bar's short text and whether it is a problem: offline / waiting N /
    last sync time."""
    if running:
        return QCoreApplication.translate("SyncIndicator", "District: syncing…"), False
    if st is None:
        return "", False
    if not st.configured:
        return QCoreApplication.translate("SyncIndicator", "District: not set up"), False
    waiting = sum(st.waiting_entries.values()) + st.waiting_registers
    if st.last_error:
        return fill(QCoreApplication.translate("SyncIndicator", "District: offline, %1 waiting"), waiting), True
    if waiting:
        return fill(QCoreApplication.translate("SyncIndicator", "District: %1 waiting"), waiting), False
    when = local_text(st.last_success)
    if when is None:
        return QCoreApplication.translate("SyncIndicator", "District: never synced"), True
    return fill(QCoreApplication.translate("SyncIndicator", "District: synced %1"), when), False


class SyncPage(QWidget):
    def __init__(self, ctx, parent=None, runner: SyncRunner | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner or SyncRunner.for_db(ctx.db)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        title = QLabel(self.tr("District sync"))
        title.setStyleSheet(css("font-size: 24pt; font-weight: bold;"))

        self.state = QLabel()
        self.state.setObjectName("sync_state")
        self.state.setWordWrap(True)
        self.state.setStyleSheet(css("font-size: 18pt; font-weight: bold;"))

        grid = QGridLayout()
        grid.setHorizontalSpacing(px(24))
        self.values: dict[str, QLabel] = {}
        rows = (("last_success", self.tr("Last successful sync")),
                ("last_run", self.tr("Last attempt")),
                ("waiting", self.tr("Waiting to be sent")),
                ("hotlist", self.tr("Hotlist")),
                ("district", self.tr("District server")),
                ("nightly", self.tr("Nightly sync at")))
        for n, (key, caption) in enumerate(rows):
            label = QLabel(caption)
            label.setStyleSheet(css("font-size: 15pt; color: #404040;"))
            value = QLabel("–")
            value.setObjectName(f"sync_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setStyleSheet(css("font-size: 15pt;"))
            grid.addWidget(label, n, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, n, 1)
            self.values[key] = value
        grid.setColumnStretch(1, 1)

        self.error = QLabel()
        self.error.setObjectName("sync_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(css(f"font-size: 15pt; color: {ERROR_COLOR};"))
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.error_detail = QLabel()
        self.error_detail.setObjectName("sync_error_detail")
        self.error_detail.setWordWrap(True)
        self.error_detail.setStyleSheet(css("font-size: 11pt; color: #606060;"))
        self.error_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_detail.hide()

        self.dead_title = QLabel()
        self.dead_title.setObjectName("sync_dead_title")
        self.dead_title.setStyleSheet(css("font-size: 15pt; font-weight: bold;"))
        self.dead = QListWidget()
        self.dead.setObjectName("sync_dead_letters")
        self.dead.setStyleSheet(css("font-size: 13pt;"))

        self.progress_label = QLabel()
        self.progress_label.setObjectName("sync_progress_label")
        self.progress_label.setStyleSheet(css("font-size: 14pt;"))
        self.progress_label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setObjectName("sync_progress")
        self.bar.setMinimumHeight(px(28))
        self.bar.setTextVisible(False)
        self.bar.setRange(0, 1)
        self.bar.setValue(0)

        self.button = QPushButton(self.tr("Sync now (F5)"))
        self.button.setObjectName("sync_now")
        self.button.setMinimumHeight(px(60))
        self.button.setStyleSheet(css("font-size: 18pt; font-weight: bold;"))
        self.button.clicked.connect(self.sync_now)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.sync_now,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        frame = QFrame()
        frame.setObjectName("sync_panel")
        frame.setStyleSheet(css("#sync_panel { background: #ffffff; border: 1px solid #c8c8c8; "
                                "border-radius: 8px; }"))
        inner = QVBoxLayout(frame)
        inner.addWidget(self.state)
        inner.addLayout(grid)
        inner.addWidget(self.error)
        inner.addWidget(self.error_detail)

        actions = QHBoxLayout()
        actions.addWidget(self.button)
        actions.addWidget(self.progress_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(frame)
        layout.addLayout(actions)
        layout.addWidget(self.bar)
        layout.addWidget(self.dead_title)
        layout.addWidget(self.dead, 1)

        self.runner.started.connect(self._started)
        self.runner.progress.connect(self._progress)
        self.runner.finished.connect(self._finished)
        self.runner.status_loaded.connect(self.show_status)
        if self.runner.status is not None:
            self.show_status(self.runner.status, self.runner.hotlist)
        if self.runner.running:
            self._started()

    def activate(self) -> None:
        self.runner.refresh()
        self.button.setFocus()

    def sync_now(self) -> None:
        if not self.runner.sync_now():
            self.ctx.show_status(self.tr("A sync is already running."))

    def _started(self) -> None:
        self.button.setEnabled(False)
        self.bar.setRange(0, 0)  # busy until a stage says how far
        self.progress_label.setText(stage_label("connect"))
        self.state.setText(self.tr("Syncing with the district… the counter keeps working."))
        self.state.setStyleSheet(css("font-size: 18pt; font-weight: bold; color: #0d47a1;"))

    def _progress(self, stage: str, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)
        text = stage_label(stage)
        if done and stage != "done":
            text = fill(self.tr("%1: %2"), text, done)
        self.progress_label.setText(text)

    def _finished(self, report) -> None:
        self.button.setEnabled(True)
        self.bar.setRange(0, 1)
        if isinstance(report, BaseException):
            self.bar.setValue(0)
            self.progress_label.setText(self.tr("The sync stopped on a program error (see the log)."))
            return
        self.bar.setValue(1 if report.ok else 0)
        self.progress_label.setText(report.summary() if report.ok else
                                    self.tr("The sync did not finish (see above)."))

    def show_status(self, st, hotlist: dict) -> None:
        v = self.values
        if self.runner.running:
            pass
        elif not st.configured:
            self._state(self.tr("This counter is not joined to a district yet (Settings, F11)."),
                        ERROR_COLOR)
        elif st.last_error:
            self._state(self.tr("The last sync failed: the counter works offline, entries wait."),
                        ERROR_COLOR)
        elif st.recovery_pending:
            self._state(self.tr("Restored from a backup: sync before redeeming."), ERROR_COLOR)
        else:
            self._state(self.tr("In step with the district."), OK_COLOR)
        v["last_success"].setText(local_text(st.last_success) or self.tr("never"))
        v["last_run"].setText(local_text(st.last_run) or self.tr("never"))
        v["waiting"].setText(fill(self.tr("%1 points entries, %2 stock entries, %3 register changes"),
                                  st.waiting_entries.get("points", 0),
                                  st.waiting_entries.get("stock", 0), st.waiting_registers))
        v["hotlist"].setText(fill(self.tr("%1 blocked cards, %2 overdrawn members"),
                                  hotlist.get("card", 0), hotlist.get("overdrawn", 0)))
        v["district"].setText(fill(self.tr("%1 (counter %2)"), server_text(st.district_url) or self.tr("not set"),
                                   st.counter_id or "?"))
        at = self.runner.nightly_at
        v["nightly"].setText(f"{at.hour:02d}:{at.minute:02d}")
        plain, detail = plain_error(st.last_error)
        self.error.setText(fill(self.tr("Last error: %1"), plain) if plain else "")
        self.error.setVisible(bool(plain))
        self.error_detail.setText(detail)
        self.error_detail.setVisible(bool(detail))
        self.dead_title.setText(fill(self.tr("Refused by the district (dead letters): %1"),
                                     len(st.dead_letters)))
        self.dead.clear()
        for letter in st.dead_letters:
            self.dead.addItem(str(letter))
        if not st.dead_letters:
            self.dead.addItem(self.tr("None."))

    def _state(self, text: str, color: str) -> None:
        self.state.setText(text)
        self.state.setStyleSheet(css(f"font-size: 18pt; font-weight: bold; color: {color};"))
