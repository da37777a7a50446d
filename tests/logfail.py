"""Fail a test on any log record of WARNING or above that it did not declare.

Like qutebrowser's tests/helpers/logfail.py, but the records are collected rather than
failed inside ``emit``: the scanner reader and the DB worker log on their own threads,
where a ``pytest.fail`` raised in the handler would only kill that thread. One handler on
the root logger for the whole session tags each record with the test running when it was
emitted; the test's setup, call and teardown each fail if records they collected were not
declared.

A test declares a record it expects with

* the marker ``@pytest.mark.expect_log(logger, level, message_regex)`` (repeatable), or
* the fixture ``expect_log(logger, level, message_regex)``: allowed from then on until the
  test ends; used as a ``with`` block it also asserts that such a record arrived, or
* pytest's ``caplog.set_level(level, logger=...)`` / ``caplog.at_level(...)`` with exactly
  the record's level (qutebrowser's rule: a test that listens at that level expects it).

``logger`` matches that logger and its children; ``level`` is a number or a name.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field

import pytest

MIN_LEVEL = logging.WARNING
# Our loggers must reach the root handler; a logger that stops propagating hides its records.
OWN_LOGGER = "counter_app"


@dataclass
class Expectation:
    logger: str
    level: int
    pattern: re.Pattern
    records: list = field(default_factory=list)

    def matches(self, record: logging.LogRecord) -> bool:
        in_tree = (not self.logger or record.name == self.logger
                   or record.name.startswith(self.logger + "."))
        return (in_tree and record.levelno == self.level
                and self.pattern.search(record.getMessage()) is not None)

    def __enter__(self) -> "Expectation":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None and not self.records:
            pytest.fail(f"expected a {logging.getLevelName(self.level)} record from "
                        f"{self.logger or 'any logger'} matching {self.pattern.pattern!r}; "
                        f"none arrived", pytrace=False)


def expectation(logger: str, level: int | str, message: str = "") -> Expectation:
    if isinstance(level, str):
        level = logging.getLevelNamesMapping()[level.upper()]
    return Expectation(logger, level, re.compile(message))


@dataclass
class _TestLog:
    nodeid: str
    expected: list[Expectation]
    unexpected: list[logging.LogRecord] = field(default_factory=list)


class CollectingHandler(logging.Handler):
    """Sorts every record of MIN_LEVEL and above, from any thread, into the running test."""

    def __init__(self) -> None:
        super().__init__(MIN_LEVEL)
        self._records_lock = threading.Lock()
        self.current: _TestLog | None = None
        self.outside_tests: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        with self._records_lock:
            test = self.current
            if test is None:
                self.outside_tests.append(record)
                return
            for exp in test.expected:
                if exp.matches(record):
                    exp.records.append(record)
                    return
            if not _listened_to_at_its_level(record):
                test.unexpected.append(record)

    def start(self, test: _TestLog) -> None:
        with self._records_lock:
            self.current = test

    def stop(self) -> None:
        with self._records_lock:
            self.current = None

    def declare(self, exp: Expectation) -> None:
        with self._records_lock:
            if self.current is not None:
                self.current.expected.append(exp)

    def take_unexpected(self) -> list[logging.LogRecord]:
        with self._records_lock:
            test = self.current
            if test is None:
                return []
            taken, test.unexpected = test.unexpected, []
            return taken


def _listened_to_at_its_level(record: logging.LogRecord) -> bool:
    # caplog.set_level(ERROR, logger="x") sets x's level to ERROR: an ERROR record from x (or
    # a child without its own level) is what that test listens for. The root logger's level
    # is WARNING by default, so it says nothing and is not consulted.
    logger = logging.getLogger(record.name)
    while logger is not None and logger is not logging.root:
        if logger.level != logging.NOTSET:
            return logger.level == record.levelno
        logger = logger.parent
    return False


def describe(records: list[logging.LogRecord]) -> str:
    return "\n".join(f"  {r.levelname} {r.name} [thread {r.threadName}]: {r.getMessage()}"
                     + (f"\n    {r.exc_info[0].__name__}: {r.exc_info[1]}" if r.exc_info else "")
                     for r in records)


def _not_propagating() -> list[str]:
    names = [OWN_LOGGER] + [n for n in list(logging.root.manager.loggerDict)
                            if n.startswith(OWN_LOGGER + ".")]
    bad = []
    for name in names:
        logger = logging.getLogger(name)
        if not logger.propagate or logger.disabled:
            bad.append(name)
    if logging.root.manager.disable >= MIN_LEVEL:
        bad.append(f"logging.disable({logging.getLevelName(logging.root.manager.disable)})")
    return bad


_handler = CollectingHandler()


def _check(phase: str) -> None:
    unexpected = _handler.take_unexpected()
    hidden = _not_propagating()
    if hidden:
        pytest.fail(f"these loggers do not reach the root logger, so the log check cannot "
                    f"see them: {', '.join(hidden)}", pytrace=False)
    if unexpected:
        pytest.fail(f"unexpected log record(s) of WARNING or above during {phase} "
                    f"(declare them with @pytest.mark.expect_log or the expect_log "
                    f"fixture if the test expects them):\n{describe(unexpected)}",
                    pytrace=False)


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "expect_log(logger, level, message_regex): a log record of WARNING or "
        "above this test expects (tests/logfail.py)")
    logging.root.addHandler(_handler)


def pytest_unconfigure(config) -> None:
    logging.root.removeHandler(_handler)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    expected = [expectation(*m.args, **m.kwargs) for m in item.iter_markers("expect_log")]
    _handler.start(_TestLog(item.nodeid, expected))
    try:
        return (yield)
    finally:
        _handler.stop()


def _phase(name: str):
    @pytest.hookimpl(wrapper=True)
    def hook(item):
        try:
            result = yield
        except BaseException:
            _handler.take_unexpected()  # the test failed anyway; pytest shows its captured log
            raise
        _check(name)
        return result
    return hook


pytest_runtest_setup = _phase("setup")
pytest_runtest_call = _phase("the test")
pytest_runtest_teardown = _phase("teardown")


@pytest.fixture
def expect_log():
    """Declare a record the test expects: ``expect_log(logger, level, message_regex)``."""
    def declare(logger: str, level: int | str, message: str = "") -> Expectation:
        exp = expectation(logger, level, message)
        _handler.declare(exp)
        return exp
    return declare


def _outside_tests() -> list[logging.LogRecord]:
    """Records of no test (collection, session start and end): they fail the run."""
    return [r for r in _handler.outside_tests if not _listened_to_at_its_level(r)]


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    records = _outside_tests()
    if records:
        terminalreporter.section("log records of WARNING or above outside any test", red=True)
        terminalreporter.line(describe(records))


def pytest_sessionfinish(session, exitstatus) -> None:
    if exitstatus == 0 and _outside_tests():
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
