"""B15: one text-size setting (标准 / 大 / 特大) scales the app font and the sizes widgets
fix themselves (style-sheet points, pixel heights)."""

from __future__ import annotations

import pytest

from counter_app.config import LocalSettings
from counter_app.ui.common import scale
from counter_app.ui.common.context import UiContext


@pytest.fixture
def at_scale(qapp):
    font = qapp.font()
    yield lambda percent: scale.apply_to_app(qapp, percent)
    scale.set_scale(100)
    qapp.setFont(font)


def test_css_and_px_follow_the_scale(at_scale):
    at_scale(150)
    assert scale.css("font-size: 16pt; border: 2px solid red;") == \
        "font-size: 24pt; border: 3px solid red;"
    assert scale.px(64) == 96 and scale.pt(14) == 21
    at_scale(100)
    assert scale.css("font-size: 16pt;") == "font-size: 16pt;" and scale.px(64) == 64
    assert scale.set_scale(133) == 100  # not one of the offered sizes


def test_large_text_makes_the_log_in_dialog_bigger(qtbot, counter, at_scale, qapp):
    from PySide6.QtWidgets import QPushButton

    from counter_app.ui.shell.login_dialog import LoginDialog

    def built():
        dialog = LoginDialog(counter.db, counter.info)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.loaded, timeout=5000)
        title = dialog.findChild(object, "login_title")
        return (dialog.findChild(QPushButton, "pin_1").minimumHeight(), title.styleSheet(),
                dialog.sizeHint().height())

    at_scale(100)
    small = built()
    at_scale(150)
    assert qapp.font().pointSize() == 21
    large = built()
    assert (small[0], large[0]) == (64, 96)
    assert "26pt" in small[1] and "39pt" in large[1]
    assert large[2] > small[2] * 1.3


def test_the_setting_is_saved_and_rebuilds_the_window(qtbot, counter, tmp_path, monkeypatch,
                                                       at_scale):
    from counter_app.ui.shell.settings_dialog import SettingsDialog

    monkeypatch.setenv("COUNTER_APP_SETTINGS", str(tmp_path / "settings.json"))
    dialog = SettingsDialog(UiContext(db=counter.db, counter=counter.info,
                                      actor=counter.volunteer))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=5000)
    combo = dialog.text_size
    assert [combo.itemData(i) for i in range(combo.count())] == [100, 125, 150]
    combo.setCurrentIndex(combo.findData(125))
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.save()
    assert dialog.scale_changed and LocalSettings.load().font_scale == 125


def test_at_the_largest_text_the_settings_save_button_stays_on_screen(qtbot, counter, tmp_path,
                                                                      monkeypatch, at_scale):
    """Trial: at 大 the settings dialog was taller than the screen: 保存 out of reach."""
    from PySide6.QtWidgets import QDialogButtonBox

    from counter_app.ui.shell.settings_dialog import SettingsDialog

    monkeypatch.setenv("COUNTER_APP_SETTINGS", str(tmp_path / "settings.json"))
    at_scale(150)
    dialog = SettingsDialog(UiContext(db=counter.db, counter=counter.info, actor=counter.admin))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10_000)
    screen = dialog.screen().availableGeometry()
    assert dialog.height() <= screen.height()
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    bottom = save.mapTo(dialog, save.rect().bottomLeft()).y()
    assert save.isVisible() and 0 < bottom <= dialog.height()
