"""``counter-app selftest``: is this counter PC ready for a day at the counter?

One list of checks, each 通过 (pass), 未通过 (fail) or 未设置 (skip: nothing configured
to check, e.g. no serial scanner because a keyboard-wedge one needs no settings), with a
Chinese line saying what was found and where. The command exits 1 when any check failed,
0 otherwise (skips do not fail). The settings page runs the same ``run()``.

Stable entry points (the package test and the settings page call them):
``run(db_path, settings=None) -> Report`` and ``Report.lines()`` / ``Report.ok``.

District probe: when the sync package is installed and this counter joined a district,
``counter_app.sync.probe.probe(db)`` is called if it exists. It returns a mapping with
``reachable`` (bool), ``credentials_ok`` (bool), ``server_time`` (naive-UTC datetime or
None) and ``detail`` (Chinese text), or raises a CounterError. Without it the district
checks are 未设置.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import socket
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from counter_app import clock
from counter_app.errors import CounterError

PASS, FAIL, SKIP, WARN = "pass", "fail", "skip", "warn"
# WARN: works, but not as the volunteers will expect (the verdict stays a pass)
STATUS_LABELS = {PASS: "通过", FAIL: "未通过", SKIP: "未设置", WARN: "注意"}
MIN_FREE_BYTES = 500 * 1024 * 1024  # a day of receipts and a backup need far less
CLOCK_SKEW = timedelta(minutes=5)  # against the district
CLOCK_BACK = timedelta(minutes=10)  # behind the newest journal entry of this counter
EARLIEST_PLAUSIBLE = datetime(2026, 1, 1)  # before this release: a dead CMOS battery
PORT_TIMEOUT = 2.0


@dataclass(frozen=True)
class Check:
    name: str  # Chinese, what was checked
    status: str  # PASS / FAIL / SKIP
    detail: str  # Chinese, what was found (and where)

    def line(self) -> str:
        mark = {PASS: "✓", FAIL: "✗", SKIP: "-", WARN: "!"}[self.status]
        return f"{mark} {self.name}：{STATUS_LABELS[self.status]} — {self.detail}"


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.status != FAIL for c in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.status == FAIL]

    def lines(self) -> list[str]:
        verdict = ("自检通过：这台电脑可以开始营业" if self.ok
                   else f"自检未通过：{len(self.failed)} 项需要处理")
        return [c.line() for c in self.checks] + [verdict]

    def add(self, name: str, status: str, detail: str) -> None:
        self.checks.append(Check(name, status, detail))


# --- the checks -------------------------------------------------------------------------


def _database(report: Report, db_path: Path) -> bool:
    from counter_app.backup import check_counter_db

    try:
        check_counter_db(db_path)
    except CounterError as exc:
        report.add("数据库完整性", FAIL, str(exc))
        return False
    report.add("数据库完整性", PASS, f"{db_path} 完整（integrity_check 通过）")
    return True


def _ledger(report: Report, db_path: Path) -> None:
    from counter_app import check

    try:
        result = check.verify(db_path)
    except CounterError as exc:
        report.add("账本检查", FAIL, str(exc))
        return
    if result.ok:
        report.add("账本检查", PASS, result.summary())
    else:
        shown = "；".join(str(f) for f in result.faults[:3])
        report.add("账本检查", FAIL, f"发现 {len(result.faults)} 处问题：{shown}"
                                     f"（运行 counter-app check 看全部）")


def _disk(report: Report, folder: Path) -> None:
    try:
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        report.add("磁盘空间", FAIL, f"无法读取 {folder} 所在磁盘（{exc.strerror or exc}）")
        return
    gb = free / 1024 ** 3
    if free < MIN_FREE_BYTES:
        report.add("磁盘空间", FAIL, f"{folder} 所在磁盘只剩 {gb:.2f} GB，至少需要 0.5 GB")
    else:
        report.add("磁盘空间", PASS, f"{folder} 所在磁盘剩余 {gb:.1f} GB")


def _fonts(report: Report) -> None:
    from counter_app.documents import fonts

    try:
        font = fonts.pdf_font()
    except Exception as exc:  # noqa: BLE001  (a broken font file: say so, do not crash)
        report.add("中文 PDF 字体", FAIL, f"字体无法载入（{exc}）")
        return
    if font.embedded and font.path is not None:
        report.add("中文 PDF 字体", PASS, f"{font.path}")
    else:
        report.add("中文 PDF 字体", FAIL, "未找到可嵌入的 TrueType 中文字体：请安装 "
                                         "fonts-wqy-microhei（Windows 自带微软雅黑）")


def _writable(folder: Path) -> str | None:
    """None if a file can be created (and removed) in ``folder``, else the reason."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".selftest-"):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _device_path(path: str) -> str | None:
    """None if a device or file path can be opened for writing, else why not."""
    if not path:
        return "没有填写端口或设备路径"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return f"{path} 打不开（{exc.strerror or exc}）"
    os.close(fd)
    return None


def _serial_port(port: str) -> str | None:
    if not port:
        return "没有填写串口"
    try:
        import serial

        serial.Serial(port, timeout=0).close()
    except (OSError, ValueError) as exc:  # SerialException is an OSError
        return f"串口 {port} 打不开（{exc}）"
    return None


def _tcp(host: str, port: int) -> str | None:
    if not host:
        return "没有填写打印机地址"
    try:
        socket.create_connection((host, int(port)), timeout=PORT_TIMEOUT).close()
    except OSError as exc:
        return f"{host}:{port} 连不上（{exc.strerror or exc}）"
    return None


def pdf_viewer_available() -> bool:
    """Whether the desktop can open a PDF (what the counter asks of it for each receipt).
    On Linux that takes xdg-open and a default application for PDFs; Windows and macOS
    always have one."""
    import shutil
    import subprocess
    import sys

    if not sys.platform.startswith("linux"):
        return True
    if shutil.which("xdg-open") is None or shutil.which("xdg-mime") is None:
        return False
    try:
        found = subprocess.run(["xdg-mime", "query", "default", "application/pdf"],
                               capture_output=True, text=True, timeout=PORT_TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(found.stdout.strip())


def _printer(report: Report, settings, db_path: Path) -> None:
    name = "小票打印机"
    output = settings.receipt_output
    if output == "pdf":
        from counter_app.documents.receipt_files import receipts_dir

        folder = receipts_dir(db_path)
        problem = _writable(folder)
        if problem:
            report.add(name, FAIL, f"PDF 小票文件夹 {folder} 无法写入（{problem}）")
        elif settings.open_receipt_pdf and not pdf_viewer_available():
            # trial: "printer OK" here, then a 小票未打印 box at every redemption
            report.add(name, WARN, f"小票存为 PDF（{folder} 可写入），但这台电脑上没有打开 PDF "
                                   f"的程序，小票不会自动打开打印：请安装 PDF 阅读器（如 "
                                   f"Evince、WPS），或接上小票打印机并在设置里改用它")
        else:
            report.add(name, PASS, f"小票存为 PDF：{folder} 可写入")
        return
    if output == "system":
        report.add(name, SKIP, f"系统打印机“{settings.system_printer or '默认打印机'}”"
                               f"由操作系统管理，请在设置里打印测试页")
        return
    kind = settings.escpos_connection
    if kind == "file":
        problem, where = _device_path(settings.escpos_file.strip()), settings.escpos_file
    elif kind == "serial":
        problem, where = _serial_port(settings.escpos_serial_port.strip()), \
            settings.escpos_serial_port
    elif kind == "network":
        problem, where = _tcp(settings.escpos_host.strip(), settings.escpos_port), \
            f"{settings.escpos_host}:{settings.escpos_port}"
    elif kind == "usb":
        problem, where = None, f"USB {settings.escpos_usb_vid}:{settings.escpos_usb_pid}"
        try:
            from counter_app.documents.thermal import escpos_module

            if not escpos_module().Usb.is_usable():
                problem = "USB 打印需要安装 pyusb"
        except Exception as exc:  # noqa: BLE001
            problem = str(exc)
    else:
        problem, where = f"未知的连接方式“{kind}”", kind
    report.add(name, FAIL if problem else PASS,
               f"ESC/POS（{kind}）：{problem}" if problem else f"ESC/POS（{kind}）{where} 可以打开")


def _scanner(report: Report, settings) -> None:
    name = "扫码枪"
    if settings.scanner_match_usb:
        from counter_app.devices.serial_ports import find_port
        from serial.tools.list_ports import comports

        try:
            port = find_port(comports(), settings.scanner_vid, settings.scanner_pid,
                             settings.scanner_serial_number or None)
        except Exception as exc:  # noqa: BLE001  (an odd USB descriptor)
            port, why = None, str(exc)
        else:
            why = "没有插上"
        if port is None:
            report.add(name, FAIL, f"USB 扫码枪 {settings.scanner_vid}:{settings.scanner_pid} "
                                   f"{why}")
            return
        problem, where = _serial_port(port), port
    elif settings.scanner_port:
        problem, where = _serial_port(settings.scanner_port), settings.scanner_port
    else:
        report.add(name, SKIP, "未设置串口扫码枪（键盘模式的扫码枪无需设置，扫一下卡即可）")
        return
    report.add(name, FAIL if problem else PASS, problem or f"串口 {where} 可以打开")


def _backup_folder(report: Report, settings) -> None:
    name = "备份文件夹"
    if not settings.backup_folder:
        report.add(name, SKIP, "未设置备份文件夹（设置后每天日结和定时自动加密备份）")
        return
    folder = Path(settings.backup_folder)
    if not folder.is_dir():
        report.add(name, FAIL, f"{folder} 不存在（U 盘没插上？）")
        return
    problem = _writable(folder)
    report.add(name, FAIL if problem else PASS,
               f"{folder} 无法写入（{problem}）" if problem else f"{folder} 可写入")


def _newest_entry(db_path: Path) -> datetime | None:
    """created_at of this counter's newest journal entry (by its heads), read-only."""
    from counter_app.db.engine import connect_readonly

    con = connect_readonly(db_path)
    try:
        rows = con.execute(
            "SELECT MAX(j.created_at) FROM journal_heads h "
            "JOIN settings s ON s.key = 'local_counter_id' AND s.value = h.counter_id "
            "JOIN points_journal j ON j.counter_id = h.counter_id AND j.seq = h.last_seq "
            "WHERE h.journal = 'points' UNION ALL "
            "SELECT MAX(j.created_at) FROM journal_heads h "
            "JOIN settings s ON s.key = 'local_counter_id' AND s.value = h.counter_id "
            "JOIN stock_journal j ON j.counter_id = h.counter_id AND j.seq = h.last_seq "
            "WHERE h.journal = 'stock'").fetchall()
    finally:
        con.close()
    stamps = [datetime.fromisoformat(r[0]) for r in rows if r[0]]
    return max(stamps) if stamps else None


def _sync_probe():
    """counter_app.sync.probe.probe if the sync package provides it, else None."""
    try:
        if importlib.util.find_spec("counter_app.sync") is None:
            return None
        if importlib.util.find_spec("counter_app.sync.probe") is None:
            return None
        return getattr(importlib.import_module("counter_app.sync.probe"), "probe", None)
    except ImportError:
        return None


def _district(report: Report, db_path: Path, db_ok: bool) -> datetime | None:
    """District reachable and credentials valid; returns the district's clock if known."""
    if not db_ok:
        report.add("街道服务器", SKIP, "数据库不可用，未检查")
        return None
    from counter_app.db.engine import open_readonly
    from counter_app.district_identity import district_identity

    ro = open_readonly(db_path)
    try:
        ident = district_identity(ro)
    except CounterError as exc:
        report.add("街道服务器", FAIL, str(exc))
        return None
    probe = _sync_probe()
    if ident.district_id is None:
        report.add("街道服务器", SKIP, "本柜台尚未加入街道（单机使用）")
        ro.dispose()
        return None
    if probe is None:
        report.add("街道服务器", SKIP, "本程序未包含同步模块，未检查")
        ro.dispose()
        return None
    try:
        result = probe(ro)
    except CounterError as exc:
        report.add("街道服务器", FAIL, str(exc))
        return None
    except Exception as exc:  # noqa: BLE001  (any network failure is a finding here)
        report.add("街道服务器", FAIL, f"连接出错（{type(exc).__name__}：{exc}）")
        return None
    finally:
        ro.dispose()
    detail = str(result.get("detail") or "")
    if not result.get("reachable"):
        report.add("街道服务器", FAIL, detail or "连不上街道服务器（网络断了？）")
        return None
    report.add("街道服务器", PASS, detail or "可以连接")
    report.add("街道账号", PASS if result.get("credentials_ok") else FAIL,
               "账号和密码有效" if result.get("credentials_ok")
               else (detail or "街道服务器不接受本柜台的账号或密码"))
    return result.get("server_time")


def _clock(report: Report, db_path: Path, db_ok: bool, server_time: datetime | None) -> None:
    name = "电脑时间"
    now = clock.now_utc()
    from counter_app.localtime import to_local

    shown = to_local(now).strftime("%Y-%m-%d %H:%M")
    if server_time is not None:
        skew = now - server_time
        if abs(skew) > CLOCK_SKEW:
            report.add(name, FAIL, f"本机时间 {shown} 与街道服务器相差 "
                                   f"{round(abs(skew).total_seconds() / 60)} 分钟，请校准时间")
            return
    if now < EARLIEST_PLAUSIBLE:
        report.add(name, FAIL, f"本机时间 {shown} 不可能是对的（主板电池没电？），请校准时间")
        return
    newest = _newest_entry(db_path) if db_ok else None
    if newest is not None and now < newest - CLOCK_BACK:
        report.add(name, FAIL, f"本机时间 {shown} 早于本柜台最近一笔记录 "
                               f"{to_local(newest).strftime('%Y-%m-%d %H:%M')}：时间被调回了，"
                               f"请校准时间")
        return
    against = "与街道服务器一致" if server_time is not None else "晚于本柜台最近一笔记录"
    report.add(name, PASS, f"本机时间 {shown}，{against}")


def run(db_path: Path | str, settings=None) -> Report:
    """Every check, in the order a volunteer would fix things."""
    from counter_app.config import LocalSettings

    db_path = Path(db_path)
    settings = settings or LocalSettings.load()
    report = Report()
    db_ok = _database(report, db_path)
    if db_ok:
        _ledger(report, db_path)
    else:
        report.add("账本检查", SKIP, "数据库不可用，未检查")
    _disk(report, (db_path.parent if db_path.parent.exists() else Path.cwd()).absolute())
    _fonts(report)
    _printer(report, settings, db_path)
    _scanner(report, settings)
    _backup_folder(report, settings)
    server_time = _district(report, db_path, db_ok)
    _clock(report, db_path, db_ok, server_time)
    return report
