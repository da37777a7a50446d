"""`counter-app kiosk` on a real X server without a window manager: full screen, the
keyboard-wedge scan typed by xdotool reaches it without a click, it goes back to the
welcome screen by itself, and only an administrator's PIN ends it."""

from __future__ import annotations

import time

import pytest

from counter_app.members import get_member
from test_ui_xvfb import X


def green_share(path) -> float:
    """Share of the screen in the balance's green (#0b6e2e): the member screen shows it."""
    from PIL import Image

    image = Image.open(path).convert("RGB").resize((683, 384), Image.Resampling.NEAREST)
    w, h = image.size
    pixels = [image.getpixel((i, j)) for j in range(h) for i in range(w)]
    near = sum(1 for r, g, b in pixels if abs(r - 11) < 30 and abs(g - 110) < 30 and abs(b - 46) < 30)
    return near / len(pixels)


@pytest.fixture
def kiosk_x(counter, tmp_path):
    mid = counter.member("王小明", points=30)
    with counter.db.read() as s:
        code = get_member(s, mid).card_code
    counter.db.dispose()
    x = X(tmp_path, counter.db.path, command=("kiosk", "--timeout", "4"))
    yield x, code
    x.close()


def test_kiosk_without_a_window_manager(kiosk_x, tmp_path):
    x, code = kiosk_x
    x.wait_window("积分自助查询")
    wid = x.xdotool("search", "--onlyvisible", "--name", "积分自助查询").split()[0]
    assert x.xdotool("getwindowgeometry", wid).split("Geometry:")[1].strip() == "1366x768"
    # it takes the keyboard itself: nobody clicks, no window manager gives it
    x._wait(lambda: x.xdotool("getwindowfocus").strip() == wid, "the kiosk to have the keyboard",
            timeout=10)
    x.screenshot(tmp_path / "welcome.png")
    assert green_share(tmp_path / "welcome.png") < 0.0002
    x.type(code)  # what a keyboard-wedge scanner does: the code, then Enter
    x.key("Return")
    deadline = time.monotonic() + 10
    while True:
        x.screenshot(tmp_path / "member.png")
        if green_share(tmp_path / "member.png") > 0.002 or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert green_share(tmp_path / "member.png") > 0.002  # the balance, in large green type
    time.sleep(5)  # --timeout 4: back to the welcome screen by itself
    x.screenshot(tmp_path / "back.png")
    assert green_share(tmp_path / "back.png") < 0.0002
    x.key("Escape")  # does nothing
    x.key("alt+F4")
    time.sleep(0.5)
    assert x.app.poll() is None
    x.key("ctrl+shift+q")
    x.wait_window("退出自助查询", timeout=10)
    x.type("1111")  # not an administrator's PIN
    x.key("Return")
    time.sleep(1.5)
    assert x.app.poll() is None
    x.type("1234")
    x.key("Return")
    x._wait(lambda: x.app.poll() is not None, "the kiosk to end", timeout=15)
    assert x.app.returncode == 0
