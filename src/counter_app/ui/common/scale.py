"""One text-size setting (标准 / 大 / 特大) for the whole UI.

The app font follows it, and so does every fixed size a widget sets itself: point sizes
in style sheets (``css``), pixel heights and widths (``px``), point sizes set in code
(``pt``). Widgets take their sizes when built, so a change rebuilds the window (as a
language change does)."""

from __future__ import annotations

import re

SCALES = (100, 125, 150)  # per cent: 标准, 大, 特大
BASE_POINT_SIZE = 14  # large already: the counter is used by elderly volunteers

_percent = 100
_SIZE = re.compile(r"(\d+(?:\.\d+)?)(pt|px)\b")


def set_scale(percent: int) -> int:
    """Use ``percent`` from now on (an unknown value falls back to 100); returns it."""
    global _percent
    _percent = percent if percent in SCALES else 100
    return _percent


def scale() -> int:
    return _percent


def px(size: float) -> int:
    return round(size * _percent / 100)


def pt(size: float) -> int:
    return round(size * _percent / 100)


def css(sheet: str) -> str:
    """A style sheet with each ``NNpt`` / ``NNpx`` scaled."""
    return _SIZE.sub(lambda m: f"{round(float(m.group(1)) * _percent / 100)}{m.group(2)}",
                     sheet)


def apply_to_app(app, percent: int) -> None:
    """Set the scale and the application font's size."""
    set_scale(percent)
    font = app.font()
    font.setPointSize(pt(BASE_POINT_SIZE))
    app.setFont(font)
