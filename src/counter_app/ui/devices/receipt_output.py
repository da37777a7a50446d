"""Where a receipt goes after the commit.

Three outputs, chosen in the device settings (``LocalSettings.receipt_output``):

* ``pdf``    -- a PDF in the receipts folder, opened by the system viewer to print;
* ``escpos`` -- a thermal printer (file/device, serial, network, USB) through
                python-escpos; sent from ``render()`` on the worker thread, because
                printers block;
* ``system`` -- a printer the operating system knows, through QPrinter. QPainter on a
                printer belongs on the GUI thread, so ``render()`` only hands the
                receipt on and ``show()`` paints it.

``render(receipt)`` runs on the worker thread after the commit; what it returns goes
to ``show(result)`` on the GUI thread. A printer failure never touches the
redemption, which is already committed: ``render()`` raises a PrinterError (a
CounterError with a Chinese message; the counter page then says "redeemed, receipt
not printed, F5 to reprint"), and ``show()`` never raises: it reports through
``notify(message)``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from counter_app.config import data_dir
from counter_app.ui.devices.print_failure import not_printed
from counter_app.documents import (
    DEFAULT_FOOTER,
    PrinterError,
    open_printer,
    print_receipt,
    receipt_pdf,
    receipts_dir,
)

log = logging.getLogger(__name__)

PDF, ESCPOS, SYSTEM = "pdf", "escpos", "system"
OUTPUTS = (PDF, ESCPOS, SYSTEM)
ESCPOS_CONNECTIONS = ("file", "serial", "network", "usb")
NETWORK_TIMEOUT = 5  # seconds; the worker thread (all database work) waits this long at most


@dataclass(frozen=True)
class Printed:
    """``render()`` result: the receipt went to a thermal printer."""

    receipt_no: str
    target: str


@dataclass(frozen=True)
class PendingPrint:
    """``render()`` result: ``show()`` prints it on a system printer (GUI thread)."""

    receipt: Any


def escpos_config(settings) -> dict:
    """``documents.thermal.open_printer`` config from LocalSettings."""
    s = settings
    kind = s.escpos_connection
    config: dict[str, Any] = {"type": kind}
    if kind == "file":
        config["path"] = s.escpos_file.strip()
    elif kind == "serial":
        config.update(port=s.escpos_serial_port.strip(), baudrate=int(s.escpos_serial_baudrate))
    elif kind == "network":
        config.update(host=s.escpos_host.strip(), port=int(s.escpos_port),
                      timeout=NETWORK_TIMEOUT)
    elif kind == "usb":
        config.update(vendor_id=s.escpos_usb_vid.strip(), product_id=s.escpos_usb_pid.strip())
    if s.escpos_profile:
        config["profile"] = s.escpos_profile
    return config


def describe_escpos(config: dict) -> str:
    kind = config.get("type")
    if kind == "file":
        return str(config.get("path") or "")
    if kind == "serial":
        return f"{config.get('port')} @ {config.get('baudrate')}"
    if kind == "network":
        return f"{config.get('host')}:{config.get('port')}"
    if kind == "usb":
        return f"USB {config.get('vendor_id')}:{config.get('product_id')}"
    return str(kind)


class ReceiptOutput:
    def __init__(self, folder: Path | None = None, open_pdf: bool = True, width_mm: int = 58,
                 *, db_path: Path | None = None, output: str = PDF, footer: str | None = DEFAULT_FOOTER,
                 escpos: dict | None = None, system_printer: str = "",
                 system_paper: str = "roll", ask: bool = False,
                 notify: Callable[[str], None] | None = None,
                 make_printer: Callable[[], Any] | None = None,
                 open_file: Callable[[Path], bool] | None = None):
        """Receipt PDFs go to ``folder``, else the ``receipts`` folder beside ``db_path``.
        ``make_printer`` (tests, previews) returns a ready QPrinter for ``system``
        output instead of the named system printer; ``notify`` receives the Chinese
        message when ``show()`` could not print (default: a warning box)."""
        if output not in OUTPUTS:
            raise PrinterError(detail=f"未知的小票输出“{output}”（可用 pdf/escpos/system）")
        # Beside the database in use (--db elsewhere keeps its receipts there too).
        self.folder = folder or (receipts_dir(db_path) if db_path else data_dir() / "receipts")
        self.open_pdf = open_pdf
        self.width_mm = width_mm
        self.output = output
        self.footer = footer
        self.escpos = dict(escpos or {"type": "file", "path": ""})
        self.system_printer = system_printer
        self.system_paper = system_paper
        self.ask = ask
        self.notify = notify or _warn_later
        self._told_no_viewer = False  # the box about a missing PDF viewer comes once
        self.make_printer = make_printer
        # The PDF viewer: False when none opened (no viewer installed, no desktop session).
        self.open_file = open_file or (lambda path: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(path))))
        self.ask_parent: Callable[[], Any] = QApplication.activeWindow

    @classmethod
    def from_settings(cls, settings, **kwargs) -> ReceiptOutput:
        out = cls(**kwargs)
        out.apply_settings(settings)
        return out

    def apply_settings(self, settings) -> None:
        """Take the receipt settings (after the device dialog saved them). Unknown
        output names fall back to PDF, so a bad settings file still gives receipts."""
        output = settings.receipt_output if settings.receipt_output in OUTPUTS else PDF
        if output != settings.receipt_output:
            log.warning("unknown receipt output %r: writing PDFs", settings.receipt_output)
        self.open_pdf = settings.open_receipt_pdf
        self.width_mm = settings.receipt_width_mm
        self.footer = DEFAULT_FOOTER if settings.receipt_footer is None else settings.receipt_footer
        self.escpos = escpos_config(settings)
        self.system_printer = settings.system_printer
        self.system_paper = settings.system_paper
        self.ask = settings.system_printer_ask
        self.output = output

    # --- worker thread ---------------------------------------------------------------

    def render(self, receipt):
        """Worker thread. PDF: the file's Path. ESC/POS: prints, returns Printed.
        System printer: PendingPrint for show(). Raises PrinterError on failure."""
        output, width, footer = self.output, self.width_mm, self.footer
        if output == ESCPOS:
            return self._escpos(receipt, dict(self.escpos), width, footer)
        if output == SYSTEM:
            return PendingPrint(receipt)
        return self._pdf(receipt, width, footer)

    def _pdf(self, receipt, width: int, footer: str | None) -> Path:
        suffix = "-void" if receipt.voided else ""
        if getattr(receipt, "reprinted_at", None) is not None:  # keep the first print's file
            suffix += f"-reprint-{receipt.reprinted_at:%Y%m%d%H%M%S}"
        path = self.folder / f"{receipt.receipt_no}{suffix}.pdf"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            receipt_pdf(receipt, path, width_mm=width, footer=footer)
        except OSError as exc:
            raise not_printed(f"无法保存 PDF 到 {path}（{exc.strerror or exc}）") from exc
        return path

    def _escpos(self, receipt, config: dict, width: int, footer: str | None) -> Printed:
        where = describe_escpos(config)
        printer = open_printer(config)  # PrinterError for an incomplete configuration
        try:
            print_receipt(printer, receipt, width, footer)
        except PrinterError:
            raise
        except Exception as exc:  # escpos DeviceNotFoundError, OSError, socket, serial …
            log.warning("ESC/POS printer %s failed: %s", where, exc)
            raise not_printed(f"热敏打印机 {where} 无法连接（{_short(exc)}）") from exc
        finally:
            try:
                printer.close()
            except Exception as exc:  # noqa: BLE001 -- a vanished device may fail to close
                log.debug("closing printer %s failed: %s", where, exc)
        return Printed(receipt.receipt_no, where)

    # --- GUI thread ------------------------------------------------------------------

    def show(self, result) -> bool:
        """GUI thread: open the PDF, or print a PendingPrint. Never raises; returns
        False (after ``notify``) when the receipt did not come out."""
        if isinstance(result, PendingPrint):
            return self._print_system(result.receipt)
        if isinstance(result, Path):
            if self.open_pdf and not self.open_file(result):
                # Saved is not printed: say so, where the file is, and how to retry — in a
                # box the first time; after that the page's own line says it for each
                # receipt (a box after every redemption stopped the queue, trial).
                log.info("no viewer opened %s", result)
                if not self._told_no_viewer:
                    self._told_no_viewer = True
                    self.notify(f"小票未打印：这台电脑上没有能打开 PDF 小票的程序。小票已保存为 "
                                f"{result}，可以打开这个文件打印，或接好打印机后按 F5 重打。"
                                f"以后的小票也会存在这个文件夹里，不再弹出本提示")
                return False
            return True
        return result is not None

    def _print_system(self, receipt) -> bool:
        from counter_app.ui.devices import qt_receipt_printer as qrp

        try:
            if self.make_printer is not None:
                printer = self.make_printer()
            else:
                printer = qrp.system_printer(self.system_printer)
            if self.ask and not self._ask(printer):
                log.info("printing receipt %s cancelled", receipt.receipt_no)
                return False
            qrp.print_receipt(printer, receipt, self.width_mm, self.footer, self.system_paper)
            return True
        except PrinterError as exc:
            message = str(exc)
        except Exception as exc:  # a bug must not lose the redemption's flow on the page
            log.exception("system printer failed for %s", receipt.receipt_no)
            message = str(not_printed(_short(exc)))
        self.notify(message)
        return False

    def _ask(self, printer) -> bool:
        from PySide6.QtPrintSupport import QPrintDialog

        dialog = QPrintDialog(printer, self.ask_parent())
        return dialog.exec() == QPrintDialog.DialogCode.Accepted


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "…"


def _warn_later(message: str) -> None:
    """A warning box after the current slot returns, so the page finishes its own
    update (member refresh, status line) first."""
    def warn():
        from counter_app.ui.common import errors

        title = QApplication.translate("ReceiptOutput", "Receipt not printed")
        errors._show(QMessageBox(QMessageBox.Icon.Warning, title, message,
                                 QMessageBox.StandardButton.Ok, QApplication.activeWindow()))

    QTimer.singleShot(0, warn)
