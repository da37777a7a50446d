"""Printed documents: receipts (ESC/POS and PDF), member card sheets, shelf labels.

Plain Python (reportlab, python-escpos); the UI paints ``receipt_layout`` lines
itself for system printers and reuses ``fonts.cjk_font_path``.
"""

from counter_app.documents.cards import card_sheet_pdf
from counter_app.documents.fonts import cjk_font_path, pdf_font
from counter_app.documents.labels import label_items, label_sheet_pdf
from counter_app.documents.layout import (
    COLUMNS, DEFAULT_FOOTER, Line, receipt_layout, receipt_lines, text_width,
)
from counter_app.documents.receipt_pdf import receipt_pdf
from counter_app.documents.thermal import PrinterError, open_printer, print_receipt, receipt_escpos

__all__ = [
    "COLUMNS", "DEFAULT_FOOTER", "Line", "PrinterError", "card_sheet_pdf", "cjk_font_path",
    "label_items", "label_sheet_pdf", "open_printer", "pdf_font", "print_receipt",
    "receipt_escpos", "receipt_layout", "receipt_lines", "receipt_pdf", "text_width",
]
