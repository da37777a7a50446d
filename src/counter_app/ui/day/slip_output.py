"""Printing a day-close report or a shift summary where the receipts go (the session's
ReceiptOutput settings): a roll PDF in the receipts folder, the ESC/POS printer, or the
system printer through QPrinter (documents.slip: the same slip on every output)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from counter_app.documents.slip import Slip
from counter_app.errors import PrinterError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PendingSlip:
    slip: Slip


def _file_name(slip: Slip) -> str:
    return re.sub(r"[^\w.-]+", "-", slip.title).strip("-") + ".pdf"


def render_slip(receipts, slip: Slip):
    """Device thread: PDF -> its Path; ESC/POS -> printed, returns the printer's name;
    system printer -> PendingSlip for ``show_slip``. Raises PrinterError."""
    from counter_app.documents.day_slips import slip_bytes

    if receipts.output == "escpos":
        from counter_app.documents.thermal import open_printer
        from counter_app.ui.devices.receipt_output import describe_escpos

        config = dict(receipts.escpos)
        printer = open_printer(config)
        try:
            printer._raw(slip_bytes(slip, receipts.width_mm, pdf=False))
        except PrinterError:
            raise
        except Exception as exc:  # escpos device errors, OSError, socket, serial …
            raise PrinterError(detail=f"热敏打印机 {describe_escpos(config)} 无法连接（{exc}）") \
                from exc
        finally:
            try:
                printer.close()
            except Exception as exc:  # noqa: BLE001
                log.debug("closing printer failed: %s", exc)
        return describe_escpos(config)
    if receipts.output == "system":
        return PendingSlip(slip)
    path = Path(receipts.folder) / _file_name(slip)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(slip_bytes(slip, receipts.width_mm, pdf=True))
    except OSError as exc:
        raise PrinterError(detail=f"无法保存 PDF 到 {path}（{exc.strerror or exc}）") from exc
    return path


def show_slip(receipts, result) -> None:
    """GUI thread: open the PDF, or paint a PendingSlip on the system printer."""
    if isinstance(result, Path):
        if receipts.open_pdf:
            receipts.open_file(result)
        return
    if isinstance(result, PendingSlip):
        from counter_app.ui.devices import qt_receipt_printer as qrp

        printer = (receipts.make_printer() if receipts.make_printer is not None
                   else qrp.system_printer(receipts.system_printer))
        qrp.print_slip(printer, result.slip, receipts.width_mm, receipts.system_paper)
