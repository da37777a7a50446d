"""Where a receipt goes after the commit: a PDF in the receipts folder (opened for
printing by the system viewer) until a receipt printer is configured."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from counter_app.config import data_dir
from counter_app.documents import receipt_pdf

log = logging.getLogger(__name__)


class ReceiptOutput:
    def __init__(self, folder: Path | None = None, open_pdf: bool = True, width_mm: int = 58):
        self.folder = folder or data_dir() / "receipts"
        self.open_pdf = open_pdf
        self.width_mm = width_mm

    def render(self, receipt) -> Path:
        """Write the PDF (worker thread)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        suffix = "-void" if receipt.voided else ""
        path = self.folder / f"{receipt.receipt_no}{suffix}.pdf"
        receipt_pdf(receipt, path, width_mm=self.width_mm)
        return path

    def show(self, path: Path) -> None:
        """Hand the PDF to the system viewer (GUI thread)."""
        if self.open_pdf and not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            log.warning("no viewer opened %s", path)
