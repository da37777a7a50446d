"""Small pieces shared by the device settings dialog and its tabs: choices, colours,
how prefix/suffix bytes and USB ids are written in the form, and combo/label helpers."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPushButton, QWidget
from counter_app.ui.common.scale import px

BAUD_RATES = ("1200", "2400", "4800", "9600", "19200", "38400", "57600", "115200")
PARITIES = ("N", "E", "O", "M", "S")
STOP_BITS = (1.0, 1.5, 2.0)
TERMINATORS = ("CR", "LF", "CRLF")

GOOD, ERROR, NEUTRAL = "#0b6e2e", "#b00020", "#404040"

# Scanner connection modes in the form.
NO_SCANNER, BY_PORT, BY_USB = range(3)


def escape_text(text: str) -> str:
    """Prefix/suffix as typed in the form: printable ASCII as is, others as \\xNN."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif 0x20 <= ord(ch) < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\x{ord(ch):02x}")
    return "".join(out)


def unescape_text(text: str) -> str:
    """Inverse of ``escape_text``; raises ValueError for non-ASCII or a broken escape."""
    if not text.isascii():
        raise ValueError(text)
    try:
        value = text.encode("ascii").decode("unicode_escape")
    except UnicodeDecodeError as exc:
        raise ValueError(text) from exc
    if any(ord(ch) > 0xFF for ch in value):
        raise ValueError(text)
    return value


def raw_repr(data: bytes) -> str:
    """'XF00000017\\r\\n': the bytes as a Python string literal, escapes visible."""
    return repr(bytes(data).decode("latin-1"))


def usb_id(value: int | None) -> str:
    return "" if value is None else f"{value:04X}"


def parse_usb_id(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    value = int(text, 16)
    if not 0 <= value <= 0xFFFF:
        raise ValueError(text)
    return value


def paint(label: QLabel, color: str) -> None:
    """Text colour through the palette: a style sheet would drop the dialog's large font."""
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(color))
    label.setPalette(palette)


def select(combo: QComboBox, data) -> None:
    index = combo.findData(data)
    if index >= 0:
        combo.setCurrentIndex(index)


def form_page() -> tuple[QWidget, QFormLayout]:
    page = QWidget()
    form = QFormLayout(page)
    form.setContentsMargins(0, 0, 0, 0)
    return page, form


def button(text: str, slot, name: str) -> QPushButton:
    widget = QPushButton(text)
    widget.setObjectName(name)
    widget.setMinimumHeight(px(44))
    widget.clicked.connect(slot)
    return widget
