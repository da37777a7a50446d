"""The backup passphrase set from the settings page (issue 11): typed twice, a strength
hint, stored where the timed and day-close backups find it; administrators only.

The system keyring is the OS's credential store, which a test PC may or may not have: the
tests install keyring's own fail backend (no keyring) or a small in-memory backend."""

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtWidgets import QPushButton

from counter_app import backup_schedule, backup_secret
from counter_app.config import LocalSettings
from counter_app.errors import CounterError
from counter_app.ui.common.context import UiContext
from counter_app.ui.day.backup_passphrase_dialog import BackupPassphraseDialog
from counter_app.ui.shell.settings_dialog import SettingsDialog

PASS = "社区办公室备份口令-2026"


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.items = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        self.items.pop((service, username))


def _with_keyring(ring):
    before = keyring.get_keyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def memory_keyring():
    yield from _with_keyring(MemoryKeyring())


@pytest.fixture
def no_keyring():
    """A PC without a keyring (a kiosk session, no desktop): keyring's own fail backend."""
    from keyring.backends import fail

    yield from _with_keyring(fail.Keyring())


@pytest.fixture(autouse=True)
def settings_file(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTER_APP_SETTINGS", str(tmp_path / "settings.json"))


def _open(qtbot, counter, actor):
    settings = SettingsDialog(UiContext(db=counter.db, counter=counter.info, actor=actor))
    qtbot.addWidget(settings)
    button = settings.findChild(QPushButton, "settings_backup_passphrase")
    return settings, button


def _audited(counter):
    import sqlite3

    con = sqlite3.connect(f"file:{counter.db.path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT detail FROM audit_log WHERE action = "
                           "'settings.backup_passphrase'").fetchall()
    finally:
        con.close()


def test_an_administrator_sets_the_passphrase_the_scheduled_backup_then_uses(
        qtbot, counter, memory_keyring, tmp_path, language):
    language("zh_CN")
    settings, button = _open(qtbot, counter, counter.admin)
    button.click()
    dialog = settings.findChild(BackupPassphraseDialog)
    dialog.first.setText("abc")
    assert dialog.strength.text() == "太短：至少 8 个字符"
    dialog.first.setText("11111111")
    assert dialog.strength.text().startswith("弱")
    dialog.first.setText(PASS)
    dialog.again.setText(PASS + "x")
    assert dialog.strength.text() == "强；两次输入不一致"
    dialog.save()
    qtbot.waitUntil(lambda: dialog.message.text() != "", timeout=10_000)
    assert dialog.message.text() == "输入有误：两次输入的备份口令不一致，没有保存"
    assert memory_keyring.items == {} and dialog.isVisible()
    dialog.again.setText(PASS)
    dialog.grab().save(str(tmp_path / "backup_passphrase.png"))
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.save()
    assert dialog.stored is True
    assert memory_keyring.items == {(backup_secret.SERVICE, counter.info.id): PASS}
    assert len(_audited(counter)) == 1 and PASS not in str(_audited(counter))

    folder = tmp_path / "usb"
    folder.mkdir()
    outcome = backup_schedule.backup_with_settings(
        counter.db, "scheduled", settings=LocalSettings(backup_folder=str(folder)))
    assert outcome.startswith("已加密备份并校验")
    [made] = backup_schedule.list_backups(folder)
    backup_schedule.decrypt_to(made.path, tmp_path / "plain.db", PASS)
    with pytest.raises(backup_schedule.WrongPassphrase):
        backup_schedule.decrypt_to(made.path, tmp_path / "other.db", "别的口令-12345678")


def test_without_a_keyring_the_dialog_says_nothing_was_saved(qtbot, counter, language,
                                                             no_keyring):
    language("zh_CN")
    assert not backup_secret.available()
    settings, button = _open(qtbot, counter, counter.admin)
    button.click()
    dialog = settings.findChild(BackupPassphraseDialog)
    dialog.first.setText(PASS)
    dialog.again.setText(PASS)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.stored is not None, timeout=10_000)
    assert dialog.stored is False and dialog.isVisible()
    assert "口令没有保存" in dialog.message.text()
    assert backup_secret.stored_passphrase(counter.info.id) is None


def test_a_volunteer_cannot_set_the_passphrase(qtbot, counter, memory_keyring):
    _settings, button = _open(qtbot, counter, counter.volunteer)
    assert not button.isEnabled()
    with pytest.raises(CounterError, match="权限不足"):
        backup_secret.set_passphrase(counter.db, counter.volunteer, PASS, PASS)
    assert memory_keyring.items == {}
