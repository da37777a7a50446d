import pytest

from PySide6.QtWidgets import QPushButton

from counter_app import rules
from counter_app.config import LocalSettings
from counter_app.ui.common.context import UiContext
from counter_app.ui.shell.settings_dialog import SettingsDialog


@pytest.fixture(autouse=True)
def settings_file(tmp_path, monkeypatch):
    path = tmp_path / "settings.json"
    monkeypatch.setenv("COUNTER_APP_SETTINGS", str(path))
    return path


def window_of(counter):
    with counter.db.read() as s:
        return rules.window(s)


def test_admin_sets_quarterly_window_and_language(qtbot, counter, settings_file):
    ctx = UiContext(db=counter.db, counter=counter.info, actor=counter.admin)
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=5000)
    assert dialog.window_mode.isEnabled()
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.window_mode.setCurrentIndex(1)
    dialog.window_days.setValue(20)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.save()
    assert window_of(counter) == rules.Window(20)
    assert LocalSettings.load().language == "en" and dialog.language_changed


def test_volunteer_cannot_change_the_window(qtbot, counter):
    ctx = UiContext(db=counter.db, counter=counter.info, actor=counter.volunteer)
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=5000)
    assert not dialog.window_mode.isEnabled() and not dialog.window_days.isEnabled()
    with pytest.raises(Exception, match="权限不足"):
        rules.set_window(counter.db, counter.volunteer, rules.Window(10))
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.save()  # saving the language alone is allowed
    assert window_of(counter) == rules.Window()


def test_local_settings_survive_a_broken_file(settings_file):
    settings_file.write_text("{not json", encoding="utf-8")
    assert LocalSettings.load() == LocalSettings()
    LocalSettings(language="en").save()
    assert LocalSettings.load().language == "en"
    assert not settings_file.with_suffix(".tmp").exists()


def test_language_switch_rebuilds_the_window(qtbot, counter, tmp_path, language):
    from counter_app.ui.devices.receipt_output import ReceiptOutput
    from counter_app.ui.shell.session import CounterSession
    from ui_helpers import login

    session = CounterSession(counter.db, ReceiptOutput(folder=tmp_path, open_pdf=False))
    session.start()
    try:
        window = login(qtbot, session, counter.admin.operator_id, "1234")
        language("en")
        window.language_changed.emit("en")
        assert session.window is not window and session.window.isVisible()
        assert session.window.ctx.actor.name == "管理员"
        assert session.window.pages[0].checkout_button.text() == "Redeem (F9)"
    finally:
        session.shutdown()
        if session.window is not None:
            session.window.close()


def test_settings_dialog_hands_over_to_device_settings(qtbot, counter):
    ctx = UiContext(db=counter.db, counter=counter.info, actor=counter.admin)
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.findChild(QPushButton, "settings_devices").click()
    assert dialog.devices_requested and dialog.result() == 0


def test_only_who_may_change_settings_gets_the_device_button(qtbot, counter):
    """C2: the settings/devices actions follow the operator's permissions."""
    for actor, enabled in ((counter.volunteer, False), (counter.stock_staff, False),
                           (counter.admin, True)):
        dialog = SettingsDialog(UiContext(db=counter.db, counter=counter.info, actor=actor))
        qtbot.addWidget(dialog)
        assert dialog.findChild(QPushButton, "settings_devices").isEnabled() is enabled
