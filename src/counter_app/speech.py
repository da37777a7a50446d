"""Spoken confirmation (语音播报): the result of a redemption and the balance, in Mandarin,
for members who cannot read the screen.

Qt-free. The voice is the operating system's speech engine run as a subprocess:
espeak-ng (Debian, UOS, Kylin: ``apt install espeak-ng``, Mandarin voice ``cmn``), espeak,
macOS ``say`` (Tingting), Windows SAPI through PowerShell (a Chinese voice pack). QtTextToSpeech
would need PySide6-Addons, which the counter does not ship. ``find_voice`` says which one
is there, or why none is (``NO_VOICE``): the settings show that instead of failing.

``Speaker`` speaks on its own thread, never on the GUI thread; a new text replaces the
ones not yet started (a queue of stale balances helps nobody), and a hung engine is
killed after ``TIMEOUT`` seconds.
"""

from __future__ import annotations

import logging
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

TIMEOUT = 20.0  # seconds one announcement may take

NO_VOICE = ("没有找到普通话语音，语音播报无法使用。"
            "统信/麒麟/Debian：安装 espeak-ng（sudo apt install espeak-ng）；"
            "Windows：设置 → 时间和语言 → 语音 → 添加语音“中文(简体)”。")

_PS_VOICES = ("Add-Type -AssemblyName System.Speech; "
              "(New-Object System.Speech.Synthesis.SpeechSynthesizer).GetInstalledVoices() | "
              "ForEach-Object { $_.VoiceInfo.Culture.Name + ' ' + $_.VoiceInfo.Name }")
_PS_SPEAK = ("Add-Type -AssemblyName System.Speech; "
             "$s = New-Object System.Speech.Synthesis.SpeechSynthesizer; "
             "[Console]::InputEncoding = [Text.Encoding]::UTF8; "
             "$s.SelectVoice('{voice}'); $s.Speak([Console]::In.ReadToEnd())")


@dataclass(frozen=True)
class Voice:
    engine: str  # espeak-ng, espeak, say, sapi
    label: str  # what the settings show
    argv: tuple[str, ...]  # the command; the text goes to its standard input
    stdin: bool = True


def _output(argv: list[str], run) -> str:
    try:
        done = run(argv, capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    out = done.stdout
    return out.decode("utf-8", "replace") if isinstance(out, bytes) else (out or "")


def find_voice(which: Callable[[str], str | None] = shutil.which, run=subprocess.run,
               platform: str = sys.platform) -> Voice | None:
    """The Mandarin voice of this machine, or None (then show ``NO_VOICE``). Runs the
    engines' voice lists (tens of milliseconds): call it off the GUI thread."""
    if platform == "win32":
        ps = which("powershell") or which("powershell.exe")
        if ps:
            for line in _output([ps, "-NoProfile", "-Command", _PS_VOICES], run).splitlines():
                culture, _, name = line.strip().partition(" ")
                if culture.lower().startswith("zh") and name:
                    return Voice("sapi", f"Windows 语音：{name}",
                                 (ps, "-NoProfile", "-Command",
                                  _PS_SPEAK.replace("{voice}", name.replace("'", "''"))))
        return None
    if platform == "darwin":
        say = which("say")
        if say:
            for line in _output([say, "-v", "?"], run).splitlines():
                if "zh_CN" in line:
                    name = line.split("  ")[0].strip()
                    return Voice("say", f"macOS 语音：{name}", (say, "-v", name, "-f", "-"))
        return None
    for engine, voice in (("espeak-ng", "cmn"), ("espeak", "zh")):
        path = which(engine)
        if not path:
            continue
        listed = _output([path, f"--voices={voice}"], run)
        if any(line.split()[1:2] == [voice] for line in listed.splitlines()[1:]):
            return Voice(engine, f"{engine}（普通话 {voice}）",
                         (path, "-v", voice, "-s", "150", "--stdin"))
    return None


def describe(voice: Voice | None) -> str:
    return NO_VOICE if voice is None else f"语音：{voice.label}"


def redemption_text(total: int, balance_after: int) -> str:
    return f"兑换成功，用了 {total} 分，还剩 {balance_after} 分"


def refused_text() -> str:
    return "兑换没有成功，请看屏幕或问工作人员"


def balance_text(balance: int) -> str:
    return f"您的积分余额是 {balance} 分"


class Speaker:
    """Speaks texts on its own thread, one at a time, the newest first."""

    def __init__(self, voice: Voice, run=subprocess.run):
        self.voice = voice
        self._run = run
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="counter-speech", daemon=True)
        self._thread.start()
        self.spoken: list[str] = []  # what was said (tests, the log)

    def say(self, text: str) -> None:
        while True:  # only the newest text is worth saying
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._queue.put(text)

    def close(self, timeout: float = 2.0) -> None:
        self._queue.put(None)
        self._thread.join(timeout)

    def wait_idle(self, timeout: float = TIMEOUT) -> None:
        """Until everything queued has been spoken (tests)."""
        done = threading.Event()
        self._queue.put(done)  # type: ignore[arg-type]
        done.wait(timeout)

    def _loop(self) -> None:
        while True:
            text = self._queue.get()
            if text is None:
                return
            if isinstance(text, threading.Event):
                text.set()
                continue
            try:
                self._run(list(self.voice.argv), input=text.encode("utf-8"),
                          capture_output=True, timeout=TIMEOUT, check=True)
                self.spoken.append(text)
            except (OSError, subprocess.SubprocessError) as exc:
                log.warning("spoken confirmation failed (%s): %s", self.voice.engine, exc)
