"""The log check (tests/logfail.py): a WARNING record fails the test that did not declare
it, from any thread. Each case runs an inner pytest in a subprocess (pytester), so the
inner records do not reach this process's own log check."""

from __future__ import annotations

import importlib
import logging
import pkgutil

import pytest

import counter_app
from conftest import SRC, TESTS

PLUGINS = 'pytest_plugins = ["logfail", "ci_guards"]\n'

THREAD_WARNING = """
import logging, threading
import pytest

def warn_from_a_thread():
    t = threading.Thread(target=lambda: logging.getLogger("counter_app.devices.scanner")
                         .warning("port vanished"), name="scanner-reader")
    t.start()
    t.join()
"""


@pytest.fixture
def inner(pytester, monkeypatch):
    """Run an inner test file with the log check loaded; returns the RunResult."""
    monkeypatch.setenv("PYTHONPATH", f"{TESTS}:{SRC}")
    monkeypatch.delenv("CI", raising=False)
    pytester.makeconftest(PLUGINS)

    def run(source: str, *args: str):
        pytester.makepyfile(test_inner=source)
        return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:pytest-qt",
                                             *args)
    return run


def test_undeclared_warning_from_a_background_thread_fails_the_test(inner):
    result = inner(THREAD_WARNING + """
def test_it():
    warn_from_a_thread()
""")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*unexpected log record(s) of WARNING or above during the test*",
        "*WARNING counter_app.devices.scanner [[]thread scanner-reader[]]: port vanished*",
    ])


def test_a_warning_declared_with_the_marker_passes(inner):
    result = inner(THREAD_WARNING + """
@pytest.mark.expect_log("counter_app.devices", "WARNING", "port vani")
def test_it():
    warn_from_a_thread()
""")
    result.assert_outcomes(passed=1)


def test_the_marker_does_not_cover_another_level_logger_or_message(inner):
    result = inner(THREAD_WARNING + """
@pytest.mark.expect_log("counter_app.devices.scanner", "ERROR", "port vanished")
def test_level(): warn_from_a_thread()

@pytest.mark.expect_log("counter_app.devices.scan", "WARNING", "port vanished")
def test_logger(): warn_from_a_thread()

@pytest.mark.expect_log("counter_app.devices.scanner", "WARNING", "port closed")
def test_message(): warn_from_a_thread()
""")
    result.assert_outcomes(failed=3)


def test_the_expect_log_fixture_declares_and_asserts_arrival(inner):
    result = inner(THREAD_WARNING + """
def test_declared(expect_log):
    with expect_log("counter_app", logging.WARNING, "vanished") as seen:
        warn_from_a_thread()
    assert [r.threadName for r in seen.records] == ["scanner-reader"]

def test_declared_but_never_logged(expect_log):
    with expect_log("counter_app", "WARNING", "vanished"):
        pass
""")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*expected a WARNING record from counter_app matching "
                                 "'vanished'; none arrived*"])


def test_caplog_at_exactly_that_level_counts_as_declared(inner):
    result = inner(THREAD_WARNING + """
def test_listening(caplog):
    caplog.set_level(logging.WARNING, logger="counter_app.devices")
    warn_from_a_thread()
    assert "port vanished" in caplog.text

def test_listening_at_info_is_not_declaring(caplog):
    caplog.set_level(logging.INFO, logger="counter_app.devices")
    warn_from_a_thread()
""")
    result.assert_outcomes(passed=1, failed=1)


def test_records_in_fixture_teardown_fail_the_teardown(inner):
    result = inner(THREAD_WARNING + """
@pytest.fixture
def device():
    yield
    warn_from_a_thread()  # a reader thread complaining while it is stopped

def test_it(device):
    pass
""")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*during teardown*", "*port vanished*"])


def test_a_counter_app_logger_that_stops_propagating_fails(inner):
    result = inner("""
import logging

def test_it(monkeypatch):
    monkeypatch.setattr(logging.getLogger("counter_app.devices.scanner"), "propagate", False)
""")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*do not reach the root logger*counter_app.devices.scanner*"])


def test_infos_and_a_failing_test_are_left_alone(inner):
    result = inner("""
import logging

def test_info():
    logging.getLogger("counter_app").info("fine")

def test_fails_for_its_own_reason():
    logging.getLogger("counter_app").error("and logs")
    assert False, "own reason"
""")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.no_fnmatch_line("*unexpected log record*")


def test_every_counter_app_logger_propagates_to_the_root():
    # Import everything outside ui/ (ui/ modules are imported by the GUI tests) so that every
    # module-level logger exists; none may keep its records from the log check.
    for mod in pkgutil.walk_packages(counter_app.__path__, "counter_app."):
        if not any(part in mod.name for part in (".ui", ".migrations", "__main__")):
            importlib.import_module(mod.name)
    names = [n for n in logging.root.manager.loggerDict if n.startswith("counter_app")]
    assert "counter_app.devices.scanner" in names
    assert [n for n in names if not logging.getLogger(n).propagate] == []


def test_a_warning_outside_any_test_fails_the_run(inner):
    result = inner("""
import logging
logging.getLogger("counter_app.documents.fonts").warning("no CJK font")  # at collection

def test_it(): pass
""")
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*log records of WARNING or above outside any test*",
                                 "*WARNING counter_app.documents.fonts*no CJK font*"])


def test_every_expected_log_entry_names_an_existing_test():
    from conftest import EXPECTED_LOGS

    for nodeid in EXPECTED_LOGS:
        path, _, name = nodeid.partition("::")
        source = (TESTS.parent / path).read_text(encoding="utf-8")
        assert f"def {name}(" in source, f"EXPECTED_LOGS names a test that is gone: {nodeid}"
