"""Printed documents: receipts and other slips (ESC/POS, PDF roll, the UI's system
printer), member card sheets, shelf labels.

Plain Python. Layout functions return a ``Slip`` (slip.py); each output only renders
slips. python-escpos is imported only when a job is built (thermal.escpos_module).
"""

from counter_app.documents.cards import card_sheet_pdf
from counter_app.errors import PrinterError
from counter_app.documents.fonts import cjk_font_path, pdf_bold_font, pdf_font
from counter_app.documents.labels import label_items, label_sheet_pdf
from counter_app.documents.layout import (
    DEFAULT_FOOTER, Line, receipt_layout, receipt_lines, receipt_slip,
)
from counter_app.documents.receipt_facts import (
    PrintableReceipt, VoidFacts, printable_receipt, void_facts,
)
from counter_app.documents.receipt_files import receipts_dir
from counter_app.documents.receipt_pdf import receipt_pdf
from counter_app.documents.roll_pdf import slip_pdf
from counter_app.documents.slip import COLUMNS, Slip, SlipLine, text_width
from counter_app.documents.thermal import (
    open_printer, print_receipt, receipt_escpos, slip_escpos,
)

__all__ = [
    "COLUMNS", "DEFAULT_FOOTER", "Line", "PrintableReceipt", "PrinterError", "Slip",
    "SlipLine", "VoidFacts", "card_sheet_pdf", "cjk_font_path", "label_items",
    "label_sheet_pdf", "open_printer", "pdf_bold_font", "pdf_font", "print_receipt",
    "printable_receipt", "receipt_escpos", "receipt_layout", "receipt_lines", "receipt_pdf",
    "receipt_slip", "receipts_dir", "slip_escpos", "slip_pdf", "text_width", "void_facts",
]
