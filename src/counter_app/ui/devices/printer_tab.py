"""The Receipt printer tab of the device settings: where receipts go (PDF file, thermal
ESC/POS printer, printer installed in the system), paper width and footer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.config import LocalSettings, data_dir
from counter_app.documents import DEFAULT_FOOTER, PrinterError, open_printer
from counter_app.ui.devices.form_helpers import BAUD_RATES, form_page, select
from counter_app.ui.devices.scanner_tab import fill_ports
from counter_app.ui.devices.receipt_output import ESCPOS, PDF, SYSTEM, escpos_config


class PrinterTab(QWidget):
    def __init__(self, printer_names: Callable[[], list[str]], parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
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
        self.output_pages.addWidget(self._escpos_box())
        self.output_pages.addWidget(self._system_box(printer_names))
        self.output.currentIndexChanged.connect(self.output_pages.setCurrentIndex)
        layout.addWidget(self.output_pages)
        layout.addStretch(1)

    def _escpos_box(self) -> QGroupBox:
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
        page, f = form_page()
        self.escpos_file = QLineEdit()
        self.escpos_file.setObjectName("escpos_file")
        self.escpos_file.setPlaceholderText("/dev/usb/lp0")
        f.addRow(self.tr("Path"), self.escpos_file)
        self.escpos_pages.addWidget(page)
        page, f = form_page()
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
        page, f = form_page()
        self.escpos_host = QLineEdit()
        self.escpos_host.setObjectName("escpos_host")
        self.escpos_host.setPlaceholderText("192.168.1.50")
        self.escpos_port = QSpinBox()
        self.escpos_port.setObjectName("escpos_port")
        self.escpos_port.setRange(1, 65535)
        f.addRow(self.tr("Host"), self.escpos_host)
        f.addRow(self.tr("TCP port"), self.escpos_port)
        self.escpos_pages.addWidget(page)
        page, f = form_page()
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
        return escpos

    def _system_box(self, printer_names: Callable[[], list[str]]) -> QGroupBox:
        system = QGroupBox(self.tr("Printer installed in the system"))
        sys_form = QFormLayout(system)
        self.system_printer = QComboBox()
        self.system_printer.setObjectName("system_printer")
        self.system_printer.addItem(self.tr("The default printer"), "")
        for name in printer_names():
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
        return system

    def set_serial_ports(self, rows) -> None:
        fill_ports(self.escpos_serial_port, rows)

    # --- settings <-> form -----------------------------------------------------------

    def load(self, s: LocalSettings) -> None:
        select(self.output, s.receipt_output)
        self.output_pages.setCurrentIndex(max(0, self.output.currentIndex()))
        select(self.width_mm, s.receipt_width_mm)
        self.footer.setPlainText(DEFAULT_FOOTER if s.receipt_footer is None else s.receipt_footer)
        self.open_pdf.setChecked(s.open_receipt_pdf)
        select(self.escpos_kind, s.escpos_connection)
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
        select(self.system_printer, s.system_printer)
        select(self.system_paper, s.system_paper)
        self.system_ask.setChecked(s.system_printer_ask)

    def collect(self) -> dict[str, Any]:
        """The receipt fields as LocalSettings keyword arguments; ValueError with a
        message for the person when a field cannot be read."""
        try:
            baudrate = int(self.escpos_serial_baud.currentText().strip())
        except ValueError:
            raise ValueError(self.tr("The baud rate must be a number, e.g. 9600.")) from None
        footer = self.footer.toPlainText().strip()
        return dict(
            receipt_output=self.output.currentData(),
            receipt_width_mm=self.width_mm.currentData(),
            receipt_footer=None if footer == DEFAULT_FOOTER else footer,
            open_receipt_pdf=self.open_pdf.isChecked(),
            escpos_connection=self.escpos_kind.currentData(),
            escpos_file=self.escpos_file.text().strip(),
            escpos_serial_port=self.escpos_serial_port.currentText().strip(),
            escpos_serial_baudrate=baudrate,
            escpos_host=self.escpos_host.text().strip(),
            escpos_port=self.escpos_port.value(),
            escpos_usb_vid=self.escpos_vid.text().strip(),
            escpos_usb_pid=self.escpos_pid.text().strip(),
            system_printer=self.system_printer.currentData(),
            system_paper=self.system_paper.currentData(),
            system_printer_ask=self.system_ask.isChecked(),
        )

    @staticmethod
    def validate(s: LocalSettings) -> None:
        if s.receipt_output == ESCPOS:
            try:
                open_printer(escpos_config(s))  # checks the fields; opens nothing
            except PrinterError as exc:
                raise ValueError(str(exc)) from None
