"""Settings: the language of this counter (per machine) and the community's redemption
window (一季一兑换, in the database, admin only)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QFrame, QLabel, QLineEdit,
    QPushButton, QScrollArea, QSpinBox, QVBoxLayout, QWidget,
)

from counter_app import rules
from counter_app.config import LocalSettings
from counter_app.errors import CounterError
from counter_app.operators import Permission
from counter_app.ui.common.ops import Op, db_work
from counter_app.ui.common.scale import SCALES, px

LANGUAGES = (("zh_CN", "中文"), ("en", "English"))


def _load_window(db) -> rules.Window:
    with db.read() as s:
        return rules.window(s)


class SettingsDialog(QDialog):
    def __init__(self, ctx, settings: LocalSettings | None = None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings or LocalSettings.load()
        self.language_changed = False
        self.scale_changed = False
        self.devices_requested = False
        self.setWindowTitle(self.tr("Settings"))
        # wide enough for the server address and the fields' hints (trial: cut at 371 px)
        self.setMinimumWidth(px(640))
        form = QFormLayout()
        self.language = QComboBox()
        self.language.setObjectName("settings_language")
        for code, label in LANGUAGES:
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(0, self.language.findData(self.settings.language)))
        form.addRow(self.tr("Language"), self.language)
        self.text_size = QComboBox()
        self.text_size.setObjectName("settings_text_size")
        for percent, label in zip(SCALES, (self.tr("Standard"), self.tr("Large"),
                                           self.tr("Extra large"))):
            self.text_size.addItem(f"{label} ({percent}%)", percent)
        self.text_size.setCurrentIndex(max(0, self.text_size.findData(self.settings.font_scale)))
        form.addRow(self.tr("Text size"), self.text_size)
        self.speech = QCheckBox(self.tr("Announce redemptions and the balance aloud (Mandarin)"))
        self.speech.setObjectName("settings_speech")
        self.speech.setChecked(bool(self.settings.speech))
        self.voice = QLabel(self.tr("Looking for a Mandarin voice…"))
        self.voice.setObjectName("settings_voice")
        self.voice.setWordWrap(True)
        form.addRow(self.tr("Spoken confirmation"), self.speech)
        form.addRow("", self.voice)
        from counter_app.ui.devices.speech_output import SpeechOutput

        self.voice_probe = SpeechOutput(self)
        self.voice_probe.ready.connect(self._show_voice)
        self.voice_probe.probe()

        self.window_mode = QComboBox()
        self.window_mode.setObjectName("settings_window_mode")
        self.window_mode.addItem(self.tr("Every day"), None)
        self.window_mode.addItem(self.tr("Only the last days of each quarter"), "quarter")
        self.window_days = QSpinBox()
        self.window_days.setObjectName("settings_window_days")
        self.window_days.setRange(1, 92)
        self.window_days.setSuffix(self.tr(" days"))
        self.window_days.setValue(15)
        self.window_mode.currentIndexChanged.connect(self._sync_enabled)
        form.addRow(self.tr("Redemption window"), self.window_mode)
        form.addRow(self.tr("Window length"), self.window_days)
        self.can_edit_rules = ctx.actor is not None and ctx.actor.can(Permission.SETTINGS)
        # Encrypted backups (backup_schedule): this PC's folder and time; administrators.
        self.backup_folder = QLineEdit(self.settings.backup_folder)
        self.backup_folder.setObjectName("settings_backup_folder")
        self.backup_folder.setPlaceholderText(self.tr("e.g. a folder on a USB stick"))
        self.backup_folder.setEnabled(self.can_edit_rules)
        form.addRow(self.tr("Backup folder"), self.backup_folder)
        self.backup_time = QLineEdit(self.settings.backup_time)
        self.backup_time.setObjectName("settings_backup_time")
        self.backup_time.setInputMask("99:99")
        self.backup_time.setEnabled(self.can_edit_rules)
        form.addRow(self.tr("Daily backup at"), self.backup_time)
        hint = QLabel("" if self.can_edit_rules else
                      self.tr("Only an administrator can change the redemption window."))
        hint.setWordWrap(True)

        self.message = QLabel()
        self.message.setObjectName("settings_message")
        self.message.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        # Everything but Save/Cancel scrolls: at 大/特大 the dialog is taller than a
        # 1366×768 screen, and the buttons had gone off its bottom edge (trial).
        outer = QVBoxLayout(self)
        body = QWidget()
        layout = QVBoxLayout(body)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroll, 1)
        layout.addLayout(form)
        layout.addWidget(hint)
        self.district = None
        if self.can_edit_rules:
            from counter_app.ui.sync import district_settings

            self.district = district_settings.DistrictSettingsBox()
            layout.addWidget(self.district)
            Op(self, db_work(district_settings.load), ctx.db) \
                .success(self.district.show_settings).run()
        layout.addWidget(self.message)
        devices = QPushButton(self.tr("Scanner and receipt printer… (Ctrl+Shift+D)"))
        devices.setObjectName("settings_devices")
        devices.clicked.connect(self._devices)
        devices.setEnabled(self.can_edit_rules)  # device settings: administrators (session)
        layout.addWidget(devices)
        passphrase = QPushButton(self.tr("Backup passphrase…"))
        passphrase.setObjectName("settings_backup_passphrase")
        passphrase.clicked.connect(self.open_backup_passphrase)
        passphrase.setEnabled(self.can_edit_rules)
        layout.addWidget(passphrase)
        selftest = QPushButton(self.tr("Self-test of this counter PC…"))
        selftest.setObjectName("settings_selftest")
        selftest.clicked.connect(self.open_selftest)
        layout.addWidget(selftest)
        layout.addStretch(1)
        outer.addWidget(buttons)
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:  # as tall as the contents, never taller than the screen
            self.resize(self.sizeHint().width(),
                        min(body.sizeHint().height() + buttons.sizeHint().height() + px(40),
                            screen.height() - px(60)))
        self._sync_enabled()
        self.loaded = False
        Op(self, db_work(_load_window), ctx.db).success(self._show_window).run()

    def _show_window(self, current: rules.Window) -> None:
        self.window_mode.setCurrentIndex(0 if current.quarter_last_days is None else 1)
        self.window_days.setValue(current.quarter_last_days or 15)
        self.loaded = True
        self._sync_enabled()

    def open_selftest(self):
        from counter_app.ui.common.focus import open_dialog
        from counter_app.ui.day.selftest_dialog import SelfTestDialog

        return open_dialog(SelfTestDialog(self.ctx.db, parent=self), return_to=self)

    def open_backup_passphrase(self):
        from counter_app.ui.common.focus import open_dialog
        from counter_app.ui.day.backup_passphrase_dialog import BackupPassphraseDialog

        return open_dialog(BackupPassphraseDialog(self.ctx, parent=self), return_to=self)

    def _show_voice(self, voice) -> None:
        from counter_app import speech

        self.voice.setText(speech.describe(voice))
        if voice is None:
            self.voice.setStyleSheet("color: #b00020;")
            self.speech.setChecked(False)  # saying nothing while the box says "on" misleads
            self.speech.setEnabled(False)

    def _devices(self) -> None:
        self.devices_requested = True
        self.reject()

    def _sync_enabled(self) -> None:
        self.window_mode.setEnabled(self.can_edit_rules)
        self.window_days.setEnabled(self.can_edit_rules and self.window_mode.currentIndex() == 1)

    def chosen_window(self) -> rules.Window:
        if self.window_mode.currentIndex() == 0:
            return rules.Window()
        return rules.Window(self.window_days.value())

    def save(self) -> None:
        if not self.loaded:  # do not overwrite a rule we have not even shown yet
            return
        language = self.language.currentData()
        self.language_changed = language != self.settings.language
        self.settings.language = language
        scale = self.text_size.currentData()
        self.scale_changed = scale != self.settings.font_scale
        self.settings.font_scale = scale
        if self.can_edit_rules:
            from counter_app.backup_schedule import parse_time

            try:
                parse_time(self.backup_time.text().strip(": "))
            except CounterError as exc:
                self.message.setText(str(exc))
                return
            self.settings.backup_folder = self.backup_folder.text().strip()
            self.settings.backup_time = self.backup_time.text().strip(": ")
        self.settings.speech = self.speech.isChecked()
        self.settings.save()
        if not self.can_edit_rules:
            self.accept()
            return
        Op(self, db_work(rules.set_window), self.ctx.db, self.ctx.actor, self.chosen_window()) \
            .success(lambda _r: self._save_district()).failure(self._failed).run()

    def _save_district(self) -> None:
        if self.district is None or not self.district.loaded:
            self.accept()
            return
        from counter_app.ui.sync import district_settings
        from counter_app.ui.sync.runner import SyncRunner

        def saved(_current) -> None:
            SyncRunner.for_db(self.ctx.db).refresh(
                then=SyncRunner.for_db(self.ctx.db).arm_nightly)
            self.accept()

        Op(self, db_work(district_settings.save), self.ctx.db, self.district.chosen()) \
            .success(saved).failure(self._failed).run()

    def _failed(self, exc) -> None:
        if isinstance(exc, CounterError):
            self.message.setText(str(exc))
        else:
            from counter_app.ui.common.errors import report_exception

            report_exception(self, exc)
