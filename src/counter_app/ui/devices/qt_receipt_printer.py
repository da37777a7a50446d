"""Slips (receipts, void slips, reprints, …) on a printer the operating system knows
(QPrinter), GUI thread only.

Paints a ``documents.slip.Slip`` as the PDF roll does, at the thermal printer's scale:
the text column is 48 mm (58 mm roll) or 72 mm (80 mm roll) wide, a normal line holds
``columns`` half-hanzi, title / big / small lines are drawn at their real size
(``slip.SCALE``). Bold is used only when a real bold CJK face is installed: Qt would
otherwise embolden the regular face, which smears like the fake bold it replaces. On
roll paper the page is as tall as the slip; on A4 the column sits at the top centre
and runs onto further pages when it must.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from counter_app.documents import PrinterError
from counter_app.documents.layout import DEFAULT_FOOTER, receipt_slip
from counter_app.documents.slip import (
    BARCODE, BIG, CUT, DOTS, QR, RULE, SCALE, TITLE, Slip, SlipLine, columns_for,
)
from counter_app.ui.devices.print_failure import not_printed

log = logging.getLogger(__name__)

PT_PER_MM = 72 / 25.4
MARGIN_Y = 5 * PT_PER_MM
LEADING = 1.45  # line height / font size, as in the PDF
BARCODE_H = 11 * PT_PER_MM
MAX_BAR = 0.33 * PT_PER_MM
QR_MAX = 30 * PT_PER_MM
PAPERS = ("roll", "A4")


@dataclass(frozen=True)
class Faces:
    families: list[str]  # regular CJK families, best first
    bold_family: str | None  # a real bold face, if one is installed


_faces: Faces | None = None


def _add_font(path) -> list[str]:
    font_id = QFontDatabase.addApplicationFont(str(path))
    return QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []


def faces() -> Faces:
    """Fonts for slips: the TrueType CJK font the PDFs use (registered with Qt once),
    then the usual system CJK families; and its bold face when there is one."""
    global _faces
    if _faces is None:
        from counter_app.documents.fonts import candidates, pdf_bold_font

        found: list[str] = []
        for path in candidates():
            if path.is_file() and (found := _add_font(path)):
                break
        bold = pdf_bold_font()
        bold_families = _add_font(bold.path) if bold is not None else []
        _faces = Faces(found + ["Microsoft YaHei", "SimSun", "WenQuanYi Micro Hei",
                                "Noto Sans CJK SC", "PingFang SC"],
                       bold_families[0] if bold_families else None)
    return _faces


def cjk_families() -> list[str]:
    return faces().families


@dataclass(frozen=True)
class Metrics:
    """Slip geometry in points (1/72 in)."""

    columns: int
    printable: float  # width of the text column
    size: float  # normal font size: a hanzi is two columns

    @classmethod
    def for_width(cls, width_mm: int) -> Metrics:
        columns = columns_for(width_mm)
        printable = DOTS[width_mm] / 203 * 72
        return cls(columns, printable, printable / (columns / 2))

    @property
    def qr_side(self) -> float:
        return min(QR_MAX, self.printable * 0.6)

    def line_height(self, line: SlipLine, last: bool = False) -> float:
        if line.kind == BARCODE:
            return BARCODE_H + self.size * 2.2
        if line.kind == QR:
            return self.qr_side + self.size * 1.2
        if line.kind == RULE:
            return self.size * 0.9
        if line.kind == CUT:
            return 0.0 if last else self.size * 2.5
        return self.size * SCALE[line.style] * LEADING

    def height(self, lines) -> float:
        last = len(lines) - 1
        return 2 * MARGIN_Y + sum(self.line_height(l, i == last) for i, l in enumerate(lines))


def code128_modules(value: str) -> list[tuple[bool, int]]:
    """(is_bar, width in modules) runs of a Code128 symbol without quiet zones."""
    from reportlab.graphics.barcode.code128 import Code128

    bc = Code128(value, barWidth=1, quiet=False)
    bc.validate()
    bc.encode()
    bc.decompose()
    return [(ch.isupper(), "abcd".index(ch.lower()) + 1) for ch in bc.decomposed]


class _Painter:
    """Draws lines in points; converts to device pixels once, in ``rect``/``px``."""

    def __init__(self, painter: QPainter, metrics: Metrics, dpi: float, x0: float):
        self.p = painter
        self.m = metrics
        self.px = dpi / 72  # device pixels per point
        self.x0 = x0  # left edge of the text column, in points

    def font(self, factor: float = 1.0, emphasis: bool = False) -> QFont:
        f = faces()
        font = QFont()
        if emphasis and f.bold_family:
            font.setFamilies([f.bold_family] + f.families)
        else:
            font.setFamilies(f.families)
        font.setPixelSize(max(1, round(self.m.size * factor * self.px)))
        return font

    def rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF(x * self.px, y * self.px, w * self.px, h * self.px)

    def draw(self, line: SlipLine, top: float, last: bool) -> None:
        m, p = self.m, self.p
        height = m.line_height(line, last)
        if line.kind in (RULE, CUT):
            if line.kind == CUT and last:
                return
            pen = p.pen()
            pen.setColor(Qt.GlobalColor.black)
            pen.setStyle(Qt.PenStyle.DashLine if line.kind == RULE else Qt.PenStyle.DashDotLine)
            pen.setWidthF(0.5 * self.px)
            p.setPen(pen)
            y = (top + height / 2) * self.px
            p.drawLine(QPointF(self.x0 * self.px, y), QPointF((self.x0 + m.printable) * self.px, y))
            p.setPen(Qt.PenStyle.SolidLine)
            return
        if line.kind == BARCODE:
            self._barcode(line.left, top)
            return
        if line.kind == QR:
            self._qr(line.left, top)
            return
        color = QColor(Qt.GlobalColor.black)
        if line.invert:
            p.fillRect(self.rect(self.x0, top, m.printable, height), Qt.GlobalColor.black)
            color = QColor(Qt.GlobalColor.white)
        p.save()
        p.setPen(color)
        scale = SCALE[line.style]
        p.setFont(self.font(scale, emphasis=line.style in (TITLE, BIG)))
        box = self.rect(self.x0, top, m.printable, height)
        left = line.left.lstrip(" ")
        indent = (len(line.left) - len(left)) * m.size * scale / 2 * self.px  # half a hanzi
        middle = Qt.AlignmentFlag.AlignVCenter
        if line.center and not line.right:
            p.drawText(box, int(Qt.AlignmentFlag.AlignHCenter | middle), left)
        else:
            p.drawText(box.adjusted(indent, 0, 0, 0), int(Qt.AlignmentFlag.AlignLeft | middle),
                       left)
            if line.right:
                p.drawText(box, int(Qt.AlignmentFlag.AlignRight | middle), line.right)
        p.restore()

    def _barcode(self, value: str, top: float) -> None:
        m, p = self.m, self.p
        p.save()
        p.setPen(Qt.GlobalColor.black)
        p.setFont(self.font())
        text_top = top + m.size * 0.4
        if value.isascii():  # Code128 carries ASCII only: otherwise the number alone
            runs = code128_modules(value)
            modules = sum(w for _, w in runs)
            bar = min(MAX_BAR, m.printable * 0.9 / modules)
            x = self.x0 + (m.printable - bar * modules) / 2
            for is_bar, w in runs:
                if is_bar:
                    p.fillRect(self.rect(x, text_top, bar * w, BARCODE_H), Qt.GlobalColor.black)
                x += bar * w
            text_top += BARCODE_H
        box = self.rect(self.x0, text_top, m.printable, m.size * 1.6)
        p.drawText(box, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), value)
        p.restore()

    def _qr(self, value: str, top: float) -> None:
        import qrcode  # comes with python-escpos

        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        qr.add_data(value)
        qr.make(fit=True)
        matrix = qr.get_matrix()
        side = self.m.qr_side
        cell = side / len(matrix)
        x0 = self.x0 + (self.m.printable - side) / 2
        y0 = top + self.m.size * 0.6
        for r, row in enumerate(matrix):
            for c, dark in enumerate(row):
                if dark:
                    self.p.fillRect(self.rect(x0 + c * cell, y0 + r * cell, cell, cell),
                                    Qt.GlobalColor.black)


def setup_page(printer: QPrinter, width_mm: int, paper: str, lines) -> None:
    """Roll: a page the roll's width and the slip's height, no margins. A4: portrait."""
    if paper not in PAPERS:
        raise PrinterError(detail=f"纸张只能是 roll 或 A4（收到 {paper}）")
    if paper == "roll":
        height_mm = Metrics.for_width(width_mm).height(lines) / PT_PER_MM
        size = QPageSize(QSizeF(width_mm, height_mm), QPageSize.Unit.Millimeter,
                         "Receipt", QPageSize.SizeMatchPolicy.ExactMatch)
        layout = QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                             QPageLayout.Unit.Millimeter)
        printer.setFullPage(True)
    else:
        layout = QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                             QPageLayout.Orientation.Portrait, QMarginsF(10, 10, 10, 10),
                             QPageLayout.Unit.Millimeter)
        printer.setFullPage(False)
    if not printer.setPageLayout(layout):
        log.warning("printer %r refused the page layout %s", printer.printerName(), paper)


def print_slip(printer: QPrinter, slip: Slip, width_mm: int = 58, paper: str = "roll") -> int:
    """Paint ``slip`` on ``printer`` (a QPrinter, already chosen); returns pages printed.
    Raises PrinterError when the printer cannot start the job."""
    metrics = Metrics.for_width(width_mm)
    if slip.columns != metrics.columns:
        raise PrinterError(detail=f"小票按 {slip.columns} 列排版，{width_mm} 毫米纸是 "
                                  f"{metrics.columns} 列")
    lines = slip.lines
    setup_page(printer, width_mm, paper, lines)
    printer.setDocName(slip.title)
    painter = QPainter()
    if not painter.begin(printer):
        name = printer.printerName() or printer.outputFileName() or "默认打印机"
        raise not_printed(f"打印机“{name}”无法开始打印")
    try:
        dpi = printer.resolution()
        area = printer.pageLayout().paintRectPixels(dpi)
        if printer.fullPage():
            area = printer.pageLayout().fullRectPixels(dpi)
        page_w, page_h = area.width() / dpi * 72, area.height() / dpi * 72
        x0 = max(0.0, (page_w - metrics.printable) / 2)
        draw = _Painter(painter, metrics, dpi, x0)
        top, pages, last = MARGIN_Y, 1, len(lines) - 1
        for i, line in enumerate(lines):
            h = metrics.line_height(line, i == last)
            if paper != "roll" and top + h > page_h - MARGIN_Y and top > MARGIN_Y:
                if not printer.newPage():
                    raise not_printed("打印机无法换页")
                top, pages = MARGIN_Y, pages + 1
            draw.draw(line, top, i == last)
            top += h
        return pages
    finally:
        painter.end()


def print_receipt(printer: QPrinter, receipt, width_mm: int = 58,
                  footer: str | None = DEFAULT_FOOTER, paper: str = "roll") -> int:
    """A receipt (``redemption.Receipt`` or ``PrintableReceipt``: void slip, reprint)."""
    return print_slip(printer, receipt_slip(receipt, columns_for(width_mm), footer),
                      width_mm, paper)


def system_printer(name: str = "") -> QPrinter:
    """A QPrinter for the named system printer ("" = the default one).
    Raises PrinterError when there is no such printer."""
    names = QPrinterInfo.availablePrinterNames()
    if not names:
        raise not_printed("这台电脑没有安装打印机")
    if name:
        info = QPrinterInfo.printerInfo(name)
        if info.isNull():
            raise not_printed(f"找不到打印机“{name}”")
    else:
        info = QPrinterInfo.defaultPrinter()
        if info.isNull():
            info = QPrinterInfo.printerInfo(names[0])
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    if not printer.isValid():
        raise not_printed(f"打印机“{info.printerName()}”不可用")
    return printer
