"""File choosers keep the database's locks (ui/common/file_dialogs.py). Trial: browsing
the database's folder in the item-picture chooser dropped the counter's SQLite locks (Qt
opened the files to guess their icons; closing any descriptor of a file drops a process's
POSIX locks on it), and another program's read then removed the WAL being written."""

from __future__ import annotations

import os
import sys

import pytest
from sqlalchemy import text

from counter_app.ui.common.context import UiContext

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads the locks from /proc/locks")


def own_locks(path) -> list[str]:
    inode = os.stat(path).st_ino
    with open("/proc/locks") as f:
        return [line for line in f if line.split()[4] == str(os.getpid())
                and line.split()[5].endswith(f":{inode}")]


def listed_folder(qtbot, dialog, folder) -> None:
    dialog.setDirectory(str(folder))
    dialog.show()
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    qtbot.wait(800)  # the listing (and any type guessing) happens on Qt's threads


def test_the_picture_chooser_browses_the_databases_folder_and_keeps_its_locks(
        qtbot, counter, tmp_path):
    from counter_app.ui.stock.items_page import StockItemsPage

    page = StockItemsPage(UiContext(db=counter.db, counter=counter.info,
                                    actor=counter.stock_staff), out_dir=tmp_path)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activate()
    with counter.db.read() as s:  # a read transaction holds a lock on the file
        s.execute(text("SELECT count(*) FROM members")).scalar()
        held = own_locks(counter.db.path)
        assert held
        page.picture_button.click()
        listed_folder(qtbot, page.picture_dialog, counter.db.path.parent)
        # the bug dropped every lock at once; the ranges held may change with other
        # statements of this process, so what is asserted is that the locks are still there
        assert own_locks(counter.db.path)
        page.picture_dialog.reject()


def test_every_chooser_of_the_app_is_the_safe_one(qtbot, counter):
    from PySide6.QtWidgets import QWidget

    from counter_app.ui.common.file_dialogs import NameOnlyIcons, file_dialog

    parent = QWidget()
    qtbot.addWidget(parent)
    for save in (False, True):
        dialog = file_dialog(parent, "t", str(counter.db.path.parent), "表格 (*.xlsx)", save=save)
        assert isinstance(dialog.iconProvider(), NameOnlyIcons)
        assert dialog.testOption(dialog.Option.DontUseNativeDialog)
        with counter.db.read() as s:
            s.execute(text("SELECT count(*) FROM members")).scalar()
            held = own_locks(counter.db.path)
            assert held
            listed_folder(qtbot, dialog, counter.db.path.parent)
            assert own_locks(counter.db.path)
        dialog.reject()


def test_no_page_uses_another_chooser():
    """Every file chooser goes through ui/common/file_dialogs.py (a static QFileDialog.get…
    or a bare QFileDialog would list the database's folder with type guessing again)."""
    from pathlib import Path

    import counter_app.ui as ui

    offenders = []
    for path in Path(ui.__file__).parent.rglob("*.py"):
        if path.name == "file_dialogs.py":
            continue
        source = path.read_text(encoding="utf-8")
        if "QFileDialog(" in source or "QFileDialog.get" in source:
            offenders.append(path.name)
    assert offenders == []
