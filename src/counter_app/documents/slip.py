"""A printable slip: plain styled lines that every output (PDF roll, ESC/POS, QPrinter)
renders the same way. Layout functions (receipt, void slip, reprint; later day-close
reports, shift summaries, vouchers) produce a ``Slip``; outputs only paint its lines.

Widths are counted in printer columns: ASCII is one column, a hanzi or any
full-width / ambiguous-width character two. That is how a Chinese thermal
printer in GB18030 mode prints (every double-byte character is 24 dots wide),
so a line that fits here fits on paper.

Styles, and how each output shows them (no fake bold anywhere: it smears):

=========  ===========  =================================  ========================
style      columns      ESC/POS                            PDF / QPrinter
=========  ===========  =================================  ========================
title      columns / 2  double width and height (GS ! 11)  twice the size
big        columns*2/3  double height (GS ! 01)             1.5 times the size
normal     columns      normal                             normal
small      columns      normal (a thermal font B has no     0.8 times the size
                        hanzi)
=========  ===========  =================================  ========================

A bold face is used for title and big lines where the machine has a TrueType CJK
bold face (``fonts.pdf_bold_font``); otherwise size alone sets them apart.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from counter_app.errors import PrinterError

COLUMNS = {58: 32, 80: 48}  # paper width (mm) -> columns of the standard 12x24 font
DOTS = {58: 384, 80: 576}  # printable dots per line at 203 dpi

TITLE, BIG, NORMAL, SMALL = "title", "big", "normal", "small"
STYLES = (TITLE, BIG, NORMAL, SMALL)
SCALE = {TITLE: 2.0, BIG: 1.5, NORMAL: 1.0, SMALL: 0.8}  # PDF / QPrinter font size factor
TEXT, RULE, BARCODE, QR, CUT = "text", "rule", "barcode", "qr", "cut"
KINDS = (TEXT, RULE, BARCODE, QR, CUT)

# Characters a line should not start with (Chinese line-breaking rule, 避头点).
_NO_LINE_START = set("，。、；：！？）》」』】〕…—,.;:!?)]}％%")
_CURRENCY = set("￥¥$")
_NO_LINE_END = set("（《「『【〔“‘")  # opening brackets stay with what they open (避尾)


def budget(style: str, columns: int) -> int:
    """Columns a line of ``style`` may use on paper ``columns`` wide."""
    if style == TITLE:
        return columns // 2
    if style == BIG:
        return columns * 2 // 3
    return columns


def char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    if ord(ch) < 0x80:
        return 1
    # Ambiguous ("A") characters such as × · “ are double-byte in GB18030: two columns.
    return 2 if unicodedata.east_asian_width(ch) in "WFA" else 1


def text_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def _is_word(tok: str) -> bool:
    return tok[-1:].isascii() and not tok[-1:].isspace()


def tokens(text: str) -> list[str]:
    """Pieces a line may not be broken inside: ASCII words ("5kg", "XF01-000001"),
    a number with the unit right after it ("10元", "3袋") or the currency sign before
    it ("￥10"), an opening bracket with the character it opens; every other character
    on its own."""
    out: list[str] = []
    for ch in text:
        prev = out[-1] if out else ""
        if prev and prev[-1] in _NO_LINE_END and not ch.isspace():
            out[-1] += ch
        elif ch.isascii() and not ch.isspace() and prev and (_is_word(prev) or prev in _CURRENCY):
            out[-1] += ch
        elif (prev[-1:].isdigit() and prev.isascii() and not ch.isascii()
              and unicodedata.category(ch) == "Lo"):
            out[-1] += ch  # a unit right after a number: "10元" stays on one line
        else:
            out.append(ch)
    return out


def wrap(text: str, width: int) -> list[str]:
    """Wrap to ``width`` columns; never truncates. Returns at least one (maybe empty) line."""
    width = max(width, 2)
    lines: list[list[str]] = [[]]
    used = 0
    for tok in tokens(text):
        w = text_width(tok)
        if w > width:  # a word longer than the line: break it by character
            for ch in tok:
                if used + char_width(ch) > width:
                    lines.append([])
                    used = 0
                lines[-1].append(ch)
                used += char_width(ch)
            continue
        if used + w > width:
            carry: list[str] = []
            if (tok in _NO_LINE_START and len(lines[-1]) > 1
                    and text_width(lines[-1][-1]) + w <= width):
                carry = [lines[-1].pop()]  # take the previous character along
            if tok.isspace():
                tok, w = "", 0
            lines.append(carry)
            used = sum(text_width(t) for t in carry)
        lines[-1].append(tok)
        used += w
    return ["".join(parts).strip() for parts in lines] or [""]


@dataclass(frozen=True)
class SlipLine:
    """One printed line. ``left`` and ``right`` are kept apart so a painter with a
    proportional font can right-align the figures; ``text()`` gives the monospace form.
    For barcode and qr lines ``left`` holds the code."""

    left: str = ""
    right: str = ""
    style: str = NORMAL
    center: bool = False
    invert: bool = False  # white on black (the void banner)
    kind: str = TEXT

    def __post_init__(self) -> None:
        if self.style not in STYLES or self.kind not in KINDS:
            raise ValueError(f"bad slip line style/kind {self.style!r}/{self.kind!r}")

    def budget(self, columns: int) -> int:
        return budget(self.style, columns)

    def text(self, columns: int) -> str:
        cols = self.budget(columns)
        if self.kind == RULE:
            return "-" * cols
        if self.right:
            gap = cols - text_width(self.left) - text_width(self.right)
            return self.left + " " * max(gap, 1) + self.right
        if self.center:
            pad = (cols - text_width(self.left)) // 2
            return " " * max(pad, 0) + self.left
        return self.left

    # The ESC/POS size each style maps to (GS !), also the height factor of a line.
    @property
    def wide(self) -> bool:
        return self.style == TITLE

    @property
    def tall(self) -> bool:
        return self.style == BIG


@dataclass(frozen=True)
class Slip:
    """A whole printable slip for paper ``columns`` wide."""

    title: str  # PDF title, print job name
    columns: int
    lines: tuple[SlipLine, ...]
    author: str = ""
    meta: dict = field(default_factory=dict, compare=False)  # e.g. {"receipt_no": ...}

    def text_lines(self) -> list[str]:
        """Plain text of each text line as printed (title lines at double size)."""
        return [line.text(self.columns) for line in self.lines if line.kind in (TEXT, RULE)]


def columns_for(width_mm: int) -> int:
    if width_mm not in COLUMNS:
        raise PrinterError(detail=f"纸宽只能是 58 或 80 毫米（收到 {width_mm}）")
    return COLUMNS[width_mm]


# --- builders for layout functions -----------------------------------------------------

RULE_LINE = SlipLine(kind=RULE)
CUT_LINE = SlipLine(kind=CUT)


def centered(text: str, columns: int, style: str = NORMAL, **kw) -> list[SlipLine]:
    return [SlipLine(part, style=style, center=True, **kw)
            for part in wrap(text, budget(style, columns))]


def paragraph(text: str, columns: int, style: str = NORMAL) -> list[SlipLine]:
    return [SlipLine(part, style=style) for part in wrap(text, budget(style, columns))]


def labelled(label: str, value: str, columns: int, style: str = NORMAL) -> list[SlipLine]:
    """``label：value`` with continuation lines indented under the value."""
    cols = budget(style, columns)
    head = f"{label}："
    indent = text_width(head)
    if cols - indent < 8:
        return [SlipLine(p, style=style) for p in wrap(head + value, cols)]
    parts = wrap(value, cols - indent)
    return [SlipLine((head if i == 0 else " " * indent) + p, style=style)
            for i, p in enumerate(parts)]


def pair(left: str, right: str, columns: int, style: str = NORMAL) -> list[SlipLine]:
    """``left`` and ``right`` on one line when they fit, else the figure on its own line."""
    cols = budget(style, columns)
    if text_width(left) + 1 + text_width(right) <= cols:
        return [SlipLine(left, right, style=style)]
    return ([SlipLine(p, style=style) for p in wrap(left, cols)]
            + [SlipLine("", right, style=style)])
