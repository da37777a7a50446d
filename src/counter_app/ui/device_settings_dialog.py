"""Device settings for this computer: the serial scanner and the receipt printer.

Everything here is per machine (``LocalSettings``, a JSON file). While the dialog is
open it reads the scanner with the settings as they stand in the form, so the admin
can scan a card and see the raw bytes and the decoded code before saving. The caller
stops its own scanner first (the port is opened exclusively) and restarts it after.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.config import LocalSettings, data_dir
from counter_app.devices import list_ports
from counter_app.devices.scanner import CONNECTED, REJECTED
from counter_app.documents import DEFAULT_FOOTER, PrinterError, open_printer
from counter_app.ui.receipt_output import ESCPOS, PDF, SYSTEM, escpos_config
from counter_app.ui.scanner_bridge import ScannerBridge, scanner_config

log = logging.getLogger(__name__)

BAUD_RATES = ("1200", "2400", "4800", "9600", "19200", "38400", "57600", "115200")
PARITIES = ("N", "E", "O", "M", "S")
STOP_BITS = (1.0, 1.5, 2.0)
TERMINATORS = ("CR", "LF", "CRLF")
BURST_GAP = 0.3  # seconds of silence that start a new raw scan in the test box
RAW_LIMIT = 200  # bytes of one raw burst kept for display

GOOD, ERROR, NEUTRAL = "#0b6e2e", "#b00020", "#404040"

COL_DEVICE, COL_DESCRIPTION, COL_USB, COL_SERIAL = range(4)

# Scanner connection modes in the form.
NO_SCANNER, BY_PORT, BY_USB = range(3)


def escape_text(text: str) -> str:
    """Prefix/suffix as typed in the form: printable ASCII as is, others as \\xNN."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif 0x20 <= ord(ch) < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\x{ord(ch):02x}")
    return "".join(out)


def unescape_text(text: str) -> str:
    """Inverse of ``escape_text``; raises ValueError for non-ASCII or a broken escape."""
    if not text.isascii():
        raise ValueError(text)
    try:
        value = text.encode("ascii").decode("unicode_escape")
    except UnicodeDecodeError as exc:
        raise ValueError(text) from exc
    if any(ord(ch) > 0xFF for ch in value):
        raise ValueError(text)
    return value


def raw_repr(data: bytes) -> str:
    """'XF00000017\\r\\n': the bytes as a Python string literal, escapes visible."""
    return repr(bytes(data).decode("latin-1"))


def _usb_id(value: int | None) -> str:
    return "" if value is None else f"{value:04X}"


def _parse_usb_id(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    value = int(text, 16)
    if not 0 <= value <= 0xFFFF:
        raise ValueError(text)
    return value


class DeviceSettingsDialog(QDialog):
    saved = Signal(object)  # the LocalSettings written

    def __init__(self, settings: LocalSettings | None = None, parent: QWidget | None = None, *,
                 path: Path | None = None,
                 comports: Callable[[], Iterable[Any]] | None = None,
                 printer_names: Callable[[], list[str]] | None = None):
        super().__init__(parent)
        self.path = path
        self.settings = settings if settings is not None else LocalSettings.load(path)
        self._comports = comports
        self._printer_names = printer_names or _system_printer_names
        self.test_bridge: ScannerBridge | None = None
        self._raw = bytearray()
        self._raw_at = 0.0
        self.setWindowTitle(self.tr("Device settings"))
        font = QFont(self.font())
        font.setPointSize(max(font.pointSize(), 14))
        self.setFont(font)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._scanner_tab(), self.tr("Scanner"))
        self.tabs.addTab(self._printer_tab(), self.tr("Receipt printer"))
        self.message = QLabel()
        self.message.setObjectName("settings_message")
        self.message.setWordWrap(True)
        _paint(self.message, ERROR)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        for b in buttons.buttons():
            b.setMinimumHeight(48)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        self._load(self.settings)
        self._test_timer = QTimer(self)
        self._test_timer.setSingleShot(True)
        self._test_timer.setInterval(400)
        self._test_timer.timeout.connect(self.restart_test)
        for signal in self._scanner_change_signals():
            signal.connect(lambda *_: self._test_timer.start())
        self.refresh_ports()
        self.restart_test()
        self.resize(980, 760)

    # --- building the form ---------------------------------------------------------

    def _scanner_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)

        ports_box = QGroupBox(self.tr("Serial ports on this computer"))
        ports_layout = QVBoxLayout(ports_box)
        self.ports = QTableWidget(0, 4)
        self.ports.setObjectName("port_table")
        self.ports.setHorizontalHeaderLabels(
            [self.tr("Port"), self.tr("Description"), self.tr("VID:PID"),
             self.tr("Serial number")])
        self.ports.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.ports.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.ports.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.ports.verticalHeader().hide()
        header = self.ports.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        self.ports.setMinimumHeight(130)
        self.ports.doubleClicked.connect(lambda _i: self.use_selected_port())
        ports_layout.addWidget(self.ports)
        row = QHBoxLayout()
        self.refresh_button = self._button(self.tr("Refresh"), self.refresh_ports,
                                           "refresh_ports")
        self.use_port_button = self._button(self.tr("Use the selected port"),
                                            self.use_selected_port, "use_port")
        row.addWidget(self.refresh_button)
        row.addWidget(self.use_port_button)
        row.addStretch(1)
        ports_layout.addLayout(row)
        layout.addWidget(ports_box)

        form_box = QGroupBox(self.tr("Scanner"))
        form = QFormLayout(form_box)
        self.scanner_mode = QComboBox()
        self.scanner_mode.setObjectName("scanner_mode")
        self.scanner_mode.addItem(self.tr("None (keyboard-mode scanner only)"), NO_SCANNER)
        self.scanner_mode.addItem(self.tr("This port"), BY_PORT)
        self.scanner_mode.addItem(self.tr("This USB device, on whichever port"), BY_USB)
        form.addRow(self.tr("Connect"), self.scanner_mode)
        self.port = QComboBox()
        self.port.setObjectName("scanner_port")
        self.port.setEditable(True)
        form.addRow(self.tr("Port"), self.port)
        usb = QHBoxLayout()
        self.vid, self.pid, self.serial_number = QLineEdit(), QLineEdit(), QLineEdit()
        for edit, name, hint, width in ((self.vid, "scanner_vid", "1A86", 90),
                                        (self.pid, "scanner_pid", "7523", 90),
                                        (self.serial_number, "scanner_serial", "", 0)):
            edit.setObjectName(name)
            edit.setPlaceholderText(hint)
            if width:
                edit.setMaximumWidth(width)
        usb.addWidget(QLabel(self.tr("VID")))
        usb.addWidget(self.vid)
        usb.addWidget(QLabel(self.tr("PID")))
        usb.addWidget(self.pid)
        usb.addWidget(QLabel(self.tr("Serial no.")))
        usb.addWidget(self.serial_number, 1)
        form.addRow(self.tr("USB device"), usb)
        self._usb_widgets = [usb.itemAt(i).widget() for i in range(usb.count())]

        line = QHBoxLayout()
        self.baud = QComboBox()
        self.baud.setObjectName("scanner_baud")
        self.baud.setEditable(True)
        self.baud.addItems(BAUD_RATES)
        self.bytesize = QComboBox()
        self.bytesize.setObjectName("scanner_bytesize")
        for bits in (8, 7, 6, 5):
            self.bytesize.addItem(str(bits), bits)
        self.parity = QComboBox()
        self.parity.setObjectName("scanner_parity")
        for code, label in zip(PARITIES, (self.tr("None"), self.tr("Even"), self.tr("Odd"),
                                          self.tr("Mark"), self.tr("Space"))):
            self.parity.addItem(label, code)
        self.stopbits = QComboBox()
        self.stopbits.setObjectName("scanner_stopbits")
        for bits in STOP_BITS:
            self.stopbits.addItem(f"{bits:g}", bits)
        for label, widget in ((self.tr("Baud"), self.baud), (self.tr("Data bits"), self.bytesize),
                              (self.tr("Parity"), self.parity),
                              (self.tr("Stop bits"), self.stopbits)):
            line.addWidget(QLabel(label))
            line.addWidget(widget)
        line.addStretch(1)
        form.addRow(self.tr("Line"), line)
        self._line_widgets = [self.baud, self.bytesize, self.parity, self.stopbits]

        framing = QHBoxLayout()
        self.terminator = QComboBox()
        self.terminator.setObjectName("scanner_terminator")
        self.terminator.addItem(self.tr("CR"), "CR")
        self.terminator.addItem(self.tr("LF"), "LF")
        self.terminator.addItem(self.tr("CR LF (accepts CR or LF)"), "CRLF")
        self.prefix, self.suffix = QLineEdit(), QLineEdit()
        for edit, name in ((self.prefix, "scanner_prefix"), (self.suffix, "scanner_suffix")):
            edit.setObjectName(name)
            edit.setPlaceholderText(self.tr("e.g. \\x02"))
            edit.setMaximumWidth(160)
        framing.addWidget(self.terminator)
        framing.addWidget(QLabel(self.tr("Prefix")))
        framing.addWidget(self.prefix)
        framing.addWidget(QLabel(self.tr("Suffix")))
        framing.addWidget(self.suffix)
        framing.addStretch(1)
        form.addRow(self.tr("End of code"), framing)
        self._line_widgets += [self.terminator, self.prefix, self.suffix]
        self.scanner_mode.currentIndexChanged.connect(self._mode_changed)
        layout.addWidget(form_box)

        test_box = QGroupBox(self.tr("Test: scan a card or a barcode now"))
        test = QFormLayout(test_box)
        self.test_state = QLabel()
        self.test_state.setObjectName("test_state")
        self.test_raw = QLabel("—")
        self.test_raw.setObjectName("test_raw")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(self.font().pointSize())
        self.test_raw.setFont(mono)
        self.test_raw.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_code = QLabel("—")
        self.test_code.setObjectName("test_code")
        self._big = QFont(self.font())
        self._big.setPointSize(22)
        self._big.setBold(True)
        self.test_code.setFont(self._big)
        self.test_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        test.addRow(self.tr("Scanner"), self.test_state)
        test.addRow(self.tr("Received"), self.test_raw)
        test.addRow(self.tr("Code"), self.test_code)
        layout.addWidget(test_box)
        return tab

    def _printer_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        form = QFormLayout()
        self.output = QComboBox()
        self.output.setObjectName("receipt_output")
        self.output.addItem(self.tr("PDF file (opened for printing)"), PDF)
        self.output.addItem(self.tr("Thermal receipt printer (ESC/POS)"), ESCPOS)
        self.output.addItem(self.tr("Printer installed in the system"), SYSTEM)
        form.addRow(self.tr("Print receipts to"), self.output)
        self.width_mm = QComboBox()
        self.width_mm.setObjectName("receipt_width")
        self.width_mm.addItem(self.tr("58 mm"), 58)
        self.width_mm.addItem(self.tr("80 mm"), 80)
        form.addRow(self.tr("Paper width"), self.width_mm)
        self.footer = QPlainTextEdit()
        self.footer.setObjectName("receipt_footer")
        self.footer.setPlaceholderText(self.tr("(no footer)"))
        self.footer.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 16)
        form.addRow(self.tr("Footer"), self.footer)
        layout.addLayout(form)

        self.output_pages = QStackedWidget()
        # PDF
        pdf = QGroupBox(self.tr("PDF file"))
        pdf_form = QFormLayout(pdf)
        self.open_pdf = QCheckBox(self.tr("Open each receipt in the PDF viewer"))
        self.open_pdf.setObjectName("open_pdf")
        pdf_form.addRow(self.open_pdf)
        folder = QLabel(str(data_dir() / "receipts"))
        folder.setWordWrap(True)
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        pdf_form.addRow(self.tr("Folder"), folder)
        self.output_pages.addWidget(pdf)
        # ESC/POS
        escpos = QGroupBox(self.tr("Thermal receipt printer"))
        esc_layout = QVBoxLayout(escpos)
        esc_form = QFormLayout()
        self.escpos_kind = QComboBox()
        self.escpos_kind.setObjectName("escpos_connection")
        self.escpos_kind.addItem(self.tr("Device or file path"), "file")
        self.escpos_kind.addItem(self.tr("Serial port"), "serial")
        self.escpos_kind.addItem(self.tr("Network (IP address)"), "network")
        self.escpos_kind.addItem(self.tr("USB (needs pyusb)"), "usb")
        esc_form.addRow(self.tr("Connection"), self.escpos_kind)
        esc_layout.addLayout(esc_form)
        self.escpos_pages = QStackedWidget()
        page, f = self._form_page()
        self.escpos_file = QLineEdit()
        self.escpos_file.setObjectName("escpos_file")
        self.escpos_file.setPlaceholderText("/dev/usb/lp0")
        f.addRow(self.tr("Path"), self.escpos_file)
        self.escpos_pages.addWidget(page)
        page, f = self._form_page()
        self.escpos_serial_port = QComboBox()
        self.escpos_serial_port.setObjectName("escpos_serial_port")
        self.escpos_serial_port.setEditable(True)
        self.escpos_serial_baud = QComboBox()
        self.escpos_serial_baud.setObjectName("escpos_serial_baud")
        self.escpos_serial_baud.setEditable(True)
        self.escpos_serial_baud.addItems(BAUD_RATES)
        f.addRow(self.tr("Port"), self.escpos_serial_port)
        f.addRow(self.tr("Baud"), self.escpos_serial_baud)
        self.escpos_pages.addWidget(page)
        page, f = self._form_page()
        self.escpos_host = QLineEdit()
        self.escpos_host.setObjectName("escpos_host")
        self.escpos_host.setPlaceholderText("192.168.1.50")
        self.escpos_port = QSpinBox()
        self.escpos_port.setObjectName("escpos_port")
        self.escpos_port.setRange(1, 65535)
        f.addRow(self.tr("Host"), self.escpos_host)
        f.addRow(self.tr("TCP port"), self.escpos_port)
        self.escpos_pages.addWidget(page)
        page, f = self._form_page()
        self.escpos_vid, self.escpos_pid = QLineEdit(), QLineEdit()
        self.escpos_vid.setObjectName("escpos_usb_vid")
        self.escpos_vid.setPlaceholderText("0x0416")
        self.escpos_pid.setObjectName("escpos_usb_pid")
        self.escpos_pid.setPlaceholderText("0x5011")
        f.addRow(self.tr("Vendor ID"), self.escpos_vid)
        f.addRow(self.tr("Product ID"), self.escpos_pid)
        self.escpos_pages.addWidget(page)
        esc_layout.addWidget(self.escpos_pages)
        self.escpos_kind.currentIndexChanged.connect(self.escpos_pages.setCurrentIndex)
        self.output_pages.addWidget(escpos)
        # System printer
        system = QGroupBox(self.tr("Printer installed in the system"))
        sys_form = QFormLayout(system)
        self.system_printer = QComboBox()
        self.system_printer.setObjectName("system_printer")
        self.system_printer.addItem(self.tr("The default printer"), "")
        for name in self._printer_names():
            self.system_printer.addItem(name, name)
        self.system_paper = QComboBox()
        self.system_paper.setObjectName("system_paper")
        self.system_paper.addItem(self.tr("Receipt roll (paper width above)"), "roll")
        self.system_paper.addItem(self.tr("A4 sheet"), "A4")
        self.system_ask = QCheckBox(self.tr("Show the print dialog for every receipt"))
        self.system_ask.setObjectName("system_ask")
        sys_form.addRow(self.tr("Printer"), self.system_printer)
        sys_form.addRow(self.tr("Paper"), self.system_paper)
        sys_form.addRow(self.system_ask)
        self.output_pages.addWidget(system)
        self.output.currentIndexChanged.connect(self.output_pages.setCurrentIndex)
        layout.addWidget(self.output_pages)
        layout.addStretch(1)
        return tab

    def _form_page(self) -> tuple[QWidget, QFormLayout]:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        return page, form

    def _button(self, text: str, slot, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setMinimumHeight(44)
        button.clicked.connect(slot)
        return button

    def _mode_changed(self, *_args) -> None:
        """Only the fields the chosen connection uses are editable."""
        mode = self.scanner_mode.currentData()
        self.port.setEnabled(mode == BY_PORT)
        for widget in self._usb_widgets:
            widget.setEnabled(mode == BY_USB)
        for widget in self._line_widgets:
            widget.setEnabled(mode != NO_SCANNER)

    def _scanner_change_signals(self):
        return (self.scanner_mode.currentIndexChanged, self.port.currentTextChanged,
                self.vid.textChanged, self.pid.textChanged, self.serial_number.textChanged,
                self.baud.currentTextChanged, self.bytesize.currentIndexChanged,
                self.parity.currentIndexChanged, self.stopbits.currentIndexChanged,
                self.terminator.currentIndexChanged, self.prefix.textChanged,
                self.suffix.textChanged)

    # --- settings <-> form -----------------------------------------------------------

    def _load(self, s: LocalSettings) -> None:
        if s.scanner_match_usb:
            mode = BY_USB
        elif s.scanner_port:
            mode = BY_PORT
        else:
            mode = NO_SCANNER
        _select(self.scanner_mode, mode)
        self._mode_changed()
        self.port.setEditText(s.scanner_port)
        self.vid.setText(_usb_id(s.scanner_vid))
        self.pid.setText(_usb_id(s.scanner_pid))
        self.serial_number.setText(s.scanner_serial_number or "")
        self.baud.setEditText(str(s.scanner_baudrate))
        _select(self.bytesize, int(s.scanner_bytesize))
        _select(self.parity, s.scanner_parity)
        _select(self.stopbits, float(s.scanner_stopbits))
        _select(self.terminator, s.scanner_terminator)
        self.prefix.setText(escape_text(s.scanner_prefix or ""))
        self.suffix.setText(escape_text(s.scanner_suffix or ""))

        _select(self.output, s.receipt_output)
        self.output_pages.setCurrentIndex(max(0, self.output.currentIndex()))
        _select(self.width_mm, s.receipt_width_mm)
        self.footer.setPlainText(DEFAULT_FOOTER if s.receipt_footer is None else s.receipt_footer)
        self.open_pdf.setChecked(s.open_receipt_pdf)
        _select(self.escpos_kind, s.escpos_connection)
        self.escpos_pages.setCurrentIndex(max(0, self.escpos_kind.currentIndex()))
        self.escpos_file.setText(s.escpos_file)
        self.escpos_serial_port.setEditText(s.escpos_serial_port)
        self.escpos_serial_baud.setEditText(str(s.escpos_serial_baudrate))
        self.escpos_host.setText(s.escpos_host)
        self.escpos_port.setValue(int(s.escpos_port))
        self.escpos_vid.setText(s.escpos_usb_vid)
        self.escpos_pid.setText(s.escpos_usb_pid)
        if s.system_printer and self.system_printer.findData(s.system_printer) < 0:
            self.system_printer.addItem(s.system_printer, s.system_printer)  # not plugged in now
        _select(self.system_printer, s.system_printer)
        _select(self.system_paper, s.system_paper)
        self.system_ask.setChecked(s.system_printer_ask)

    def collect(self, base: LocalSettings | None = None) -> LocalSettings:
        """The form as LocalSettings, other fields taken from ``base`` (default: the
        settings the dialog opened with). Raises ValueError with a message for the
        person when a field cannot be read."""
        mode = self.scanner_mode.currentData()
        try:
            vid, pid = _parse_usb_id(self.vid.text()), _parse_usb_id(self.pid.text())
        except ValueError:
            raise ValueError(self.tr("USB VID and PID are 4 hexadecimal digits, e.g. 1A86.")) \
                from None
        try:
            prefix, suffix = unescape_text(self.prefix.text()), unescape_text(self.suffix.text())
        except ValueError:
            raise ValueError(self.tr("Prefix and suffix: letters, digits or escapes "
                                     "such as \\x02.")) from None
        numbers = {}
        for key, text in (("scanner_baudrate", self.baud.currentText()),
                          ("escpos_serial_baudrate", self.escpos_serial_baud.currentText())):
            try:
                numbers[key] = int(text.strip())
            except ValueError:
                raise ValueError(self.tr("The baud rate must be a number, e.g. 9600.")) \
                    from None
        footer = self.footer.toPlainText().strip()
        return dataclasses.replace(
            base if base is not None else self.settings,
            scanner_port=self.port.currentText().strip() if mode == BY_PORT else "",
            scanner_match_usb=mode == BY_USB,
            scanner_vid=vid, scanner_pid=pid,
            scanner_serial_number=self.serial_number.text().strip(),
            scanner_bytesize=self.bytesize.currentData(),
            scanner_parity=self.parity.currentData(),
            scanner_stopbits=self.stopbits.currentData(),
            scanner_terminator=self.terminator.currentData(),
            scanner_prefix=prefix, scanner_suffix=suffix,
            receipt_output=self.output.currentData(),
            receipt_width_mm=self.width_mm.currentData(),
            receipt_footer=None if footer == DEFAULT_FOOTER else footer,
            open_receipt_pdf=self.open_pdf.isChecked(),
            escpos_connection=self.escpos_kind.currentData(),
            escpos_file=self.escpos_file.text().strip(),
            escpos_serial_port=self.escpos_serial_port.currentText().strip(),
            escpos_host=self.escpos_host.text().strip(),
            escpos_port=self.escpos_port.value(),
            escpos_usb_vid=self.escpos_vid.text().strip(),
            escpos_usb_pid=self.escpos_pid.text().strip(),
            system_printer=self.system_printer.currentData(),
            system_paper=self.system_paper.currentData(),
            system_printer_ask=self.system_ask.isChecked(),
            **numbers,
        )

    def _validate(self, s: LocalSettings) -> None:
        if s.scanner_match_usb and s.scanner_vid is None and s.scanner_pid is None \
                and not s.scanner_serial_number:
            raise ValueError(self.tr("To match a USB scanner, fill in its VID/PID or serial "
                                     "number (choose its row above and press "
                                     "“Use the selected port”)."))
        if self.scanner_mode.currentData() == BY_PORT and not s.scanner_port:
            raise ValueError(self.tr("Choose the scanner's port."))
        try:
            scanner_config(s)
        except ValueError as exc:
            raise ValueError(self.tr("The scanner settings are not valid: %1")
                             .replace("%1", str(exc))) from None
        if s.receipt_output == ESCPOS:
            try:
                open_printer(escpos_config(s))  # checks the fields; opens nothing
            except PrinterError as exc:
                raise ValueError(str(exc)) from None

    def save(self) -> bool:
        try:
            # Other fields (language …) as they are on disk now, not as when we opened.
            new = self.collect(LocalSettings.load(self.path))
            self._validate(new)
            new.save(self.path)
        except ValueError as exc:
            self.message.setText(str(exc))
            return False
        except OSError as exc:
            self.message.setText(self.tr("Could not save the settings: %1")
                                 .replace("%1", str(exc)))
            return False
        self.settings = new
        self.message.setText("")
        self.saved.emit(new)
        self.accept()
        return True

    # --- ports -------------------------------------------------------------------

    def refresh_ports(self) -> None:
        rows = list_ports(self._comports) if self._comports else list_ports()
        self.port_rows = rows
        self.ports.setRowCount(len(rows))
        for r, row in enumerate(rows):
            usb = (f"{_usb_id(row.vid)}:{_usb_id(row.pid)}"
                   if row.vid is not None or row.pid is not None else "")
            for c, text in ((COL_DEVICE, row.device), (COL_DESCRIPTION, row.description),
                            (COL_USB, usb), (COL_SERIAL, row.serial_number or "")):
                self.ports.setItem(r, c, QTableWidgetItem(text))
        for combo in (self.port, self.escpos_serial_port):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([row.device for row in rows])
            combo.setEditText(current)
            combo.blockSignals(False)

    def use_selected_port(self) -> None:
        r = self.ports.currentRow()
        if not 0 <= r < len(self.port_rows):
            self.message.setText(self.tr("Choose a port in the list first."))
            return
        row = self.port_rows[r]
        self.port.setEditText(row.device)
        self.vid.setText(_usb_id(row.vid))
        self.pid.setText(_usb_id(row.pid))
        self.serial_number.setText(row.serial_number or "")
        usb = row.vid is not None or row.pid is not None or bool(row.serial_number)
        _select(self.scanner_mode, BY_USB if usb else BY_PORT)
        self.message.setText("")

    # --- live scanner test ---------------------------------------------------------

    def restart_test(self) -> None:
        self.stop_test()
        try:
            config = scanner_config(self.collect())
        except ValueError as exc:
            self._test_status(self.tr("Settings not valid: %1").replace("%1", str(exc)), False)
            return
        if config is None:
            self._test_status(self.tr("No serial scanner set up."), False)
            return
        self._test_status(self.tr("Opening…"), None)
        kwargs = {"comports": self._comports} if self._comports else {}
        bridge = ScannerBridge(config, self, **kwargs)
        bridge.raw.connect(self._show_raw)
        bridge.code.connect(self._show_code)
        bridge.status.connect(self._show_status)
        self.test_bridge = bridge
        bridge.start()

    def stop_test(self) -> None:
        bridge, self.test_bridge = self.test_bridge, None
        if bridge is not None:
            bridge.stop()
            bridge.deleteLater()

    def _test_status(self, text: str, ok: bool | None) -> None:
        self.test_state.setText(text)
        _paint(self.test_state, {True: GOOD, False: ERROR, None: NEUTRAL}[ok])

    def _show_status(self, state: str, message: str) -> None:
        if state == REJECTED:
            self.test_code.setText(message)
            self.test_code.setFont(self.font())
            _paint(self.test_code, ERROR)
        else:
            self._test_status(message, state == CONNECTED)

    def _show_raw(self, data: bytes) -> None:
        now = time.monotonic()
        if now - self._raw_at > BURST_GAP:
            self._raw.clear()
        self._raw_at = now
        self._raw += data
        del self._raw[:-RAW_LIMIT]
        self.test_raw.setText(raw_repr(self._raw))

    def _show_code(self, code: str) -> None:
        self.test_code.setFont(self._big)
        _paint(self.test_code, GOOD)
        self.test_code.setText(code)

    def done(self, result: int) -> None:
        self._test_timer.stop()
        self.stop_test()
        super().done(result)


def _paint(label: QLabel, color: str) -> None:
    """Text colour through the palette: a style sheet would drop the dialog's large font."""
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(color))
    label.setPalette(palette)


def _select(combo: QComboBox, data) -> None:
    index = combo.findData(data)
    if index >= 0:
        combo.setCurrentIndex(index)


def _system_printer_names() -> list[str]:
    from PySide6.QtPrintSupport import QPrinterInfo

    return list(QPrinterInfo.availablePrinterNames())
