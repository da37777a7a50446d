"""Export from the members page to an Excel workbook: the member's history as shown, or
the list of search results. Asks where to save through ``page.ask_save_path``
(overridable in tests), writes through ``Op`` and tells the page."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from PySide6.QtCore import QObject, QStandardPaths

from counter_app.ui.common.ops import Op
from counter_app.ui.common.text import fill


def _export():
    # openpyxl (and the numpy it finds) cost ~0.5 s to import: only when exporting
    from counter_app.reports import export

    return export


class MemberExports(QObject):
    def __init__(self, page):  # the MembersPage that owns this helper (no import: no cycle)
        super().__init__(page)
        self.page = page
        self._export_dir: str | None = None

    def ask_save_path(self, title: str, suggested: str) -> str | None:
        folder = self._export_dir or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        from counter_app.ui.common.file_dialogs import ask_file

        path = ask_file(self.page, title, str(Path(folder) / suggested),
                        self.tr("Excel workbook (*.xlsx)"), save=True)
        return path or None

    def _export(self, title: str, suggested: str, sheet_title: str, table) -> None:
        page = self.page
        headers, rows = table
        if not rows:
            page.say(self.tr("Nothing to export."), error=True)
            return
        path = page.ask_save_path(title, suggested)
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        self._export_dir = str(Path(path).parent)
        Op(page, _export().export_rows, path, headers, rows, sheet_title) \
            .progress(self.tr("Exporting…")) \
            .success(lambda written: self._exported(str(written), len(rows))) \
            .failure(self._export_failed).run()

    def _exported(self, path: str, count: int) -> None:
        self.page.say(fill(self.tr("Exported %1 rows to %2"), str(count), path))
        self.page.exported.emit(path)

    def _export_failed(self, exc: BaseException) -> None:
        if isinstance(exc, OSError):  # locked by Excel, no space, no permission …
            self.page.say(fill(self.tr("Could not save the file: %1"), exc.strerror or exc),
                          error=True)
        else:
            self.page._fail(exc)

    def history(self) -> None:
        page = self.page
        if page.profile is None:
            return
        m = page.profile.member
        today = date.today().isoformat()
        self._export(self.tr("Export history"), f"{m.name}_{m.card_code}_{today}.xlsx",
                     f"{m.name} {m.card_code}",
                     _export().history_sheet(page.history_model.rows(),
                                          page.history_model.operator_names()))

    def results(self) -> None:
        page = self.page
        if not page.can_manage():
            return
        model = page.results_model
        rows = [model.row_at(r) for r in range(model.rowCount())]
        text = page.input.text().strip() or "members"
        self._export(self.tr("Export member list"), f"{text}_{date.today().isoformat()}.xlsx",
                     text, _export().member_sheet(rows))
