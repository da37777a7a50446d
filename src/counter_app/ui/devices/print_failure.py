"""The one wording for "the redemption stands, the paper is missing", for every output."""

from __future__ import annotations

from counter_app.documents import PrinterError


def not_printed(detail: str) -> PrinterError:
    """The redemption stands; only the paper is missing. Fits checkout and F5 alike."""
    return PrinterError(f"小票未打印：{detail}。请检查打印机后按 F5 重打")
