"""Runs that test less than they seem to. Under CI=true nothing is skipped silently: a skip
fails unless its reason is allowed here. A run that collected no tests says so loudly.

A skip on a developer's machine (no font, no pty) is a convenience; on CI, where set-up
installs everything, the same skip would hide a test that never ran.
"""

from __future__ import annotations

import os

import pytest

# Exact skip reasons CI accepts, each with why it is not a hole in the suite.
ALLOWED_SKIP_REASONS = {
    "needs POSIX pseudo-terminals": "platform: Windows has no ptys; the scanner is tested on POSIX",
}


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def skip_reason(report) -> str:
    longrepr = report.longrepr
    text = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return text.removeprefix("Skipped: ")


def _refuse(report) -> None:
    reason = skip_reason(report)
    if reason in ALLOWED_SKIP_REASONS:
        return
    report.outcome = "failed"
    report.longrepr = (f"skipped under CI=true, and the reason {reason!r} is not in "
                       f"ALLOWED_SKIP_REASONS (tests/ci_guards.py): make the test run on CI, "
                       f"or allow the reason there with why")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if on_ci() and report.skipped and not hasattr(report, "wasxfail"):
        _refuse(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    report = yield
    if on_ci() and report.skipped:
        _refuse(report)
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        # pytest's own "no tests ran" is easy to read past in a CI log; .ci/run fails on it.
        terminalreporter.write_line(
            "FAILED: pytest collected no tests (exit 5): this run tested nothing.", red=True)
