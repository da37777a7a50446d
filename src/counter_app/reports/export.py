"""Spreadsheet export (.xlsx via openpyxl) of the rows a table shows.

``export_rows`` writes one sheet: a bold header row, column widths fitted to the text
(a Chinese character counts double), dates and times as real Excel dates, numbers as
numbers. The file is written next to its destination under a temporary name and moved
into place with ``os.replace``, so a crash or a full disk never leaves a half-written
workbook where the old one (or nothing) was.

Text is written as text: a member named "=1+1" stays a name and never becomes a
formula (spreadsheet formula injection), and control characters that Excel rejects are
dropped instead of failing the export.

``member_sheet`` and ``history_sheet`` turn the plain rows the UI shows into sheet
rows with Chinese headers: the workbook is a document for the community office, like a
receipt, so its headers are Chinese whatever the UI language.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from counter_app.localtime import to_local

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"
MAX_WIDTH = 60  # characters; long notes wrap instead of making a mile-wide column
_BAD_TITLE = str.maketrans({c: "_" for c in '[]:*?/\\'})


def export_rows(path: str | os.PathLike, headers: Sequence[str], rows: Iterable[Sequence],
                sheet_title: str = "Sheet1") -> Path:
    """Write ``headers`` and ``rows`` to a new .xlsx at ``path`` (replacing it); returns it.

    Cell values may be str, int, float, bool, date, datetime, time or None. Aware
    datetimes are shown in local time (Excel has no time zones).
    """
    path = Path(path)
    return export_sheets(path, [(sheet_title, headers, rows)])


def export_sheets(path: str | os.PathLike,
                  sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]) -> Path:
    """Several sheets ``(title, headers, rows)`` in one new .xlsx at ``path``, as
    ``export_rows`` writes one."""
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    for title, headers, rows in sheets:
        _fill(wb.create_sheet(_sheet_title(title)), list(headers), rows)
    _save_atomically(wb, path)
    return path


def _fill(ws, headers: list, rows: Iterable[Sequence]) -> None:
    widths = [_text_width(str(h)) for h in headers]
    bold = Font(bold=True)
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col)
        _set_text(cell, str(header))
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center")
    count = 0
    for r, values in enumerate(rows, start=2):
        count += 1
        values = list(values)
        if len(values) > len(headers):
            raise ValueError(f"row {r - 1} has {len(values)} cells for {len(headers)} headers")
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col)
            shown = _set_value(cell, value)
            widths[col - 1] = max(widths[col - 1], _text_width(shown))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(width, MAX_WIDTH) + 2
    ws.freeze_panes = "A2"  # the header row stays visible while scrolling
    if headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"


def _sheet_title(title: str) -> str:
    """Excel: at most 31 characters, none of []:*?/\\, not empty."""
    title = (title or "").translate(_BAD_TITLE).strip("'").strip()
    return title[:31] or "Sheet1"


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _set_text(cell, text: str) -> str:
    text = _clean(text)
    if not text:
        return ""  # an empty cell, as openpyxl/Excel read "" back anyway
    cell.value = text
    cell.data_type = "s"  # never a formula, even when it starts with "="
    return text


def _set_value(cell, value) -> str:
    """Store ``value`` with its real type; returns the text used to size the column."""
    if value is None:
        return ""
    if isinstance(value, bool):
        cell.value = value
        return "FALSE"
    if isinstance(value, (int, float)):
        cell.value = value
        return f"{value:,}" if isinstance(value, int) else f"{value:.2f}"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = to_local(value).replace(tzinfo=None)
        cell.value = value
        cell.number_format = DATETIME_FORMAT
        return "0000-00-00 00:00"
    if isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
        return "0000-00-00"
    if isinstance(value, time):
        cell.value = value
        cell.number_format = TIME_FORMAT
        return "00:00"
    return _set_text(cell, str(value))


def _text_width(text: str) -> int:
    """Width in 'character units': East Asian wide/full-width characters count 2."""
    longest = 0
    for line in (text or "").splitlines() or [""]:
        longest = max(longest, sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1
                                   for ch in line))
    return longest


def _save_atomically(wb: Workbook, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx.tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            wb.save(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


# --- sheets for the members page ------------------------------------------------------

MEMBER_HEADERS = ["姓名", "类别", "卡号", "手机号", "住址", "积分余额", "状态"]
HISTORY_HEADERS = ["时间", "类型", "积分", "单号/来源", "备注", "柜台", "操作员"]
STATUS_LABELS = {"active": "正常", "blocked": "停用"}


def local_time(naive_utc: datetime) -> datetime:
    """Journal times are stored as naive UTC; a spreadsheet wants local wall-clock time
    (to the second: Excel keeps milliseconds at best)."""
    return to_local(naive_utc).replace(tzinfo=None, microsecond=0)


def member_sheet(rows) -> tuple[list[str], list[list]]:
    """Member search results (members.MemberRow) as sheet rows; phones stay masked."""
    return MEMBER_HEADERS, [
        [r.name, r.category_label, r.card_code, r.phone_masked or None, r.address or None,
         r.balance,
         STATUS_LABELS.get(str(r.status), str(r.status))]
        for r in rows
    ]


def history_sheet(rows, operator_names: dict[int, str] | None = None
                  ) -> tuple[list[str], list[list]]:
    """A member's journal rows (ledger.JournalRow) as sheet rows, local times."""
    names = operator_names or {}
    return HISTORY_HEADERS, [
        [local_time(r.created_at), r.kind_label, r.delta, r.ref, r.note, r.counter_id,
         None if r.operator_id is None else names.get(r.operator_id, str(r.operator_id))]
        for r in rows
    ]
