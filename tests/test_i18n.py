"""The Chinese UI (Qt Linguist): every message translated, the .ts in step with the code,
the .qm compiled from the .ts, and the running app Chinese by default, English on request.

After adding or changing a tr() string: scripts/update_translations.sh, translate the new
messages in resources/i18n/counter_app_zh_CN.ts, run the script again, commit both files.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from counter_app.config import LocalSettings
from counter_app.ui.shell import translations as ui_app

ROOT = Path(__file__).resolve().parents[1]
UI = ROOT / "src" / "counter_app" / "ui"
TS = ROOT / "resources" / "i18n" / "counter_app_zh_CN.ts"
QM = UI / "i18n" / "counter_app_zh_CN.qm"
UPDATE = "scripts/update_translations.sh"
# Same options as scripts/update_translations.sh.
LUPDATE_OPTIONS = ["-no-obsolete", "-locations", "none", "-source-language", "en",
                   "-target-language", "zh_CN"]

PLACEHOLDER = re.compile(r"%\d+")
KEY_HINT = re.compile(r"\((?:F\d{1,2}|Esc|Ctrl\+[\w+]+|[+-])\)")
HAN = re.compile(r"[\u4e00-\u9fff]")
SAME_IN_CHINESE = {"VID", "PID", "VID:PID", "CR", "LF"}  # technical terms kept as they are
APP_OBJECTS = {"QCoreApplication", "QGuiApplication", "QApplication", "app"}


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translation: str
    kind: str  # "" when finished, else "unfinished", "obsolete", "vanished" …

    def __str__(self) -> str:
        return f"{self.context}: {self.source!r}"


def read_ts(path: Path) -> list[Message]:
    out = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            out.append(Message(name, message.findtext("source"), translation.text or "",
                               translation.get("type", "")))
    return out


def ui_sources() -> list[str]:
    """The files the update script hands to lupdate (relative, sorted, as in the script)."""
    return sorted(str(p.relative_to(ROOT)) for p in UI.rglob("*.py"))


def tool(name: str) -> str:
    """A Qt Linguist tool of the PySide6 the tests run with (its venv), else from PATH."""
    here = Path(sys.executable).parent
    for candidate in (here / name, here / f"{name}.exe", ROOT / ".venv" / "bin" / name):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not found (it comes with PySide6; run ./run setup)")
    return found


# --- the .ts file -------------------------------------------------------------------------


def test_every_message_has_a_finished_chinese_translation():
    messages = read_ts(TS)
    assert len(messages) > 200
    problems = []
    for m in messages:
        if m.kind or not m.translation.strip():
            problems.append(f"{m}: not translated ({m.kind or 'empty'})")
            continue
        if sorted(PLACEHOLDER.findall(m.source)) != sorted(PLACEHOLDER.findall(m.translation)):
            problems.append(f"{m}: placeholders differ in {m.translation!r}")
        for hint in KEY_HINT.findall(m.source):
            if hint not in m.translation:
                problems.append(f"{m}: key hint {hint} missing in {m.translation!r}")
        if m.source.endswith("…") != m.translation.endswith("…"):
            problems.append(f"{m}: the “…” (opens a dialog) must stay: {m.translation!r}")
        words = re.search(r"[A-Za-z]{2,}", m.source)
        if words and not HAN.search(m.translation) and m.source not in SAME_IN_CHINESE:
            problems.append(f"{m}: no Chinese in {m.translation!r}")
    keys = [(m.context, m.source) for m in messages]
    assert len(keys) == len(set(keys)), "duplicate messages in the .ts"
    assert not problems, "\n".join(problems)


def test_ts_is_up_to_date_with_the_code(tmp_path):
    """lupdate over the code finds nothing new: a tr() string added without a translation
    fails here, and so does a .ts still holding strings the code no longer has."""
    fresh = tmp_path / TS.name
    shutil.copyfile(TS, fresh)
    run = subprocess.run([tool("pyside6-lupdate"), *ui_sources(), "-ts", str(fresh),
                          *LUPDATE_OPTIONS], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    now = read_ts(fresh)
    untranslated = [str(m) for m in now if m.kind or not m.translation]
    assert not untranslated, (f"strings in the code without a translation — run {UPDATE} "
                              f"and translate them in {TS.relative_to(ROOT)}:\n"
                              + "\n".join(untranslated))
    committed = {(m.context, m.source) for m in read_ts(TS)}
    stale = sorted(committed - {(m.context, m.source) for m in now})
    assert not stale, f"the .ts has strings the code no longer has — run {UPDATE}: {stale}"


def test_compiled_qm_holds_every_translation():
    """The .qm the app loads gives back every translation of the .ts (a check of content,
    not bytes, so another lrelease version cannot fail it)."""
    assert (ui_app.I18N / QM.name).resolve() == QM.resolve(), "the app looks elsewhere"
    translator = QTranslator()
    assert translator.load(str(QM)), f"{QM} missing or unreadable — run {UPDATE}"
    stale = [f"{m}: {translator.translate(m.context, m.source)!r} != {m.translation!r}"
             for m in read_ts(TS)
             if translator.translate(m.context, m.source) != m.translation]
    assert not stale, f"{QM.name} is older than the .ts — run {UPDATE}:\n" + "\n".join(stale)


def test_translated_text_is_literal_and_in_the_right_context():
    """What lupdate can extract, and under the context Qt looks up at run time: self.tr()
    with a string literal (PySide looks up the classes of self), translate() with a
    literal context and text. No f-strings, variables or widget.tr() on another object."""
    problems = []
    for path in sorted(UI.rglob("*.py")):
        where = path.relative_to(ROOT)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in ("tr", "translate"):
                problems.append(f"{where}:{node.lineno}: bare {func.id}() — lupdate cannot "
                                "tell its context; use self.tr() or QCoreApplication.translate()")
            elif isinstance(func, ast.Attribute) and func.attr == "tr":
                if not (isinstance(func.value, ast.Name) and func.value.id == "self"):
                    problems.append(f"{where}:{node.lineno}: .tr() on another object — lupdate "
                                    "files it under the variable's name, Qt under its class")
                if not (node.args and _literal(node.args[0])):
                    problems.append(f"{where}:{node.lineno}: tr() needs a string literal "
                                    "(placeholders %1 and .replace(), not an f-string)")
            elif (isinstance(func, ast.Attribute) and func.attr == "translate"
                  and isinstance(func.value, ast.Name) and func.value.id in APP_OBJECTS
                  and not (len(node.args) >= 2 and all(map(_literal, node.args[:2])))):
                problems.append(f"{where}:{node.lineno}: translate() needs a literal "
                                "context and text")
    assert not problems, "\n".join(problems)


def _literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


# --- at run time ----------------------------------------------------------------------------


@pytest.fixture
def open_window(qtbot, counter, tmp_path):
    """The real counter window after a volunteer logged in."""
    from ui_helpers import login

    from counter_app.ui.devices.receipt_output import ReceiptOutput
    from counter_app.ui.shell.session import CounterSession

    sessions = []

    def open_():
        session = CounterSession(counter.db, ReceiptOutput(folder=tmp_path, open_pdf=False))
        sessions.append(session)
        session.start()
        return login(qtbot, session, counter.volunteer.operator_id, "1111")

    yield open_
    for session in sessions:
        session.shutdown()
        for widget in (session.window, session.login):
            if widget is not None:
                widget.close()


def _button_texts(window) -> dict[str, str]:
    return {b.objectName(): b.text() for b in window.findChildren(QPushButton)
            if b.objectName() and not b.objectName().startswith(("tile_", "pin_"))}


def test_counter_window_is_chinese_by_default(language, open_window):
    assert LocalSettings().language == "zh_CN"
    language(LocalSettings().language)
    window = open_window()
    page = window.pages[0]
    assert "兑换" in page.checkout_button.text() and "(F9)" in page.checkout_button.text()
    assert window.findChild(QPushButton, "nav_0").text() == "兑换 (F1)"
    assert window.findChild(QPushButton, "logout_button").text() == "退出登录 (F12)"
    assert page.findChild(QPushButton, "reprint_button").text() == "补打小票 (F5)"
    assert page.findChild(QPushButton, "void_button").text() == "作废 (F8)"
    assert "会员卡" in page.input.placeholderText()
    assert page.panel.name.text() == "还没有选择会员"
    assert page.total.text() == "合计：0 分"
    assert page.cart.headerData(0, Qt.Orientation.Horizontal) == "物品"
    english = {name: text for name, text in _button_texts(window).items()
               if re.search(r"[A-Za-z]{2,}", KEY_HINT.sub("", text))}
    assert not english, f"English left on the window: {english}"


def test_counter_window_in_english_on_request(language, open_window):
    language("en")
    window = open_window()
    page = window.pages[0]
    assert page.checkout_button.text() == "Redeem (F9)"
    assert window.findChild(QPushButton, "nav_0").text() == "Redeem (F1)"
    assert window.findChild(QPushButton, "logout_button").text() == "Log out (F12)"
    assert page.panel.name.text() == "No member yet"


@pytest.mark.parametrize("code, ok, cancel", [("zh_CN", "确定", "取消"), ("en", "OK", "Cancel")])
def test_qt_standard_buttons_follow_the_language(language, qtbot, code, ok, cancel):
    language(code)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Ok).text().replace("&", "") == ok
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == cancel
