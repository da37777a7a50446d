"""The cell values of an .xlsx's first sheet, read straight from its XML.

openpyxl's read-only parser costs ~0.5 ms a row (a descriptor-checked object per cell),
most of a 20,000-row roster import. This reads the same values with the C XML parser
(``xml.etree.ElementTree.iterparse``): shared and inline strings, numbers (int when
written without a point or exponent, as openpyxl does), booleans, formula results
(the cached value, as ``data_only=True``), and dates — numbers whose style is a date
format, in the workbook's 1900 or 1904 system. Row numbers are the sheet's (``r``), so a
problem names the row the user sees in Excel. Anything it does not understand raises
``Unsupported``; tabular then reads the file with openpyxl instead.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from xml.etree.ElementTree import ParseError as XMLError, iterparse

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# built-in number formats that are dates or times (ECMA-376 18.8.30, and the CJK ones)
BUILTIN_DATES = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_DATE_CODE = re.compile(r"[dmyhse]|年|月|日", re.I)
EPOCH_1900, EPOCH_1904 = datetime(1899, 12, 30), datetime(1904, 1, 1)


class Unsupported(Exception):
    """A workbook this reader does not handle: read it with openpyxl."""


def _is_date_code(code: str) -> bool:
    bare = _QUOTED.sub("", code)
    return bool(_DATE_CODE.search(bare)) and "General" not in bare


def _text(el) -> str:
    """A string item's text: its <t> and rich-text runs, without phonetic guides (rPh)."""
    parts = []
    for child in el:
        if child.tag == NS + "t":
            parts.append(child.text or "")
        elif child.tag == NS + "r":
            parts += [t.text or "" for t in child.iter(NS + "t")]
    return "".join(parts)


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    try:
        f = z.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    out = []
    with f:
        for _event, el in iterparse(f):
            if el.tag == NS + "si":
                out.append(_text(el))
                el.clear()
    return out


def _date_styles(z: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of cellXfs whose number format is a date."""
    try:
        f = z.open("xl/styles.xml")
    except KeyError:
        return frozenset()
    custom, out, in_xfs, index = {}, set(), False, 0
    with f:
        for event, el in iterparse(f, ("start", "end")):
            if event == "start" and el.tag == NS + "cellXfs":
                in_xfs = True
            elif event == "end" and el.tag == NS + "cellXfs":
                in_xfs = False
            elif event == "end" and el.tag == NS + "numFmt":
                custom[int(el.get("numFmtId"))] = el.get("formatCode") or ""
            elif event == "end" and el.tag == NS + "xf" and in_xfs:
                fmt = int(el.get("numFmtId") or 0)
                if fmt in custom:
                    if _is_date_code(custom[fmt]):
                        out.add(index)
                elif fmt in BUILTIN_DATES:
                    out.add(index)
                index += 1
    return frozenset(out)


def _first_sheet(z: zipfile.ZipFile) -> tuple[str, datetime]:
    """The first sheet's part name, and the workbook's date epoch."""
    epoch, rid = EPOCH_1900, None
    with z.open("xl/workbook.xml") as f:
        for _event, el in iterparse(f):
            if el.tag == NS + "workbookPr" and el.get("date1904") in ("1", "true"):
                epoch = EPOCH_1904
            elif el.tag == NS + "sheet" and rid is None:
                rid = el.get(REL_NS + "id")
    if rid is None:
        raise Unsupported("no sheet")
    with z.open("xl/_rels/workbook.xml.rels") as f:
        for _event, el in iterparse(f):
            if el.tag == PKG_REL + "Relationship" and el.get("Id") == rid:
                target = el.get("Target")
                target = target.lstrip("/") if target.startswith("/") else "xl/" + target
                return target, epoch
    raise Unsupported("sheet part not found")


def _column(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        else:
            break
    return n - 1


def _number(v: str):
    return float(v) if ("." in v or "E" in v or "e" in v) else int(v)


def rows(path) -> Iterator[tuple[int, list]]:
    """(sheet row number, [cell values]) of the first sheet, in order, blank rows skipped."""
    with zipfile.ZipFile(path) as z:
        part, epoch = _first_sheet(z)
        shared = _shared_strings(z)
        dates = _date_styles(z)
        with z.open(part) as f:
            number = 0
            # "end" events only, a row's cells read when the row ends: half the events
            for _event, el in iterparse(f):
                if el.tag == ROW:
                    r = el.get("r")
                    number = int(r) if r else number + 1
                    yield number, _cells(el, shared, dates, epoch)
                    el.clear()
                elif el.tag == NS + "sheetData":
                    break


ROW, CELL, VALUE, INLINE = NS + "row", NS + "c", NS + "v", NS + "is"


def _cells(row_el, shared: list[str], dates: frozenset[int], epoch: datetime) -> list:
    row: list = []
    for el in row_el:
        if el.tag != CELL:
            continue
        ref = el.get("r")
        col = _column(ref) if ref else len(row)
        kind = el.get("t", "n")
        if kind == "inlineStr":
            is_ = el.find(INLINE)
            value = _text(is_) if is_ is not None else ""
        else:
            v = el.find(VALUE)
            raw = v.text if v is not None else None
            if raw is None:
                value = None
            elif kind == "s":
                value = shared[int(raw)]
            elif kind in ("str", "e"):
                value = raw
            elif kind == "b":
                value = raw == "1"
            elif kind == "n":
                value = _number(raw)
                if int(el.get("s") or 0) in dates:
                    value = _date(float(raw), epoch)
            else:
                raise Unsupported(f"cell type {kind}")
        if col < len(row):
            raise Unsupported("cells out of order")
        row.extend([None] * (col - len(row)))
        row.append(value)
    return row


def _date(days: float, epoch: datetime) -> datetime:
    if epoch is EPOCH_1900 and 0 < days < 60:
        days += 1  # Excel's 29 February 1900 that never was
    value = epoch + timedelta(days=days)
    # whole seconds, as Excel shows them
    return value.replace(microsecond=0) + timedelta(seconds=round(value.microsecond / 1e6))
