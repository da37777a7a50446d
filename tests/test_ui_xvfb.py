"""The real window on a real X server without a window manager (like a kiosk counter),
driven by xdotool key presses: after every dialog the keys work again without a click.

Skipped only where Xvfb/xdotool are missing and CI is not set (scripts/setup.sh installs
them); in CI a missing tool is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

TOOLS = ("Xvfb", "xdotool")

SRC = Path(__file__).resolve().parents[1] / "src"


def _need_tools():
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"missing in CI: {missing} (scripts/setup.sh installs them)")
        pytest.skip(f"not installed: {missing}")


class X:
    """An Xvfb display and the app running on it."""

    def __init__(self, tmp_path: Path, db_path: Path, size=(1366, 768), command=("gui",)):
        _need_tools()
        self.display = self._free_display()
        self.env = {**os.environ, "DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb",
                    "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
                    "XDG_CONFIG_HOME": str(tmp_path / "config"),
                    "XDG_DATA_HOME": str(tmp_path / "data"),
                    "COUNTER_APP_LANG": "zh_CN"}
        self.env.pop("WAYLAND_DISPLAY", None)
        self.server = subprocess.Popen(
            ["Xvfb", self.display, "-screen", "0", f"{size[0]}x{size[1]}x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait(lambda: subprocess.run(["xdotool", "getmouselocation"], env=self.env,
                                          capture_output=True).returncode == 0, "Xvfb")
        self.log = open(tmp_path / "app.log", "w")
        self.app = subprocess.Popen([sys.executable, "-m", "counter_app", "--db", str(db_path),
                                     *command], env=self.env, stdout=self.log, stderr=self.log)

    @staticmethod
    def _free_display() -> str:
        for n in range(71, 200):
            if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
                return f":{n}"
        raise RuntimeError("no free X display")

    def _wait(self, predicate, what: str, timeout: float = 30.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if predicate():
                return
            if getattr(self, "app", None) is not None and self.app.poll() is not None:
                raise AssertionError(f"the app exited ({self.app.returncode}) waiting for {what}")
            time.sleep(0.15)
        raise AssertionError(f"timed out waiting for {what}; visible: {self.windows()}")

    def xdotool(self, *args) -> str:
        return subprocess.run(["xdotool", *args], env=self.env, capture_output=True,
                              text=True).stdout

    def windows(self) -> list[str]:
        ids = self.xdotool("search", "--onlyvisible", "--name", ".").split()
        return [self.xdotool("getwindowname", w).strip() for w in ids]

    def wait_window(self, prefix: str, present: bool = True, timeout: float = 30.0):
        self._wait(lambda: any(n.startswith(prefix) for n in self.windows()) == present,
                   f"window {prefix!r} {'shown' if present else 'gone'}", timeout)

    def wait_focus(self, prefix: str, timeout: float = 10.0):
        """Until the keyboard is in the window named ``prefix`` (mapping comes first, the
        focus a moment later on a loaded machine; a key sent in between goes nowhere)."""
        self._wait(lambda: self.xdotool("getwindowfocus", "getwindowname").startswith(prefix),
                   f"keyboard focus in {prefix!r}", timeout)

    def key(self, *keys: str):
        self.xdotool("key", "--delay", "60", *keys)

    def type(self, text: str):
        self.xdotool("type", "--delay", "60", text)

    def screenshot(self, path: Path):
        if shutil.which("import"):
            subprocess.run(["import", "-display", self.display, "-window", "root", str(path)],
                           env=self.env, capture_output=True)

    def close(self):
        for proc in (self.app, self.server):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        self.log.close()


@pytest.fixture
def xserver(counter, tmp_path):
    counter.db.dispose()
    x = X(tmp_path, counter.db.path)
    yield x
    x.close()


MAIN = "幸福社区"  # the main window's title starts with the counter's name


def _log_in(x: X, pin: str = "1234"):
    x.wait_window("登录")
    x.wait_focus("登录")
    x.type(pin)
    x.key("Return")
    x.wait_window(MAIN)
    x.wait_window("登录", present=False)


def test_keys_work_after_every_dialog_without_a_window_manager(xserver, tmp_path):
    x = xserver
    _log_in(x)  # the log-in dialog is the first dialog that closes
    for _ in range(2):  # settings (F11), closed with Esc, twice: keys work after each
        x.key("F11")
        x.wait_window("设置 —", timeout=10)
        x.wait_focus("设置 —")
        x.key("Escape")
        x.wait_window("设置 —", present=False, timeout=10)
    x.key("ctrl+shift+d")  # device settings (window-modal, opened with open())
    x.wait_window("设备设置", timeout=10)
    x.wait_focus("设备设置")
    x.key("Escape")
    x.wait_window("设备设置", present=False, timeout=10)
    x.key("F11")
    x.wait_window("设置 —", timeout=10)
    x.wait_focus("设置 —")
    x.key("Escape")
    x.wait_window("设置 —", present=False, timeout=10)
    x.wait_focus(MAIN)
    x.key("F12")  # log out: the shift summary shows over the log-in (the handover) ...
    x.wait_window("交接班小结", timeout=10)
    x.wait_focus("交接班小结")
    x.key("Escape")  # ... and once it is closed the log-in has the keyboard: keys alone
    x.wait_window("交接班小结", present=False, timeout=10)
    _log_in(x)
    x.key("F11")
    x.wait_window("设置 —", timeout=10)
    x.screenshot(tmp_path / "xvfb-settings.png")
    x.wait_focus("设置 —")
    x.key("Escape")
    x.wait_window("设置 —", present=False, timeout=10)
