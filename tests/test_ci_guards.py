"""Runs that test less than they seem to: under CI=true a skip fails unless its reason is
allowed (tests/ci_guards.py), an empty run fails .ci/run, and the crash loop is `slow`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ci_guards import ALLOWED_SKIP_REASONS
from conftest import SRC, TESTS

REPO = TESTS.parent

SKIPS = """
import sys
import pytest

def test_runs(): pass

def test_unknown_reason():
    pytest.skip("no printer attached")

@pytest.mark.skipif(True, reason="needs POSIX pseudo-terminals")
def test_allowed_reason(): pass

@pytest.mark.xfail(reason="known bug", strict=True)
def test_xfail(): assert False
"""


@pytest.fixture
def inner(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", f"{TESTS}:{SRC}")
    pytester.makeconftest('pytest_plugins = ["ci_guards"]\n')

    def run(ci: str | None, **files):
        if ci is None:
            monkeypatch.delenv("CI", raising=False)
        else:
            monkeypatch.setenv("CI", ci)
        pytester.makepyfile(**files)
        return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:pytest-qt",
                                             "-rs")
    return run


def test_under_ci_a_skip_fails_unless_its_reason_is_allowed(inner):
    result = inner("true", test_inner=SKIPS)
    result.assert_outcomes(passed=1, failed=1, skipped=1, xfailed=1)
    result.stdout.fnmatch_lines(["*test_unknown_reason*",
                                 "*skipped under CI=true*'no printer attached'*"])


def test_a_module_skipped_at_import_fails_under_ci(inner):
    result = inner("true", test_inner="""
import pytest
pytest.importorskip("no_such_module_here")

def test_never(): pass
""")
    assert result.ret == pytest.ExitCode.INTERRUPTED  # a failed collection stops the run
    result.stdout.fnmatch_lines(["*skipped under CI=true*no_such_module_here*"])


def test_without_ci_skips_are_skips(inner):
    result = inner(None, test_inner=SKIPS)
    result.assert_outcomes(passed=1, skipped=2, xfailed=1)


def test_allowed_reasons_say_why():
    assert all(why.strip() for why in ALLOWED_SKIP_REASONS.values())


def test_a_run_that_collected_nothing_says_so(inner):
    result = inner(None, test_inner="def helper(): pass\n")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.stdout.fnmatch_lines(["*FAILED: pytest collected no tests (exit 5)*"])


@pytest.mark.parametrize("pytest_rc, ci_rc", [(0, 0), (1, 1), (2, 2), (5, 1)])
def test_ci_run_fails_an_empty_run_and_passes_on_other_codes(tmp_path, pytest_rc, ci_rc):
    # The real .ci/run next to a stand-in ./run that exits as pytest would.
    (tmp_path / ".ci").mkdir()
    shutil.copy(REPO / ".ci" / "run", tmp_path / ".ci" / "run")
    stub = tmp_path / "run"
    stub.write_text(f'#!/usr/bin/env bash\necho "args=$* CI=$CI"\nexit {pytest_rc}\n')
    stub.chmod(0o755)
    done = subprocess.run([str(tmp_path / ".ci" / "run"), "-x"], capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == ci_rc, done.stdout + done.stderr
    assert done.stdout.strip() == "args=test -x CI=true"
    assert ("collected no tests" in done.stderr) == (pytest_rc == 5)


def test_the_crash_loop_is_marked_slow():
    import test_crash

    marks = getattr(test_crash.test_sigkill_during_redemptions_loses_nothing_committed,
                    "pytestmark", [])
    assert "slow" in [m.name for m in marks]
    assert Path(test_crash.__file__).resolve().parent == TESTS


def test_the_shipped_settings_fail_a_test_whose_thread_dies(pytester, monkeypatch):
    # Our [tool.pytest.ini_options] as they are, on an inner test: an exception that escapes
    # a thread must not pass unnoticed.
    shutil.copy(REPO / "pyproject.toml", pytester.path / "pyproject.toml")
    monkeypatch.delenv("CI", raising=False)
    pytester.makepyfile(test_inner="""
import threading

def test_thread_dies():
    t = threading.Thread(target=lambda: 1 / 0, name="scanner-reader")
    t.start()
    t.join()
""")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "test_inner.py")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*ZeroDivisionError*"])
