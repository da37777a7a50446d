"""Slips on ESC/POS thermal printers (58 mm and 80 mm rolls).

Renders any ``Slip``. python-escpos encodes only lines with U+4E00-U+9FA5 as
GB18030 and prints ``?`` for ``￥`` and full-width punctuation, so text is encoded
here and sent raw after FS & (Chinese character mode). The whole job is built in
memory first and sent in one write: a network or serial printer then never gets half
a receipt. python-escpos itself is imported only when a job is built or a printer
opened.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping

from counter_app.errors import PrinterError  # lived here before; importers may still use this name
from counter_app.documents.layout import DEFAULT_FOOTER, receipt_slip
from counter_app.documents.slip import (
    BARCODE, BIG, CUT, DOTS, QR, TITLE, Slip, SlipLine, columns_for, text_width,
)

ESC, GS, FS = b"\x1b", b"\x1d", b"\x1c"
INIT = ESC + b"@"
CHINESE_ON = FS + b"&"  # FS &: double-byte (GB18030) characters from here on
ALIGN_LEFT = ESC + b"a\x00"
# GS ! per style: title double width and height, big double height only. No ESC E
# (emphasized): on thermal heads it smears hanzi into blots.
SIZE = {TITLE: 0x11, BIG: 0x01}

__all__ = ["PrinterError", "encode", "open_printer", "print_receipt", "receipt_escpos",
           "slip_escpos"]


def _escpos_cache_dir() -> str:
    """python-escpos writes a pickle of its printer database at import, into a fresh temp
    folder unless told where: one folder in the user cache keeps /tmp from filling up.
    An unwritable cache (read-only home, full disk) falls back to the temp folder, so
    printing still works."""
    from platformdirs import user_cache_dir

    owner = os.getuid() if hasattr(os, "getuid") else "user"
    shared_tmp = os.path.join(tempfile.gettempdir(), f"counter_app-escpos-{owner}")
    for folder in (user_cache_dir("counter_app", "counter_app"), shared_tmp):
        try:
            os.makedirs(folder, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder):  # writable, not just present
                return folder
        except OSError:
            continue
    return tempfile.mkdtemp()


def escpos_module(name: str = "printer"):
    """Import python-escpos only when printing (it writes a cache file on import)."""
    if not os.environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR"):
        os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = _escpos_cache_dir()
    import importlib

    return importlib.import_module(f"escpos.{name}")


# Control characters in a name or footer would be read as printer commands.
_CONTROLS = {c: " " for c in [*range(0x20), 0x7F]}


def encode(text: str) -> bytes:
    """GB18030 for everything, including ￥ and full-width punctuation."""
    return text.translate(_CONTROLS).encode("gb18030", errors="replace")


def _style(line: SlipLine) -> bytes:
    return GS + b"!" + bytes([SIZE.get(line.style, 0)]) + GS + b"B" + bytes([line.invert])


_PLAIN = _style(SlipLine())


def _barcode(printer, code: str, width_mm: int) -> None:
    """Printer-native CODE128 (subset B), module width as wide as the paper allows."""
    modules = (len(code) + 3) * 11 + 2  # start + data + check + stop (13)
    module = min(3, DOTS[width_mm] // modules)
    if module < 2 or not code.isascii():  # too long for this paper, or not ASCII: text only
        printer._raw(encode(code) + b"\n")
        return
    # _hw_barcode rather than barcode(): the latter prints a notice to stdout.
    printer._hw_barcode("{B" + code, "CODE128", height=80, width=module, pos="BELOW",
                        font="A", align_ct=True, function_type="B")
    printer._raw(ALIGN_LEFT)


def slip_escpos(slip: Slip, width_mm: int = 58, cut: bool = True) -> bytes:
    """The complete print job for one slip (``cut=False``: leave out the final cut)."""
    columns = columns_for(width_mm)
    if slip.columns != columns:
        raise PrinterError(detail=f"小票按 {slip.columns} 列排版，{width_mm} 毫米纸是 {columns} 列")
    p = escpos_module().Dummy()
    p._raw(INIT + CHINESE_ON + ALIGN_LEFT)
    last = len(slip.lines) - 1
    for i, line in enumerate(slip.lines):
        if line.kind == BARCODE:
            _barcode(p, line.left, width_mm)
        elif line.kind == QR:
            p._raw(ESC + b"a\x01")  # centred (python-escpos cannot centre native QR)
            p.qr(line.left, size=min(8, columns // 6), native=True)
            p._raw(ALIGN_LEFT)
        elif line.kind == CUT:
            if cut or i != last:
                p.cut()  # feeds past the tear bar, then GS V
        else:
            text = line.text(columns)
            if line.invert:  # a solid bar across the paper, not just behind the words
                text = text + " " * (line.budget(columns) - text_width(text))
            style = _style(line)
            if style != _PLAIN:
                p._raw(style + encode(text) + _PLAIN + b"\n")
            else:
                p._raw(encode(text) + b"\n")
    return p.output


def receipt_escpos(receipt, width_mm: int = 58, footer: str | None = DEFAULT_FOOTER,
                   cut: bool = True) -> bytes:
    """The complete print job for one receipt (a Receipt or a PrintableReceipt)."""
    return slip_escpos(receipt_slip(receipt, columns_for(width_mm), footer), width_mm, cut)


def print_receipt(printer, receipt, width_mm: int = 58,
                  footer: str | None = DEFAULT_FOOTER) -> None:
    """Send a receipt to an open python-escpos printer (any connection)."""
    printer._raw(receipt_escpos(receipt, width_mm, footer))


def open_printer(config: Mapping):
    """A python-escpos printer from a settings dict, e.g.

    ``{"type": "file", "path": "/dev/usb/lp0"}``, ``{"type": "serial", "port": "COM3",
    "baudrate": 9600}``, ``{"type": "usb", "vendor_id": "0x0416", "product_id": "0x5011"}``,
    ``{"type": "network", "host": "192.168.1.50", "port": 9100}``,
    ``{"type": "win32raw", "printer_name": "XP-58"}`` (Windows only).
    An optional ``"profile"`` names a python-escpos printer profile.
    """
    ep = escpos_module()
    kind = str(config.get("type", "")).lower()
    extra = {"profile": config["profile"]} if config.get("profile") else {}

    def need(key):
        if not config.get(key):
            raise PrinterError(detail=f"{kind} 打印机需要填写 {key}")
        return config[key]

    def number(key, default):
        try:
            return int(str(config.get(key, default)), 0)  # "0x0416" or 1046
        except ValueError:
            raise PrinterError(detail=f"{key} 应为数字（收到 {config.get(key)}）") from None

    if kind == "file":
        return ep.File(need("path"), **extra)
    if kind == "serial":
        return ep.Serial(devfile=need("port"), baudrate=number("baudrate", 9600), **extra)
    if kind == "network":
        return ep.Network(host=need("host"), port=number("port", 9100),
                          timeout=number("timeout", 10), **extra)
    if kind == "usb":
        if not ep.Usb.is_usable():
            raise PrinterError(detail="USB 打印需要安装 pyusb（或改用串口/网络/Windows 打印机）")
        need("vendor_id"), need("product_id")
        return ep.Usb(number("vendor_id", 0), number("product_id", 0), **extra)
    if kind == "win32raw":
        if sys.platform != "win32" or not ep.Win32Raw.is_usable():
            raise PrinterError(detail="win32raw 只能在装有 pywin32 的 Windows 上使用")
        return ep.Win32Raw(need("printer_name"), **extra)
    raise PrinterError(detail=f"未知的连接方式“{kind}”（可用 file/serial/usb/network/win32raw）")
