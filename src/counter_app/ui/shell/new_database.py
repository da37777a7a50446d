"""``--db`` naming a file that does not exist: ask before creating a new counter database
there, and on Cancel leave nothing behind (no file, no -wal/-shm, no new folders).

A typo in a path must not quietly start an empty counter beside the real one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from counter_app.config import default_db_path
from counter_app.ui.common.text import fill

SIDE_FILES = ("", "-wal", "-shm", "-journal", ".lock")


class NewDatabase:
    """What opening ``path`` will create, so that it can be removed again."""

    def __init__(self, path: Path):
        self.path = Path(path).absolute()
        self.is_new = not self.path.exists()
        self.missing_dirs = [p for p in self.path.parents if not p.exists()]  # deepest first

    @property
    def is_default(self) -> bool:
        return self.path == default_db_path().absolute()

    def needs_confirmation(self) -> bool:
        return self.is_new and not self.is_default

    def question(self) -> str:
        return fill(QCoreApplication.translate(
            "NewDatabase", "Create a new counter database at %1?"), self.path)

    def confirm(self, parent=None) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question,
                          QCoreApplication.translate("NewDatabase", "New database"),
                          self.question(),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          parent)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes

    def remove(self) -> None:
        """Undo the creation: the database file, its side files, the folders made for it."""
        if not self.is_new:
            return
        for suffix in SIDE_FILES:
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        for folder in self.missing_dirs:  # deepest first; only if still empty
            try:
                folder.rmdir()
            except OSError:
                break
