"""Scanner reader: pure framer tests, then real pseudo-terminals opened by pyserial.

No pyserial mocks: the reader opens the pty slave path, the test writes the
master end at scanner pace, and "unplug" closes the pty for real.
"""

from __future__ import annotations

import logging
import os
import random
import sys
import threading
import time
from types import SimpleNamespace

import pytest
import serial
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.devices import (
    CONNECTED,
    DISCONNECTED,
    REJECTED,
    LineFramer,
    PortRow,
    ScannerConfig,
    ScannerReader,
    ScannerStatus,
    find_port,
    find_ports,
    list_ports,
    resolve_port,
    waiting_for,
)

BYTE_TIME = 10 / 9600  # 8N1: 10 bits per byte, ~1.04 ms
TERM_BYTES = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}
NONPRINTABLE = "忽略无效扫码：含不可打印字符"
TOO_LONG = "忽略无效扫码：过长"
EMPTY = "忽略无效扫码：空码"
needs_pty = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX pseudo-terminals")


# --- reference rules, written independently of LineFramer ------------------

def oracle(stream: bytes, terminator: str, prefix: bytes = b"", suffix: bytes = b"",
           max_length: int = 64) -> tuple[list[str], list[str]]:
    """Expected (codes, reject reasons) for a whole stream, per the documented rules."""
    lines = [stream]
    for end in b"\r\n":  # in every mode either byte ends a line (scanners send CRLF when set to CR)
        lines = [part for line in lines for part in line.split(bytes([end]))]
    lines.pop()  # the unterminated tail is never delivered
    codes, rejects = [], []
    for line in lines:
        if len(line) > max_length + len(prefix) + len(suffix):
            rejects.append("过长")
            continue
        if line.strip(b" \t\r\n\x0b\x0c") == b"":
            continue
        body = line[len(prefix):] if prefix and line.startswith(prefix) else line
        body = body[:-len(suffix)] if suffix and body.endswith(suffix) else body
        if not body:
            rejects.append("空码")
        elif len(body) > max_length:
            rejects.append("过长")
        elif all(0x21 <= b <= 0x7E for b in body):
            codes.append(body.decode("ascii"))
        else:
            rejects.append("含不可打印字符")
    return codes, rejects


def random_frames(rng: random.Random, n: int, terminator: str, prefix: bytes = b"",
                  suffix: bytes = b"", max_length: int = 64) -> tuple[bytes, list[str]]:
    """n frames: ~half valid codes, the rest junk (control chars, high bytes,
    stray terminators, over-long runs). Each ends with the configured
    terminator 80% of the time, else a random CR/LF/CRLF (a misconfigured or
    glitching scanner), which glues it to its neighbour."""
    printable = bytes(range(0x21, 0x7F))
    out, valid = bytearray(), []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.5:
            code = bytes(rng.choice(printable) for _ in range(rng.randint(1, max_length)))
            valid.append(code.decode("ascii"))
            out += prefix + code + suffix
        elif kind < 0.9:
            out += bytes(rng.randrange(256) for _ in range(rng.randint(0, 80)))
        else:
            out += bytes(rng.choice(printable) for _ in range(rng.randint(max_length + 1, 200)))
        if rng.random() < 0.8:
            out += TERM_BYTES[terminator]
        else:
            out += rng.choice([b"\r", b"\n", b"\r\n"])
    return bytes(out), valid


def is_subsequence(needles: list, haystack: list) -> bool:
    it = iter(haystack)
    return all(any(n == h for h in it) for n in needles)


def feed_in_chunks(framer: LineFramer, stream: bytes, rng: random.Random) -> tuple[list, list]:
    codes, rejects, i = [], [], 0
    while i < len(stream):
        n = rng.randint(1, 40)
        c, r = framer.feed(stream[i:i + n])
        codes += c
        rejects += r
        i += n
    return codes, rejects


# --- LineFramer --------------------------------------------------------------

def test_framer_joins_chunks_into_codes():
    f = LineFramer("CR")
    assert f.feed(b"HX000") == ([], [])
    assert f.feed(b"00017\r69012") == (["HX00000017"], [])
    assert f.feed(b"34567892\rHX") == (["6901234567892"], [])
    assert f.feed(b"00000018") == ([], [])
    assert f.feed(b"\r") == (["HX00000018"], [])


@pytest.mark.parametrize("terminator, stream, codes, rejects", [
    ("CR", b"A1\rB2\r", ["A1", "B2"], []),
    ("CR", b"A1\nB2\r", ["A1", "B2"], []),  # a stray LF separates, it is never data
    ("CR", b"A1\r\nB2\r\n", ["A1", "B2"], []),  # set to CR, sends CRLF
    ("CR", b"\nA1\r\r\n\n\rB2\r", ["A1", "B2"], []),  # a CR/LF run is one separator
    ("LF", b"A1\nB2\n", ["A1", "B2"], []),
    ("LF", b"A1\rB2\n", ["A1", "B2"], []),
    ("LF", b"\r\nA1\r\nB2\r\n", ["A1", "B2"], []),
    ("CRLF", b"A1\r\nB2\r\n", ["A1", "B2"], []),  # empty line between CR and LF is silent
    ("CRLF", b"A1\rB2\nC3\n\rD4\r\n", ["A1", "B2", "C3", "D4"], []),  # stray variants still frame
])
def test_framer_terminators(terminator, stream, codes, rejects):
    assert LineFramer(terminator).feed(stream) == (codes, rejects)


def test_framer_strips_prefix_and_suffix_including_control_bytes():
    f = LineFramer("CR", prefix="\x02", suffix="\x03")
    assert f.feed(b"\x02HX00000017\x03\r") == (["HX00000017"], [])
    # a missing prefix/suffix is tolerated; the control byte itself is not a code
    assert f.feed(b"HX00000018\x03\r\x02HX00000019\r") == (["HX00000018", "HX00000019"], [])
    assert f.feed(b"\x02\x03\r") == ([], ["空码"])
    assert f.feed(b"\x02HX\x0100\x03\r") == ([], ["含不可打印字符"])
    g = LineFramer("CRLF", prefix="]E0", suffix="#")  # AIM id prefix
    assert g.feed(b"]E06901234567892#\r\n") == (["6901234567892"], [])


@pytest.mark.parametrize("line", [b"HX 0017", b"HX\x000017", b"HX\x7f17", b"HX\xff17",
                                  b"\x1b[A", "卡号".encode("utf-8")])
def test_framer_rejects_nonprintable(line):
    assert LineFramer("CR").feed(line + b"\rOK1\r") == (["OK1"], ["含不可打印字符"])


def test_framer_whitespace_only_lines_are_silent():
    assert LineFramer("CR").feed(b"\r   \r\t\rA\r") == (["A"], [])


def test_framer_length_limit_is_exact():
    f = LineFramer("CR", max_length=64)
    assert f.feed(b"7" * 64 + b"\r") == (["7" * 64], [])
    assert f.feed(b"7" * 65 + b"\r") == ([], ["过长"])


def test_framer_overlong_line_discards_until_terminator_across_chunks():
    f = LineFramer("CR", max_length=10)
    # the tail after the overflow must not come out as a short "valid" code
    assert f.feed(b"0123456789") == ([], [])
    assert f.feed(b"ABCDEF") == ([], [])
    assert f.feed(b"GHIJ") == ([], [])
    assert f.feed(b"KL\rHX01\r") == (["HX01"], ["过长"])


def test_framer_reset_discards_partial_line():
    f = LineFramer("CR")
    f.feed(b"HX0000")
    f.reset()
    assert f.feed(b"0017\r") == (["0017"], [])


def test_framer_expire_drops_partial_line_with_reason():
    f = LineFramer("CR", max_length=8)
    assert not f.pending and f.expire() is None
    f.feed(b"HX0000")
    assert f.pending
    assert f.expire() == "缺少结束符"
    assert not f.pending
    assert f.feed(b"0017\r") == (["0017"], [])
    f.feed(b"\n")  # the LF of a CRLF scanner in CR mode: dropped silently
    assert f.expire() is None
    assert f.feed(b"HX01\r") == (["HX01"], [])
    f.feed(b"123456789")  # overflowed, still unterminated
    assert f.expire() == "过长"
    assert f.feed(b"HX02\r") == (["HX02"], [])


@pytest.mark.parametrize("terminator, prefix, suffix", [
    ("CR", b"", b""), ("LF", b"", b""), ("CRLF", b"", b""), ("CRLF", b"\x02", b"\x03"),
])
def test_framer_fuzz_matches_reference_rules(terminator, prefix, suffix):
    rng = random.Random(f"{terminator}{prefix!r}")
    stream, valid = random_frames(rng, 10_000, terminator, prefix, suffix)
    f = LineFramer(terminator, prefix.decode("latin-1"), suffix.decode("latin-1"))
    codes, rejects = feed_in_chunks(f, stream, rng)
    assert (codes, rejects) == oracle(stream, terminator, prefix, suffix)
    # not vacuous: most valid frames survive and every reject kind occurs
    assert len(codes) > len(valid) // 2
    assert {"过长", "含不可打印字符"} <= set(rejects)
    if terminator == "CRLF":  # every frame is cleanly ended, so every generated code arrives
        assert is_subsequence(valid, codes)


@settings(max_examples=300, deadline=None)
@given(stream=st.binary(max_size=300), cuts=st.lists(st.integers(0, 300), max_size=20),
       terminator=st.sampled_from(["CR", "LF", "CRLF"]))
def test_framer_result_does_not_depend_on_chunking(stream, cuts, terminator):
    points = sorted({c for c in cuts if c <= len(stream)} | {0, len(stream)})
    f = LineFramer(terminator, max_length=16)
    codes, rejects = [], []
    for a, b in zip(points, points[1:]):
        c, r = f.feed(stream[a:b])
        codes += c
        rejects += r
    assert (codes, rejects) == oracle(stream, terminator, max_length=16)


# --- config, ports -----------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    {},  # neither port nor USB match
    {"port": "/dev/x", "terminator": "CRCR"},
    {"port": "/dev/x", "parity": "Q"},
    {"port": "/dev/x", "max_length": 0},
    {"port": "/dev/x", "line_timeout": 0},
    {"port": "/dev/x", "suffix": "\r"},
    {"port": "/dev/x", "prefix": "码"},  # not a single byte
])
def test_config_rejects_bad_settings(kwargs):
    with pytest.raises(ValueError):
        ScannerConfig(**kwargs)


def fake_port(device, vid=None, pid=None, serial_number=None, description="n/a"):
    return SimpleNamespace(device=device, vid=vid, pid=pid, serial_number=serial_number,
                           description=description)


PORTS = [
    fake_port("/dev/ttyUSB0", 0x0403, 0x6001, "FT123"),
    fake_port("/dev/ttyACM1", 0x1A86, 0x7523, "scn-b"),
    fake_port("/dev/ttyACM0", 0x1A86, 0x7523, "SCN-A"),
    fake_port("/dev/ttyS0"),
]


@pytest.mark.parametrize("match, device", [
    ({"vid": 0x0403}, "/dev/ttyUSB0"),
    ({"vid": 0x1A86, "pid": 0x7523}, "/dev/ttyACM0"),  # first by device path
    ({"vid": 0x1A86, "serial_number": "SCN-B"}, "/dev/ttyACM1"),  # case-insensitive
    ({"serial_number": "scn-a"}, "/dev/ttyACM0"),
    ({"vid": 0x1A86, "pid": 0x6001}, None),
    ({"serial_number": "nope"}, None),
    ({}, None),  # no criterion must not pick an arbitrary port
])
def test_find_port_matches_every_given_criterion(match, device):
    assert find_port(PORTS, **match) == device


def test_list_ports_returns_plain_sorted_rows():
    rows = list_ports(lambda: PORTS)
    assert [r.device for r in rows] == ["/dev/ttyACM0", "/dev/ttyACM1", "/dev/ttyS0", "/dev/ttyUSB0"]
    assert rows[0] == PortRow("/dev/ttyACM0", "n/a", 0x1A86, 0x7523, "SCN-A")


def test_resolve_port_prefers_usb_match_over_path():
    assert resolve_port(ScannerConfig(port="/dev/ttyS9"), lambda: PORTS) == "/dev/ttyS9"
    cfg = ScannerConfig(port="/dev/ttyS9", vid=0x0403, pid=0x6001)
    assert resolve_port(cfg, lambda: PORTS) == "/dev/ttyUSB0"
    assert resolve_port(cfg, lambda: []) is None


def test_resolve_port_prefers_the_remembered_path_among_identical_scanners():
    # two scanners with one VID/PID: the one last seen on ttyACM1 stays chosen
    cfg = ScannerConfig(port="/dev/ttyACM1", vid=0x1A86, pid=0x7523)
    assert resolve_port(cfg, lambda: PORTS) == "/dev/ttyACM1"
    moved = [p for p in PORTS if p.device != "/dev/ttyACM1"]
    assert resolve_port(cfg, lambda: moved) == "/dev/ttyACM0"
    # another device on the remembered path is not opened
    other = [fake_port("/dev/ttyACM1", 0x0403, 0x6001)]
    assert resolve_port(cfg, lambda: other) is None
    assert find_ports(PORTS, vid=0x1A86) == ["/dev/ttyACM0", "/dev/ttyACM1"]


@pytest.mark.parametrize("cfg, text", [
    ({"port": "/dev/ttyUSB0"}, "等待扫码枪：/dev/ttyUSB0"),
    ({"vid": 0x1A86, "pid": 0x7523}, "等待扫码枪 USB 1a86:7523"),
    ({"vid": 0x1A86}, "等待扫码枪 USB 1a86:*"),
    ({"vid": 0x1A86, "pid": 0x7523, "serial_number": "SCN-A", "port": "/dev/ttyACM0"},
     "等待扫码枪 USB 1a86:7523（序列号 SCN-A），上次在 /dev/ttyACM0"),
])
def test_waiting_for_names_the_port_or_the_usb_device(cfg, text):
    assert waiting_for(ScannerConfig(**cfg)) == text


# --- real pseudo-terminals ----------------------------------------------------

class Pty:
    """A fake scanner: the reader opens ``path``, we write ``master``."""

    def __init__(self):
        self.master, self.slave = os.openpty()
        self.path = os.ttyname(self.slave)

    def write_paced(self, data: bytes, byte_time: float = BYTE_TIME) -> None:
        start = time.perf_counter()
        for i in range(len(data)):
            os.write(self.master, data[i:i + 1])
            delay = start + (i + 1) * byte_time - time.perf_counter()
            if delay > 0:
                time.sleep(delay)

    def unplug(self) -> None:
        os.close(self.master)
        os.close(self.slave)


class Recorder:
    def __init__(self):
        self.codes: list[str] = []
        self.statuses: list[tuple[str, str]] = []
        self._cv = threading.Condition()

    def on_code(self, code):
        with self._cv:
            self.codes.append(code)
            self._cv.notify_all()

    def on_status(self, state, message):
        with self._cv:
            self.statuses.append((state, message))
            self._cv.notify_all()

    def wait(self, pred, timeout=3.0):
        with self._cv:
            ok = self._cv.wait_for(lambda: pred(self), timeout)
        assert ok, f"timed out; codes={self.codes} statuses={self.statuses}"

    def last_state(self):
        states = [s for s, _ in self.statuses if s != REJECTED]
        return states[-1] if states else None


@pytest.fixture
def pty_dev():
    dev = Pty()
    yield dev
    for fd in (dev.master, dev.slave):
        try:
            os.close(fd)
        except OSError:
            pass


def make_reader(rec, **cfg):
    # a long line_timeout unless a test is about it: a descheduled writer must not expire a line
    kwargs = {"read_timeout": 0.05, "reconnect_interval": 0.05, "line_timeout": 5.0}
    extra = {k: cfg.pop(k) for k in ("comports", "on_change") if k in cfg}
    kwargs.update(cfg)
    return ScannerReader(ScannerConfig(**kwargs), rec.on_code, rec.on_status, **extra)


@needs_pty
@pytest.mark.parametrize("terminator", ["CR", "LF", "CRLF"])
def test_reader_delivers_codes_at_scanner_pace(pty_dev, terminator):
    rec = Recorder()
    with make_reader(rec, port=pty_dev.path, terminator=terminator):
        rec.wait(lambda r: r.last_state() == CONNECTED)
        assert rec.statuses == [(CONNECTED, f"扫码枪已连接（{pty_dev.path}）")]
        codes = ["HX00000017", "6901234567892", "HX00000018"]
        for code in codes:
            pty_dev.write_paced(code.encode() + TERM_BYTES[terminator])
        rec.wait(lambda r: len(r.codes) >= 3)
        time.sleep(0.1)  # nothing extra (e.g. a split or duplicate code) trails in
    assert rec.codes == codes
    assert [s for s in rec.statuses if s[0] == REJECTED] == []


@needs_pty
@pytest.mark.parametrize("terminator", ["CR", "LF", "CRLF"])
def test_two_quick_crlf_scans_both_arrive_whatever_the_terminator_setting(pty_dev, terminator):
    # A scanner set to CR that sends CRLF: the LF used to stick to the next code,
    # which was then rejected as containing a non-printable character.
    rec = Recorder()
    with make_reader(rec, port=pty_dev.path, terminator=terminator):
        rec.wait(lambda r: r.last_state() == CONNECTED)
        os.write(pty_dev.master, b"CODE1\r\nCODE2\r\n")  # both scans in one burst
        rec.wait(lambda r: len(r.codes) >= 2)
        pty_dev.write_paced(b"\nCODE3\r")  # a stray LF at a code's start, at scanner pace
        rec.wait(lambda r: len(r.codes) >= 3)
        time.sleep(0.1)
    assert rec.codes == ["CODE1", "CODE2", "CODE3"]
    assert [s for s in rec.statuses if s[0] == REJECTED] == []


@needs_pty
def test_reader_strips_affixes_and_reports_rejects(pty_dev):
    rec = Recorder()
    with make_reader(rec, port=pty_dev.path, prefix="\x02", suffix="\x03", max_length=20):
        rec.wait(lambda r: r.last_state() == CONNECTED)
        pty_dev.write_paced(b"\x02HX00000017\x03\r")
        pty_dev.write_paced(b"\x02HX\x0700017\x03\r")  # BEL inside
        pty_dev.write_paced(b"\x02" + b"9" * 30 + b"\x03\r")  # over-long
        pty_dev.write_paced(b"  \r")  # whitespace only: silent
        pty_dev.write_paced(b"\x02\x03\r")  # affixes only
        pty_dev.write_paced(b"\x026901234567892\x03\r")
        rec.wait(lambda r: len(r.codes) >= 2)
    assert rec.codes == ["HX00000017", "6901234567892"]
    assert [m for s, m in rec.statuses if s == REJECTED] == [NONPRINTABLE, TOO_LONG, EMPTY]


@needs_pty
def test_unplug_discards_partial_line_and_replug_by_path_reconnects(tmp_path):
    # The configured path is a symlink (like /dev/serial/by-id/...): replug
    # creates a new pty and links it again, so the same path comes back.
    link = tmp_path / "scanner"
    first = Pty()
    os.symlink(first.path, link)
    rec = Recorder()
    reader = make_reader(rec, port=str(link))
    with reader:
        rec.wait(lambda r: r.last_state() == CONNECTED)
        first.write_paced(b"HX0000")  # half a scan, then the cable is pulled
        time.sleep(0.05)
        os.remove(link)  # as udev does; also keeps a reused /dev/pts number from being reopened
        first.unplug()
        rec.wait(lambda r: r.last_state() == DISCONNECTED)
        assert rec.statuses[-1] == (DISCONNECTED, "扫码枪未连接")
        assert not reader.connected and reader.port is None

        time.sleep(0.2)  # several failed reopen polls: still one status, no flapping
        assert [s for s, _ in rec.statuses] == [CONNECTED, DISCONNECTED]

        second = Pty()
        tmp = tmp_path / "scanner.new"
        os.symlink(second.path, tmp)
        os.replace(tmp, link)
        try:
            rec.wait(lambda r: r.last_state() == CONNECTED)
            second.write_paced(b"0017\rHX00000018\r")
            rec.wait(lambda r: len(r.codes) >= 2)
        finally:
            reader.stop()
            second.unplug()
    # "0017", not "HX00000017": the half line died with the first connection
    assert rec.codes == ["0017", "HX00000018"]
    assert [s for s, _ in rec.statuses] == [CONNECTED, DISCONNECTED, CONNECTED]


@needs_pty
def test_replug_found_again_by_usb_id_on_a_new_path():
    plugged: list = []  # what comports() sees right now
    calls = []

    def comports():
        calls.append(time.monotonic())
        return list(plugged)

    first = Pty()
    plugged[:] = [fake_port("/dev/ttyS0"), fake_port(first.path, 0x1A86, 0x7523, "SCN-A")]
    rec = Recorder()
    reader = make_reader(rec, vid=0x1A86, pid=0x7523, serial_number="SCN-A", comports=comports)
    with reader:
        rec.wait(lambda r: r.last_state() == CONNECTED)
        assert reader.port == first.path
        first.write_paced(b"HX00000017\r")
        rec.wait(lambda r: r.codes == ["HX00000017"])

        plugged[:] = [fake_port("/dev/ttyS0")]
        first.unplug()
        rec.wait(lambda r: r.last_state() == DISCONNECTED)
        n = len(calls)
        time.sleep(0.25)
        assert len(calls) >= n + 2  # keeps polling the port list while unplugged

        second = Pty()
        try:
            plugged.append(fake_port(second.path, 0x1A86, 0x7523, "scn-a"))
            rec.wait(lambda r: r.last_state() == CONNECTED)
            assert reader.port == second.path
            assert rec.statuses[-1] == (CONNECTED, f"扫码枪已连接（{second.path}）")
            second.write_paced(b"HX00000018\r")
            rec.wait(lambda r: len(r.codes) >= 2)
        finally:
            reader.stop()
            second.unplug()
    assert rec.codes == ["HX00000017", "HX00000018"]


@needs_pty
def test_configured_path_is_followed_to_a_new_path_by_usb_id():
    # Set up by path (the device seen there had 1a86:7523); replugged, it comes back
    # on another path. The status says what the reader waits for meanwhile.
    plugged: list = []
    changes: list[ScannerStatus] = []
    first = Pty()
    plugged[:] = [fake_port(first.path, 0x1A86, 0x7523)]
    rec = Recorder()
    reader = make_reader(rec, port=first.path, vid=0x1A86, pid=0x7523,
                         comports=lambda: list(plugged), on_change=changes.append)
    with reader:
        rec.wait(lambda r: r.last_state() == CONNECTED)
        assert reader.status == ScannerStatus(CONNECTED, f"扫码枪已连接（{first.path}）",
                                              first.path, "")
        plugged[:] = []
        first.unplug()
        rec.wait(lambda r: r.last_state() == DISCONNECTED)
        waiting = f"等待扫码枪 USB 1a86:7523，上次在 {first.path}"
        assert reader.status == ScannerStatus(DISCONNECTED, "扫码枪未连接", None, waiting)
        second = Pty()
        try:
            plugged[:] = [fake_port(second.path, 0x1A86, 0x7523)]
            rec.wait(lambda r: r.last_state() == CONNECTED)
            assert reader.port == second.path and reader.status.port == second.path
            second.write_paced(b"HX00000018\r")
            rec.wait(lambda r: r.codes == ["HX00000018"])
        finally:
            reader.stop()
            second.unplug()
    assert [(c.state, c.port, c.waiting) for c in changes] == [
        (CONNECTED, first.path, ""), (DISCONNECTED, None, waiting),
        (CONNECTED, second.path, "")]


@needs_pty
def test_missing_port_at_start_reports_disconnected_then_connects(tmp_path):
    link = tmp_path / "scanner"
    rec = Recorder()
    with make_reader(rec, port=str(link)) as reader:
        rec.wait(lambda r: r.statuses != [])
        assert rec.statuses == [(DISCONNECTED, "扫码枪未连接")]
        dev = Pty()
        try:
            os.symlink(dev.path, link)
            rec.wait(lambda r: r.last_state() == CONNECTED)
            dev.write_paced(b"HX00000017\r")
            rec.wait(lambda r: r.codes == ["HX00000017"])
        finally:
            reader.stop()
            dev.unplug()


@needs_pty
def test_reader_expires_a_line_that_never_ends(pty_dev):
    rec = Recorder()
    with make_reader(rec, port=pty_dev.path, terminator="CR", line_timeout=0.2):
        rec.wait(lambda r: r.last_state() == CONNECTED)
        pty_dev.write_paced(b"HX0000")  # scanner glitch: no terminator
        rec.wait(lambda r: r.statuses[-1][0] == REJECTED)
        assert rec.statuses[-1] == (REJECTED, "忽略无效扫码：缺少结束符")
        pty_dev.write_paced(b"0017\r")
        rec.wait(lambda r: r.codes != [])
    assert rec.codes == ["0017"]  # not "HX00000017" glued from two pieces


@needs_pty
def test_bytes_sent_before_open_are_not_glued_to_the_next_scan(pty_dev):
    # pins pyserial's flush-on-open, which the reader relies on instead of flushing itself
    os.write(pty_dev.master, b"0017")  # tail of a scan from before the app opened the port
    rec = Recorder()
    with make_reader(rec, port=pty_dev.path):
        rec.wait(lambda r: r.last_state() == CONNECTED)
        pty_dev.write_paced(b"HX00000018\r")
        rec.wait(lambda r: r.codes != [])
    assert rec.codes == ["HX00000018"]


@needs_pty
def test_stop_is_prompt_and_closes_the_port(pty_dev):
    rec = Recorder()
    reader = make_reader(rec, port=pty_dev.path, read_timeout=0.1)
    reader.start()
    rec.wait(lambda r: r.last_state() == CONNECTED)
    with pytest.raises(serial.SerialException):  # the reader holds the exclusive lock
        serial.Serial(pty_dev.path, exclusive=True)
    t0 = time.monotonic()
    reader.stop()
    assert time.monotonic() - t0 < 0.5
    assert not reader.is_alive()
    serial.Serial(pty_dev.path, exclusive=True).close()  # lock released: port closed
    pty_dev.write_paced(b"HX00000017\r")
    time.sleep(0.1)
    assert rec.codes == []


@needs_pty
def test_device_io_refuses_other_threads(pty_dev):
    rec = Recorder()
    with make_reader(rec, port=pty_dev.path) as reader:
        rec.wait(lambda r: r.last_state() == CONNECTED)
        for method in (reader._read_chunk, reader._open, reader._close):
            with pytest.raises(RuntimeError, match="scanner thread"):
                method()
        pty_dev.write_paced(b"HX00000017\r")  # the reader itself is unharmed
        rec.wait(lambda r: r.codes == ["HX00000017"])


@needs_pty
def test_failing_callback_does_not_kill_the_reader(pty_dev, caplog):
    caplog.set_level(logging.ERROR, logger="counter_app.devices.scanner")
    rec = Recorder()

    def on_code(code):
        rec.on_code(code)
        if code == "BOOM":
            raise ValueError("UI bug")

    reader = ScannerReader(ScannerConfig(port=pty_dev.path, read_timeout=0.05),
                           on_code, rec.on_status)
    with reader:
        rec.wait(lambda r: r.last_state() == CONNECTED)
        pty_dev.write_paced(b"BOOM\r")
        rec.wait(lambda r: r.codes == ["BOOM"])
        pty_dev.write_paced(b"HX00000017\r")
        rec.wait(lambda r: r.codes == ["BOOM", "HX00000017"])
        assert reader.is_alive() and reader.connected
    assert [r.exc_info[1].args for r in caplog.records] == [("UI bug",)]


@needs_pty
@pytest.mark.parametrize("terminator", ["CR", "CRLF"])
def test_reader_fuzz_through_a_real_pty(pty_dev, terminator):
    rng = random.Random(f"pty-{terminator}")
    stream, valid = random_frames(rng, 400, terminator)
    # a sentinel on a clean line tells us the reader has consumed everything
    stream += b"\rSENTINEL\r"
    expected_codes, expected_rejects = oracle(stream, terminator)
    rec = Recorder()
    with make_reader(rec, port=pty_dev.path, terminator=terminator) as reader:
        rec.wait(lambda r: r.last_state() == CONNECTED)
        i = 0
        while i < len(stream):  # random chunks, as a USB-CDC device delivers them
            n = rng.randint(1, 64)
            os.write(pty_dev.master, stream[i:i + n])
            i += n
            time.sleep(0.0005)
        rec.wait(lambda r: r.codes[-1:] == ["SENTINEL"], timeout=10)
        assert reader.is_alive() and reader.connected
    assert rec.codes == expected_codes
    if terminator == "CRLF":  # every frame is cleanly ended, so every generated code arrives
        assert is_subsequence(valid, rec.codes)
    assert [m for s, m in rec.statuses if s == REJECTED] == [
        f"忽略无效扫码：{r}" for r in expected_rejects]
    assert len(rec.codes) > len(valid) // 2
