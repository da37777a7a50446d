"""File choosers that never open the files they list.

SQLite's locks on the counter's database are POSIX record locks, which a process loses on
*every* descriptor of the file as soon as it closes *any* descriptor of it. Qt's file
dialog opens the files it lists to guess their types (for the icons): browsing the
database's folder dropped the counter's locks, and another process reading the file then
removed the WAL the counter was still writing to — redemptions shown as done were lost
(trial). These dialogs are Qt's own (never a native one, which may sniff the files too),
with an icon provider that decides from the name and kind alone.
"""

from __future__ import annotations

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QWidget


class NameOnlyIcons(QFileIconProvider):
    """Folder or file icons from the directory entry: no file is opened or read."""

    def icon(self, what):  # noqa: D102  (Qt's overloads: an IconType or a QFileInfo)
        if isinstance(what, QFileInfo):
            kind = (QAbstractFileIconProvider.IconType.Folder if what.isDir()
                    else QAbstractFileIconProvider.IconType.File)
            return super().icon(kind)
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:  # noqa: A003  (Qt's name)
        if info.isDir():
            return "文件夹"
        return f"{info.suffix().upper()} 文件" if info.suffix() else "文件"


def file_dialog(parent: QWidget, title: str, start: str, filters: str, *,
                save: bool = False) -> QFileDialog:
    """A file chooser as described above; the caller opens it (``open()`` to stay
    responsive, ``exec()`` to wait)."""
    dialog = QFileDialog(parent, title, start, filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setIconProvider(NameOnlyIcons())
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return dialog


def ask_file(parent: QWidget, title: str, start: str, filters: str, *,
             save: bool = False) -> str:
    """The chosen path, or "" when cancelled (waits, as QFileDialog.getOpenFileName)."""
    dialog = file_dialog(parent, title, start, filters, save=save)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return ""
    return dialog.selectedFiles()[0]
