"""The Scanner tab of the device settings: the serial ports on this computer, how the
scanner is connected and framed, and the live scan test."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.config import LocalSettings
from counter_app.devices import list_ports
from counter_app.ui.devices.form_helpers import (
    BAUD_RATES,
    BY_PORT,
    BY_USB,
    NO_SCANNER,
    PARITIES,
    STOP_BITS,
    button,
    escape_text,
    parse_usb_id,
    select,
    unescape_text,
    usb_id,
)
from counter_app.ui.devices.scan_test_box import ScanTestBox
from counter_app.ui.devices.scanner_bridge import scanner_config
from counter_app.ui.common.text import fill
from counter_app.ui.common.scale import px

COL_DEVICE, COL_DESCRIPTION, COL_USB, COL_SERIAL = range(4)


class ScannerTab(QWidget):
    edited = Signal()  # any scanner field changed
    ports_listed = Signal(list)  # the port rows, after each refresh
    message = Signal(str)  # for the dialog's message line ("" clears it)

    def __init__(self, comports: Callable[[], Iterable[Any]] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._comports = comports
        self.port_rows: list = []
        self._saved_port, self._saved_ids = "", (None, None, "")  # as loaded from settings
        layout = QVBoxLayout(self)

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
        self.ports.setMinimumHeight(px(130))
        self.ports.doubleClicked.connect(lambda _i: self.use_selected_port())
        ports_layout.addWidget(self.ports)
        row = QHBoxLayout()
        self.refresh_button = button(self.tr("Refresh"), self.refresh_ports, "refresh_ports")
        self.use_port_button = button(self.tr("Use the selected port"),
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
            edit.setMaximumWidth(px(160))
        framing.addWidget(self.terminator)
        framing.addWidget(QLabel(self.tr("Prefix")))
        framing.addWidget(self.prefix)
        framing.addWidget(QLabel(self.tr("Suffix")))
        framing.addWidget(self.suffix)
        framing.addStretch(1)
        form.addRow(self.tr("End of code"), framing)
        self._line_widgets += [self.terminator, self.prefix, self.suffix]
        self.scanner_mode.currentIndexChanged.connect(self._mode_changed)
        self.port.currentTextChanged.connect(self._show_port_ids)
        layout.addWidget(form_box)

        self.test_box = ScanTestBox(comports, self)
        layout.addWidget(self.test_box)

    def _mode_changed(self, *_args) -> None:
        """Only the fields the chosen connection uses are editable."""
        mode = self.scanner_mode.currentData()
        self.port.setEnabled(mode == BY_PORT)
        for widget in self._usb_widgets:
            widget.setEnabled(mode == BY_USB)
        for widget in self._line_widgets:
            widget.setEnabled(mode != NO_SCANNER)
        self._show_port_ids()

    def port_ids(self, port: str) -> tuple[int | None, int | None, str]:
        """(VID, PID, serial number) of the device on ``port``, saved with the port so the
        scanner is followed when a replug moves it to another path: as listed now, or,
        for the saved path while nothing is listed there (unplugged), as saved."""
        for row in self.port_rows:
            if row.device == port:
                return row.vid, row.pid, row.serial_number or ""
        return self._saved_ids if port and port == self._saved_port else (None, None, "")

    def _show_port_ids(self, *_args) -> None:
        """By port, the (read-only) USB fields show the ids saved with the path."""
        if self.scanner_mode.currentData() != BY_PORT:
            return
        vid, pid, serial_number = self.port_ids(self.port.currentText().strip())
        self.vid.setText(usb_id(vid))
        self.pid.setText(usb_id(pid))
        self.serial_number.setText(serial_number)

    def watch_edits(self) -> None:
        """From now on, every change of a scanner field emits ``edited``."""
        for signal in (self.scanner_mode.currentIndexChanged, self.port.currentTextChanged,
                       self.vid.textChanged, self.pid.textChanged,
                       self.serial_number.textChanged, self.baud.currentTextChanged,
                       self.bytesize.currentIndexChanged, self.parity.currentIndexChanged,
                       self.stopbits.currentIndexChanged, self.terminator.currentIndexChanged,
                       self.prefix.textChanged, self.suffix.textChanged):
            signal.connect(lambda *_: self.edited.emit())

    # --- settings <-> form -----------------------------------------------------------

    def load(self, s: LocalSettings) -> None:
        self._saved_port = "" if s.scanner_match_usb else s.scanner_port
        self._saved_ids = (s.scanner_vid, s.scanner_pid, s.scanner_serial_number or "")
        if s.scanner_match_usb:
            mode = BY_USB
        elif s.scanner_port:
            mode = BY_PORT
        else:
            mode = NO_SCANNER
        select(self.scanner_mode, mode)
        self._mode_changed()
        self.port.setEditText(s.scanner_port)
        self.vid.setText(usb_id(s.scanner_vid))
        self.pid.setText(usb_id(s.scanner_pid))
        self.serial_number.setText(s.scanner_serial_number or "")
        self.baud.setEditText(str(s.scanner_baudrate))
        select(self.bytesize, int(s.scanner_bytesize))
        select(self.parity, s.scanner_parity)
        select(self.stopbits, float(s.scanner_stopbits))
        select(self.terminator, s.scanner_terminator)
        self.prefix.setText(escape_text(s.scanner_prefix or ""))
        self.suffix.setText(escape_text(s.scanner_suffix or ""))

    def collect(self) -> dict[str, Any]:
        """The scanner fields as LocalSettings keyword arguments. Raises ValueError with a
        message for the person when a field cannot be read."""
        mode = self.scanner_mode.currentData()
        port = self.port.currentText().strip() if mode == BY_PORT else ""
        try:
            vid, pid = parse_usb_id(self.vid.text()), parse_usb_id(self.pid.text())
        except ValueError:
            raise ValueError(self.tr("USB VID and PID are 4 hexadecimal digits, e.g. 1A86.")) \
                from None
        serial_number = self.serial_number.text().strip()
        if mode == BY_PORT:  # the ids of the device on that path, never stale typed ones
            vid, pid, serial_number = self.port_ids(port)
        try:
            prefix, suffix = unescape_text(self.prefix.text()), unescape_text(self.suffix.text())
        except ValueError:
            raise ValueError(self.tr("Prefix and suffix: letters, digits or escapes "
                                     "such as \\x02.")) from None
        try:
            baudrate = int(self.baud.currentText().strip())
        except ValueError:
            raise ValueError(self.tr("The baud rate must be a number, e.g. 9600.")) from None
        return dict(
            scanner_port=port,
            scanner_match_usb=mode == BY_USB,
            scanner_vid=vid, scanner_pid=pid,
            scanner_serial_number=serial_number,
            scanner_baudrate=baudrate,
            scanner_bytesize=self.bytesize.currentData(),
            scanner_parity=self.parity.currentData(),
            scanner_stopbits=self.stopbits.currentData(),
            scanner_terminator=self.terminator.currentData(),
            scanner_prefix=prefix, scanner_suffix=suffix,
        )

    def validate(self, s: LocalSettings) -> None:
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
            raise ValueError(fill(self.tr("The scanner settings are not valid: %1"),
                                  exc)) from None

    # --- ports -------------------------------------------------------------------

    def refresh_ports(self) -> None:
        rows = list_ports(self._comports) if self._comports else list_ports()
        self.port_rows = rows
        self.ports.setRowCount(len(rows))
        for r, row in enumerate(rows):
            usb = (f"{usb_id(row.vid)}:{usb_id(row.pid)}"
                   if row.vid is not None or row.pid is not None else "")
            for c, text in ((COL_DEVICE, row.device), (COL_DESCRIPTION, row.description),
                            (COL_USB, usb), (COL_SERIAL, row.serial_number or "")):
                self.ports.setItem(r, c, QTableWidgetItem(text))
        fill_ports(self.port, rows)
        self.ports_listed.emit(rows)

    def use_selected_port(self) -> None:
        r = self.ports.currentRow()
        if not 0 <= r < len(self.port_rows):
            self.message.emit(self.tr("Choose a port in the list first."))
            return
        row = self.port_rows[r]
        self.port.setEditText(row.device)
        self.vid.setText(usb_id(row.vid))
        self.pid.setText(usb_id(row.pid))
        self.serial_number.setText(row.serial_number or "")
        usb = row.vid is not None or row.pid is not None or bool(row.serial_number)
        select(self.scanner_mode, BY_USB if usb else BY_PORT)
        self.message.emit("")


def fill_ports(combo: QComboBox, rows) -> None:
    """The port names as the combo's choices; what is typed in it stays."""
    current = combo.currentText()
    combo.blockSignals(True)
    combo.clear()
    combo.addItems([row.device for row in rows])
    combo.setEditText(current)
    combo.blockSignals(False)
