"""A log folder that cannot be written (read-only home, full disk) is no reason not to start."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler

import pytest

from counter_app.logs import setup_logging

from fs_fixtures import readonly_dir  # noqa: F401  (fixture)


@pytest.fixture
def clean_root():
    """Root logger without file handlers for the test (another test's GUI start may have
    set one up), restored afterwards."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    for handler in before:
        if isinstance(handler, RotatingFileHandler):
            root.removeHandler(handler)
    yield root
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    for handler in before:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)


@pytest.mark.expect_log("counter_app.logs", "WARNING", "无法写入日志文件夹")
def test_unwritable_log_folder_means_no_file_log(readonly_dir, clean_root, caplog):
    with caplog.at_level(logging.WARNING):
        assert setup_logging(readonly_dir / "logs") is None
    assert "无法写入日志文件夹" in caplog.text
    assert not any(isinstance(h, RotatingFileHandler) for h in clean_root.handlers)


def test_writable_log_folder_gets_the_file(tmp_path, clean_root):
    path = setup_logging(tmp_path / "logs")
    logging.getLogger("counter_app.test").info("hello")
    assert path == tmp_path / "logs" / "counter_app.log" and "hello" in path.read_text()
