"""Spoken confirmation: the machine's Mandarin voice (espeak-ng here), the settings saying
so when there is none, and what the counter and the kiosk announce."""

import shutil
import subprocess
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from counter_app import speech
from counter_app.config import LocalSettings
from counter_app.members import get_member
from ui_helpers import counter_session, login, press_on_next_dialog, wedge_scan


@pytest.fixture
def settings_file(tmp_path, monkeypatch):
    path = tmp_path / "settings.json"
    monkeypatch.setenv("COUNTER_APP_SETTINGS", str(path))
    return path


@pytest.fixture
def no_voice(tmp_path, monkeypatch):
    """A machine without any speech engine: nothing on PATH."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_the_mandarin_voice_of_espeak_ng_speaks_chinese(tmp_path):
    voice = speech.find_voice()
    assert voice is not None and voice.engine == "espeak-ng", speech.describe(voice)
    assert "普通话" in speech.describe(voice)
    wav = tmp_path / "said.wav"
    done = subprocess.run([*voice.argv, "-w", str(wav)], check=True, capture_output=True,
                          input=speech.redemption_text(40, 60).encode("utf-8"))
    assert done.returncode == 0
    assert wav.read_bytes()[:4] == b"RIFF" and wav.stat().st_size > 20_000  # ~2 s of speech


def test_no_engine_means_no_voice_and_a_message_that_says_what_to_install(no_voice):
    assert speech.find_voice() is None
    assert speech.find_voice(platform="win32") is None
    assert speech.find_voice(platform="darwin") is None
    assert "espeak-ng" in speech.describe(None) and "语音" in speech.describe(None)


def test_an_engine_without_mandarin_is_no_voice(tmp_path):
    fake = tmp_path / "espeak-ng"  # lists English voices only
    fake.write_text("#!/bin/sh\necho 'Pty Language Age/Gender VoiceName File Other'\n"
                    "echo ' 5  en  --/M  English  gmw/en'\n")
    fake.chmod(0o755)
    assert speech.find_voice(which=lambda name: str(fake) if name == "espeak-ng" else None) \
        is None


def test_the_speaker_says_the_newest_text_and_never_blocks_the_caller():
    started, release, said = threading.Event(), threading.Event(), []

    def engine(argv, input, **kw):
        said.append(input.decode("utf-8"))
        started.set()
        release.wait(5)
        return subprocess.CompletedProcess(argv, 0)

    speaker = speech.Speaker(speech.Voice("test", "test", ("say",)), run=engine)
    speaker.say("一")
    assert started.wait(5)
    for text in ("二", "三", "四"):  # while "一" is being said: only the newest waits
        speaker.say(text)
    release.set()
    speaker.wait_idle(5)
    speaker.close()
    assert said == ["一", "四"]


def test_settings_say_when_no_voice_is_installed(qtbot, counter, settings_file, no_voice,
                                                  language):
    from counter_app.ui.common.context import UiContext
    from counter_app.ui.shell.settings_dialog import SettingsDialog

    language("zh_CN")
    LocalSettings(speech=True).save()
    dialog = SettingsDialog(UiContext(db=counter.db, counter=counter.info, actor=counter.admin))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.voice.text() == speech.NO_VOICE, timeout=5000)
    assert not dialog.speech.isEnabled() and not dialog.speech.isChecked()
    assert dialog.speech.text() == "语音播报兑换结果和余额（普通话）"


def test_settings_name_the_voice_and_save_the_switch(qtbot, counter, settings_file, language):
    from counter_app.ui.common.context import UiContext
    from counter_app.ui.shell.settings_dialog import SettingsDialog

    language("zh_CN")
    dialog = SettingsDialog(UiContext(db=counter.db, counter=counter.info, actor=counter.admin))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "espeak-ng" in dialog.voice.text(), timeout=5000)
    assert dialog.speech.isEnabled() and not dialog.speech.isChecked()
    dialog.speech.setChecked(True)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=5000)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.save()
    assert LocalSettings.load().speech is True


def test_the_counter_announces_a_redemption_and_the_balance(qtbot, counter, tmp_path,
                                                            settings_file):
    LocalSettings(speech=True).save()
    mid = counter.member("张三", points=30)
    for session in counter_session(qtbot, counter, tmp_path):
        qtbot.waitUntil(lambda: session.speech.speaker is not None, timeout=5000)
        window = login(qtbot, session, counter.volunteer.operator_id, "1111")
        page = window.pages[0]
        qtbot.waitUntil(lambda: counter.soap in page.tiles.buttons, timeout=5000)
        with qtbot.waitSignal(page.member_shown, timeout=5000):
            with counter.db.read() as s:
                wedge_scan(page.input, get_member(s, mid).card_code)
        with qtbot.waitSignal(page.cart.changed, timeout=5000):
            page.tiles.buttons[counter.soap].click()
        press_on_next_dialog(Qt.Key.Key_Return)
        with qtbot.waitSignal(page.checked_out, timeout=10_000):
            QTest.keyClick(page.input, Qt.Key.Key_F9)
        speaker = session.speech.speaker
        speaker.wait_idle()
        assert speaker.spoken == ["兑换成功，用了 5 分，还剩 25 分"]  # said by espeak-ng


def test_the_kiosk_says_the_balance(qtbot, counter, settings_file):
    from counter_app.ui.devices.speech_output import SpeechOutput
    from counter_app.ui.kiosk.kiosk_app import build_kiosk

    LocalSettings(speech=True).save()
    mid = counter.member("张三", points=20)
    with counter.db.read() as s:
        code = get_member(s, mid).card_code
    window, reader = build_kiosk(counter.db.path, timeout_s=30)
    qtbot.addWidget(window)
    window.speaker = SpeechOutput(window)
    with qtbot.waitSignal(window.speaker.ready, timeout=5000):
        window.speaker.apply_settings(LocalSettings.load())
    window.show()
    with qtbot.waitSignal(window.shown, timeout=5000):
        window.scan(code)
    window.speaker.speaker.wait_idle()
    assert window.speaker.speaker.spoken == ["您的积分余额是 20 分"]
    window.speaker.shutdown()
    window.unlocked = True
    window.close()
    reader.close()
