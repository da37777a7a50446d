"""Receipt layout as a plain list of lines, shared by ESC/POS, PDF and the UI painter.

Widths are counted in printer columns: ASCII is one column, a hanzi or any
full-width / ambiguous-width character two. That is how a Chinese thermal
printer in GB18030 mode prints (every double-byte character is 24 dots wide),
so a line that fits here fits on paper.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo

DEFAULT_FOOTER = "积分来之不易，感谢您的志愿服务！"
COLUMNS = {58: 32, 80: 48}  # paper width (mm) -> columns of the standard 12x24 font
DOTS = {58: 384, 80: 576}  # printable dots per line at 203 dpi

# Characters a line should not start with (Chinese line-breaking rule, 避头点).
_NO_LINE_START = set("，。、；：！？）》」』】〕…—,.;:!?)]}％%")


def char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    if ord(ch) < 0x80:
        return 1
    # Ambiguous ("A") characters such as × · “ are double-byte in GB18030: two columns.
    return 2 if unicodedata.east_asian_width(ch) in "WFA" else 1


def text_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def _tokens(text: str) -> list[str]:
    """ASCII words stay whole ("5kg", "XF01-000001"); every other character is a token."""
    out: list[str] = []
    for ch in text:
        if ch.isascii() and not ch.isspace() and out and out[-1][-1:].isascii() \
                and not out[-1][-1:].isspace():
            out[-1] += ch
        else:
            out.append(ch)
    return out


def wrap(text: str, width: int) -> list[str]:
    """Wrap to ``width`` columns; never truncates. Returns at least one (maybe empty) line."""
    width = max(width, 2)
    lines: list[list[str]] = [[]]
    used = 0
    for tok in _tokens(text):
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
class Line:
    """One printed line. ``left`` and ``right`` are kept apart so a painter with a
    proportional font can right-align the figures; ``text()`` gives the monospace form."""

    left: str = ""
    right: str = ""
    center: bool = False
    wide: bool = False  # double width and height: fits columns // 2
    tall: bool = False  # double height only
    bold: bool = False
    invert: bool = False  # white on black (void banner)
    kind: str = "text"  # "text" | "rule" | "barcode" (left holds the code)

    def budget(self, columns: int) -> int:
        return columns // 2 if self.wide else columns

    def text(self, columns: int) -> str:
        cols = self.budget(columns)
        if self.kind == "rule":
            return "-" * cols
        if self.right:
            gap = cols - text_width(self.left) - text_width(self.right)
            return self.left + " " * max(gap, 1) + self.right
        if self.center:
            pad = (cols - text_width(self.left)) // 2
            return " " * max(pad, 0) + self.left
        return self.left


def local_time(created_at: datetime, tz: tzinfo | None = None) -> datetime:
    """Receipts store naive UTC; people read local time."""
    return created_at.replace(tzinfo=timezone.utc).astimezone(tz)


def _centered(text: str, columns: int, **style) -> list[Line]:
    budget = columns // 2 if style.get("wide") else columns
    return [Line(part, center=True, **style) for part in wrap(text, budget)]


def _field(label: str, value: str, columns: int, **style) -> list[Line]:
    """``label：value`` with continuation lines indented under the value."""
    head = f"{label}："
    indent = text_width(head)
    if columns - indent < 8:
        return [Line(p, **style) for p in wrap(head + value, columns)]
    parts = wrap(value, columns - indent)
    return [Line((head if i == 0 else " " * indent) + p, **style) for i, p in enumerate(parts)]


def _pair(left: str, right: str, columns: int, **style) -> list[Line]:
    budget = columns // 2 if style.get("wide") else columns
    if text_width(left) + 1 + text_width(right) <= budget:
        return [Line(left, right, **style)]
    return [Line(p, **style) for p in wrap(left, budget)] + [Line("", right, **style)]


def _item_lines(lines, columns: int) -> list[Line]:
    """Name on the left (wrapped), ``qty × unit = points`` right-aligned on its first line.
    When the figures leave too little room for names, each name gets its own line."""
    figures = [f"{l.qty} × {l.unit_points} = {l.points}" for l in lines]
    fig_w = max((text_width(f) for f in figures), default=0)
    name_w = columns - fig_w - 1
    out: list[Line] = []
    if name_w >= 12:
        header = "数量 × 单价 = 积分"
        if text_width("物品") + 1 + text_width(header) <= columns:
            out.append(Line("物品", header))
        for line, fig in zip(lines, figures):
            parts = wrap(line.name, name_w)
            out.append(Line(parts[0], fig))
            out.extend(Line(p) for p in parts[1:])
    else:
        for line, fig in zip(lines, figures):
            out.extend(Line(p) for p in wrap(line.name, columns))
            out.append(Line("", fig))
    return out


def receipt_layout(receipt, columns: int = 32, footer: str | None = DEFAULT_FOOTER,
                   tz: tzinfo | None = None) -> list[Line]:
    """The receipt as styled lines, each fitting ``columns`` (wide lines: half)."""
    rule = Line(kind="rule")
    out: list[Line] = []
    banner = _centered("*** 已作废 ***", columns, wide=True, bold=True, invert=True)
    if receipt.voided:
        out += banner
    out += _centered(receipt.counter_name, columns, wide=True, bold=True)
    out += _centered(f"{receipt.community} · 兑换小票", columns)
    out.append(rule)
    out += _field("小票号", receipt.receipt_no, columns)
    out += _field("时间", f"{local_time(receipt.created_at, tz):%Y-%m-%d %H:%M}", columns)
    out += _field("操作员", receipt.operator, columns)
    out += _field("会员", receipt.member_name, columns, tall=True, bold=True)
    if receipt.phone_masked:
        out += _field("手机", receipt.phone_masked, columns)
    out.append(rule)
    out += _item_lines(receipt.lines, columns)
    out.append(rule)
    out += _pair("合计", f"{receipt.total} 积分", columns, bold=True)
    out += _pair("兑换前余额", f"{receipt.balance_before} 积分", columns)
    out += _pair("兑换后余额", f"{receipt.balance_after} 积分", columns, tall=True, bold=True)
    out.append(rule)
    out.append(Line(receipt.receipt_no, center=True, kind="barcode"))
    for part in (footer or "").splitlines():  # a footer may be several lines
        out += _centered(part.strip(), columns)
    if receipt.voided:
        out += _centered("本单已作废，积分已退回", columns, bold=True)
        out += banner
    return out


def receipt_lines(receipt, columns: int = 32, footer: str | None = DEFAULT_FOOTER,
                  tz: tzinfo | None = None) -> list[str]:
    """Plain text of each line as printed (wide lines are printed at double size)."""
    return [line.text(columns) for line in receipt_layout(receipt, columns, footer, tz)]
