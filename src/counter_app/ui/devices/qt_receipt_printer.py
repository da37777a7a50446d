"""Receipts on a printer the operating system knows (QPrinter), GUI thread only.

Paints the same ``receipt_layout`` lines as the thermal printer and the PDF, at the
thermal printer's scale: the text column is 48 mm (58 mm roll) or 72 mm (80 mm roll)
wide, a line holds ``columns`` half-hanzi, wide / tall lines are doubled like ESC/POS
``GS !``. On roll paper the page is as tall as the receipt; on A4 the column sits at
the top centre and runs onto further pages when it must.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from counter_app.documents.layout import (
    COLUMNS,
    DEFAULT_FOOTER,
    DOTS,
    Line,
    receipt_layout,
)
from counter_app.documents.thermal import PrinterError
from counter_app.ui.devices.print_failure import not_printed

log = logging.getLogger(__name__)

PT_PER_MM = 72 / 25.4
MARGIN_Y = 5 * PT_PER_MM
LEADING = 1.45  # line height / font size, as in the PDF
BARCODE_H = 11 * PT_PER_MM
MAX_BAR = 0.33 * PT_PER_MM
PAPERS = ("roll", "A4")

_families: list[str] | None = None


def cjk_families() -> list[str]:
    """Font families for receipts: a TrueType CJK font from the machine first
    (registered with Qt once), then the usual system CJK families."""
    global _families
    if _families is None:
        from counter_app.documents.fonts import candidates

        found: list[str] = []
        for path in candidates():
            if path.is_file():
                font_id = QFontDatabase.addApplicationFont(str(path))
                if font_id >= 0:
                    found += QFontDatabase.applicationFontFamilies(font_id)
                    break
        _families = found + ["Microsoft YaHei", "SimSun", "WenQuanYi Micro Hei",
                             "Noto Sans CJK SC", "PingFang SC"]
    return _families


@dataclass(frozen=True)
class Metrics:
    """Receipt geometry in points (1/72 in)."""

    columns: int
    printable: float  # width of the text column
    size: float  # font size: a hanzi is two columns

    @classmethod
    def for_width(cls, width_mm: int) -> Metrics:
        if width_mm not in COLUMNS:
            raise PrinterError(detail=f"纸宽只能是 58 或 80 毫米（收到 {width_mm}）")
        columns = COLUMNS[width_mm]
        printable = DOTS[width_mm] / 203 * 72
        return cls(columns, printable, printable / (columns / 2))

    def line_height(self, line: Line) -> float:
        if line.kind == "barcode":
            return BARCODE_H + self.size * 2.2
        if line.kind == "rule":
            return self.size * 0.9
        return self.size * LEADING * (2 if line.wide or line.tall else 1)

    def height(self, lines: list[Line]) -> float:
        return 2 * MARGIN_Y + sum(self.line_height(l) for l in lines)


def code128_modules(value: str) -> list[tuple[bool, int]]:
    """(is_bar, width in modules) runs of a Code128 symbol without quiet zones."""
    from reportlab.graphics.barcode.code128 import Code128

    bc = Code128(value, barWidth=1, quiet=False)
    bc.validate()
    bc.encode()
    bc.decompose()
    return [(ch.isupper(), "abcd".index(ch.lower()) + 1) for ch in bc.decomposed]


class _Painter:
    """Draws lines in points; converts to device pixels once, in ``scale``."""

    def __init__(self, painter: QPainter, metrics: Metrics, dpi: float, x0: float):
        self.p = painter
        self.m = metrics
        self.px = dpi / 72  # device pixels per point
        self.x0 = x0  # left edge of the text column, in points

    def font(self, factor: float = 1.0, bold: bool = False) -> QFont:
        font = QFont()
        font.setFamilies(cjk_families())
        font.setPixelSize(max(1, round(self.m.size * factor * self.px)))
        font.setBold(bold)
        return font

    def rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF(x * self.px, y * self.px, w * self.px, h * self.px)

    def draw(self, line: Line, top: float) -> None:
        m, p = self.m, self.p
        height = m.line_height(line)
        if line.kind == "rule":
            pen = p.pen()
            pen.setColor(Qt.GlobalColor.black)
            pen.setStyle(Qt.PenStyle.DashLine)
            pen.setWidthF(0.5 * self.px)
            p.setPen(pen)
            y = (top + height / 2) * self.px
            p.drawLine(QPointF(self.x0 * self.px, y), QPointF((self.x0 + m.printable) * self.px, y))
            p.setPen(Qt.PenStyle.SolidLine)
            return
        if line.kind == "barcode":
            self._barcode(line.left, top)
            return
        double = line.wide or line.tall
        color = QColor(Qt.GlobalColor.black)
        if line.invert:
            p.fillRect(self.rect(self.x0, top, m.printable, height), Qt.GlobalColor.black)
            color = QColor(Qt.GlobalColor.white)
        p.save()
        p.setPen(color)
        # Wide: double size. Tall only: double height at normal width (GS ! 0x01).
        sx = 2.0 if line.wide else 1.0
        sy = 2.0 if double else 1.0
        p.translate(self.x0 * self.px, top * self.px)
        p.scale(sx, sy)
        p.setFont(self.font(bold=line.bold))
        box = QRectF(0, 0, m.printable / sx * self.px, height / sy * self.px)
        left = line.left.lstrip(" ")
        indent = (len(line.left) - len(left)) * m.size / 2 * self.px  # a column is half a hanzi
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


def setup_page(printer: QPrinter, width_mm: int, paper: str, lines: list[Line]) -> None:
    """Roll: a page the roll's width and the receipt's height, no margins. A4: portrait."""
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


def print_receipt(printer: QPrinter, receipt, width_mm: int = 58,
                  footer: str | None = DEFAULT_FOOTER, paper: str = "roll") -> int:
    """Paint the receipt on ``printer`` (a QPrinter, already chosen); returns pages printed.
    Raises PrinterError when the printer cannot start the job."""
    metrics = Metrics.for_width(width_mm)
    lines = receipt_layout(receipt, metrics.columns, footer)
    setup_page(printer, width_mm, paper, lines)
    printer.setDocName(f"兑换小票 {receipt.receipt_no}")
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
        top, pages = MARGIN_Y, 1
        for line in lines:
            h = metrics.line_height(line)
            if paper != "roll" and top + h > page_h - MARGIN_Y and top > MARGIN_Y:
                if not printer.newPage():
                    raise not_printed("打印机无法换页")
                top, pages = MARGIN_Y, pages + 1
            draw.draw(line, top)
            top += h
        return pages
    finally:
        painter.end()


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
