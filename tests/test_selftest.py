"""``counter-app selftest``: a Chinese pass/fail list, exit 1 on a failure (issue 11, item 6)."""

import sqlite3
from datetime import datetime, timedelta

from counter_app import clock, selftest
from counter_app.config import LocalSettings


def _by_name(report):
    return {c.name: c for c in report.checks}


def test_a_healthy_counter_passes_and_lists_every_check(counter, tmp_path):
    settings = LocalSettings(backup_folder=str(tmp_path / "usb"))
    (tmp_path / "usb").mkdir()
    report = selftest.run(counter.db.path, settings)
    checks = _by_name(report)
    assert list(checks) == ["数据库完整性", "账本检查", "磁盘空间", "中文 PDF 字体", "小票打印机",
                            "扫码枪", "备份文件夹", "街道服务器", "电脑时间"]
    assert report.ok, report.lines()
    assert checks["备份文件夹"].status == selftest.PASS
    assert checks["扫码枪"].status == selftest.SKIP  # keyboard-wedge: nothing to set up
    assert report.lines()[-1] == "自检通过：这台电脑可以开始营业"


def test_a_tampered_ledger_a_missing_usb_stick_and_a_bad_printer_fail(counter, tmp_path):
    counter.member(points=10)
    counter.db.dispose()
    con = sqlite3.connect(counter.db.path, isolation_level=None)
    con.execute("DROP TRIGGER points_journal_no_update")
    con.execute("UPDATE points_journal SET delta = 99 WHERE seq = 1")
    con.close()
    settings = LocalSettings(backup_folder=str(tmp_path / "gone"), receipt_output="escpos",
                             escpos_connection="file", escpos_file=str(tmp_path / "no" / "lp0"))
    report = selftest.run(counter.db.path, settings)
    checks = _by_name(report)
    assert not report.ok
    assert checks["账本检查"].status == selftest.FAIL and "内容被改动" in checks["账本检查"].detail
    assert checks["备份文件夹"].detail == f"{tmp_path / 'gone'} 不存在（U 盘没插上？）"
    assert checks["小票打印机"].status == selftest.FAIL and "lp0 打不开" in checks["小票打印机"].detail
    assert report.lines()[-1] == "自检未通过：3 项需要处理"


def test_a_clock_set_back_behind_the_journal_fails(counter):
    counter.member(points=10)
    with clock.frozen(datetime.now() - timedelta(days=3)):
        report = selftest.run(counter.db.path, LocalSettings())
    check = _by_name(report)["电脑时间"]
    assert check.status == selftest.FAIL and "时间被调回了" in check.detail


def test_cli_exit_code_follows_the_verdict(counter, run_cli, tmp_path):
    counter.db.dispose()
    ok = run_cli("--db", counter.db.path, "selftest")
    assert ok.rc == 0, ok
    assert "✓ 账本检查：通过" in ok.stdout and "自检通过" in ok.stdout
    missing = run_cli("--db", tmp_path / "none.db", "selftest")
    assert missing.rc == 1 and "✗ 数据库完整性：未通过" in missing.stdout
    assert missing.stderr == ""


def test_pdf_receipts_without_a_pdf_viewer_are_a_warning_not_a_pass(counter, tmp_path,
                                                                  monkeypatch):
    """Trial: the selftest said the printer was fine, then every redemption said 小票未打印
    (no program opens the PDF). Still a pass: the receipts are saved."""
    settings = LocalSettings(backup_folder=str(tmp_path), receipt_output="pdf",
                             open_receipt_pdf=True)
    monkeypatch.setattr(selftest, "pdf_viewer_available", lambda: False)
    report = selftest.run(counter.db.path, settings)
    printer = _by_name(report)["小票打印机"]
    assert printer.status == selftest.WARN and "没有打开 PDF 的程序" in printer.detail
    assert printer.line().startswith("! 小票打印机：注意")
    assert report.ok and report.lines()[-1] == "自检通过：这台电脑可以开始营业"
    monkeypatch.setattr(selftest, "pdf_viewer_available", lambda: True)
    assert _by_name(selftest.run(counter.db.path, settings))["小票打印机"].status == selftest.PASS
    quiet = LocalSettings(backup_folder=str(tmp_path), receipt_output="pdf",
                          open_receipt_pdf=False)  # saved only, as set: nothing to warn about
    monkeypatch.setattr(selftest, "pdf_viewer_available", lambda: False)
    assert _by_name(selftest.run(counter.db.path, quiet))["小票打印机"].status == selftest.PASS
