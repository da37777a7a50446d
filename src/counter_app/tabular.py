"""Reading a spreadsheet the community office made (.xlsx or .csv) for an import.

The shared first half of every import (item list, member roster …):

* ``read_sheet`` reads the first sheet of an .xlsx (python-calamine; openpyxl for a file it
  cannot open) or a .csv (UTF-8 with or
  without BOM, or GB18030 as Excel and WPS save it on Chinese Windows) into text cells
  with the row numbers the user sees in Excel (header = row 1).
* ``Column`` names a field with every header it may appear under (Chinese and English,
  matched ignoring case, spaces and full-width forms) and how its text is parsed.
* ``parse`` maps the header, parses every row and collects **every** problem as a
  ``RowProblem`` (row, column, what) instead of stopping at the first; the caller
  imports only when ``problems`` is empty (all-or-nothing) and otherwise raises
  ``ImportRefused``, whose message lists them in Chinese.

A cell's text is what the user typed: Excel stores a phone number or an EAN-13 typed
into a General cell as a number, so an integral number comes back as its digits
(13800138000, never 13800138000.0 or 1.38E+10); leading/trailing blanks are trimmed.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from counter_app.errors import CounterError

MAX_ROWS = 200_000  # a roster of a whole street fits; a runaway sheet is refused, not read
MAX_LISTED = 50  # problems spelled out in the message; the report holds all of them


class ImportRefused(CounterError):
    message = "{what}未导入：{detail}"


class ParseError(ValueError):
    """Raised by a column's parser; its text (Chinese) becomes the problem's description."""


@dataclass(frozen=True)
class RowProblem:
    row: int  # as Excel numbers it; 0 = the file or its header as a whole
    column: str  # the header the user wrote (or the field's Chinese name)
    problem: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "表头"
        return f"{where}「{self.column}」：{self.problem}" if self.column else \
            f"{where}：{self.problem}"


@dataclass(frozen=True)
class Sheet:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells as text)
    beyond: list[tuple[int, int]] = field(default_factory=list)  # (row, 0-based column)


@dataclass(frozen=True)
class Column:
    key: str  # the field name the import uses
    names: tuple[str, ...]  # headers it may appear under; the first is shown in messages
    required: bool = True  # the header must be there and the cell not empty
    parse: Callable[[str], Any] | None = None  # text -> value, raises ParseError
    default: Any = None  # for an empty optional cell

    @property
    def label(self) -> str:
        return self.names[0]


@dataclass
class Parsed:
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)

    def refuse_if_any(self, what: str) -> None:
        """All-or-nothing: raise ImportRefused naming every problem (up to MAX_LISTED)."""
        if self.problems:
            raise ImportRefused(what=what, detail=describe(self.problems),
                                problems=list(self.problems))


def describe(problems: Sequence[RowProblem]) -> str:
    listed = "；".join(str(p) for p in problems[:MAX_LISTED])
    more = f"；另有 {len(problems) - MAX_LISTED} 处问题" if len(problems) > MAX_LISTED else ""
    return f"共 {len(problems)} 处问题（整个文件都没有导入，改正后请重新导入）：{listed}{more}"


def _header_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def cell_text(value: Any) -> str:
    """A cell as the text the user typed (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(path: Path) -> list[tuple[int, list[str]]]:
    """Through python-calamine (Rust's calamine: the same cells as openpyxl's read-only mode,
    several times faster on a 20,000-row roster); a workbook it cannot open goes to openpyxl,
    which decides what a damaged workbook is, as before."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        rows = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError):
        return _read_xlsx_openpyxl(path)
    if len(rows) > MAX_ROWS + 1:
        raise ImportRefused(what="文件", detail=f"超过 {MAX_ROWS} 行，请分成几个文件")
    return [(number, [cell_text(v) for v in row]) for number, row in enumerate(rows, start=1)]


def _read_xlsx_openpyxl(path: Path) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # ~0.5 s to import: only when importing

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        out = []
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + 1:
                raise ImportRefused(what="文件", detail=f"超过 {MAX_ROWS} 行，请分成几个文件")
            out.append((number, [cell_text(v) for v in row]))
        return out
    finally:
        wb.close()


def _decode_csv(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(what="文件", detail="无法识别文字编码，请另存为 UTF-8 或 Excel 文件")


def _read_csv(path: Path) -> list[tuple[int, list[str]]]:
    text = _decode_csv(path.read_bytes())
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    out = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for row in reader:
            if reader.line_num > MAX_ROWS + 1:
                raise ImportRefused(what="文件", detail=f"超过 {MAX_ROWS} 行，请分成几个文件")
            out.append((reader.line_num, [c.strip() for c in row]))
    except csv.Error as e:
        raise ImportRefused(what="文件", detail=f"第 {reader.line_num} 行格式不对（{e}）") from e
    return out


def read_sheet(path: str | Path) -> Sheet:
    """The first sheet of an .xlsx or a .csv; blank rows are dropped (not numbered away)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ImportRefused(what="文件", detail=f"找不到文件 {path}")
    try:
        if suffix in (".xlsx", ".xlsm"):
            lines = _read_xlsx(path)
        elif suffix in (".csv", ".txt"):
            lines = _read_csv(path)
        else:
            raise ImportRefused(what="文件", detail=f"只能导入 .xlsx 或 .csv 文件，不能导入 {path.name}")
    except ImportRefused:
        raise
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as e:  # a damaged workbook
        raise ImportRefused(what="文件", detail=f"{path.name} 无法读取（文件损坏或不是表格）") from e
    lines = [(n, cells) for n, cells in lines if any(cells)]
    if not lines:
        raise ImportRefused(what="文件", detail=f"{path.name} 是空的")
    (_, header), body = lines[0], lines[1:]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    rows = [(n, (cells + [""] * width)[:width]) for n, cells in body]
    # text beyond the last header would be silently lost: parse reports it
    beyond = [(n, width + next(i for i, c in enumerate(cells[width:]) if c))
              for n, cells in body if any(cells[width:])]
    return Sheet(header=header[:width], rows=rows, beyond=beyond)


def map_header(sheet: Sheet, columns: Sequence[Column]) -> tuple[dict[str, int], Parsed]:
    """Which file column holds each field; problems for missing and doubled headers."""
    out = Parsed()
    by_name: dict[str, Column] = {}
    for col in columns:
        for name in col.names:
            by_name[_header_key(name)] = col
    index: dict[str, int] = {}
    for i, text in enumerate(sheet.header):
        col = by_name.get(_header_key(text))
        if col is None:
            out.ignored_headers.append(text or f"第 {i + 1} 列（无表头）")
        elif col.key in index:
            out.problems.append(RowProblem(0, text, f"与第 {index[col.key] + 1} 列重复"))
        else:
            index[col.key] = i
    for col in columns:
        if col.required and col.key not in index:
            out.problems.append(RowProblem(0, col.label, "缺少这一列（可用的表头："
                                           + "、".join(col.names) + "）"))
    return index, out


def parse(sheet: Sheet, columns: Sequence[Column]) -> Parsed:
    """Every row parsed into ``{key: value}``; every problem collected (see module doc)."""
    index, out = map_header(sheet, columns)
    if out.problems:
        return out
    for number, i in sheet.beyond:
        out.problems.append(RowProblem(number, f"第 {i + 1} 列", "有内容但这一列没有表头"))
    bad_rows = {number for number, _ in sheet.beyond}
    for number, cells in sheet.rows:
        values: dict[str, Any] = {}
        ok = True
        for col in columns:
            i = index.get(col.key)
            text = cells[i] if i is not None else ""
            header = sheet.header[i] if i is not None else col.label
            if not text:
                if col.required:
                    out.problems.append(RowProblem(number, header, "不能为空"))
                    ok = False
                values[col.key] = col.default
                continue
            try:
                values[col.key] = col.parse(text) if col.parse else text
            except ParseError as e:
                out.problems.append(RowProblem(number, header, str(e)))
                ok = False
        if ok and number not in bad_rows:
            out.rows.append((number, values))
    return out


def duplicates(rows: Iterable[tuple[int, dict[str, Any]]], key: str, label: str,
               existing: Callable[[Any], str | None] | None = None) -> list[RowProblem]:
    """Rows whose ``key`` repeats an earlier row's (or, via ``existing``, a stored record:
    it returns a description of the record the value already belongs to, or None)."""
    seen: dict[Any, int] = {}
    problems = []
    for number, values in rows:
        value = values.get(key)
        if value in (None, ""):
            continue
        if value in seen:
            problems.append(RowProblem(number, label, f"{value} 与第 {seen[value]} 行重复"))
            continue
        seen[value] = number
        holder = existing(value) if existing else None
        if holder:
            problems.append(RowProblem(number, label, f"{value} 已属于{holder}"))
    return problems


# --- parsers shared by imports ------------------------------------------------------


def integer(low: int, high: int, unit: str = "") -> Callable[[str], int]:
    def parse_int(text: str) -> int:
        t = unicodedata.normalize("NFKC", text).replace(",", "")
        try:
            value = int(float(t)) if t.endswith(".0") else int(t)
        except ValueError:
            raise ParseError(f"“{text}”不是整数") from None
        if not low <= value <= high:
            raise ParseError(f"{value}{unit} 超出范围（{low}～{high}{unit}）")
        return value
    return parse_int


def choice(options: dict[str, Any]) -> Callable[[str], Any]:
    """Text -> value by a table of accepted spellings (Chinese and English)."""
    table = {_header_key(k): v for k, v in options.items()}

    def parse_choice(text: str) -> Any:
        try:
            return table[_header_key(text)]
        except KeyError:
            raise ParseError(f"“{text}”不是可选的值（可选：{'、'.join(options)}）") from None
    return parse_choice


def day(text: str) -> date:
    t = unicodedata.normalize("NFKC", text).strip().replace("/", "-").replace(".", "-")
    t = t.replace("年", "-").replace("月", "-").rstrip("日")
    try:
        return date.fromisoformat("-".join(p.zfill(2) for p in t.split(" ")[0].split("-")))
    except ValueError:
        raise ParseError(f"“{text}”不是日期（例如 2026-03-01）") from None


YES_NO = choice({"是": True, "否": False, "yes": True, "no": False, "y": True, "n": False,
                 "true": True, "false": False, "1": True, "0": False})
