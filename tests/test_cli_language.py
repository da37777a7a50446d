"""Issue 7 B10 (CLI side): every line the command line prints is plain Chinese, the
argparse usage and error lines included."""

from __future__ import annotations

import re
from datetime import date

import pytest

from counter_app.cli import main
from counter_app.cli.parser import translate_error

HAN = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"\b(?!XF\d|PIN\b)[A-Za-z]{4,}\b")  # "members", "checked", "writing"


def chinese_lines(text: str, *, allow: tuple[str, ...] = ()) -> list[str]:
    lines = [line for line in text.splitlines() if line.strip()]
    for line in lines:
        rest = line
        for fragment in allow:
            rest = rest.replace(fragment, "")
        assert HAN.search(line), line
        assert not ENGLISH_WORD.search(rest), line
    return lines


def test_demo_and_check_speak_chinese(tmp_path, capsys):
    db = tmp_path / "c.db"
    assert main(["--db", str(db), "demo", "--members", "40", "--as-of", "2026-11-20"]) == 0
    out = capsys.readouterr().out
    lines = chinese_lines(out, allow=(str(db),))
    assert lines[0].strip() == "正在生成 40 名会员……"
    assert main(["--db", str(db), "check"]) == 0
    (line,) = chinese_lines(capsys.readouterr().out)
    assert re.fullmatch(r"账本检查通过：积分记录 \d+ 条，库存记录 \d+ 条，账户 40 个", line)


def test_help_is_chinese(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：counter-app")
    for english in ("usage:", "options:", "show this help", "positional arguments"):
        assert english not in out


@pytest.mark.parametrize("argv, chinese", [
    (["demo", "--members", "abc"], "错误：参数 --members 须为整数（收到 'abc'）"),
    (["demo", "--scheme", "C"], "错误：参数 --scheme 不能是 'C'，可选：'A', 'B'"),
    (["print", "receipt", "XF01-000001"], "错误：参数 --pdf --escpos 中必须给出一个"),
    (["init", "--street", "和平街道"], "错误：缺少必需的参数："),
    (["check", "--frob"], "错误：无法识别的参数：--frob"),
])
def test_argument_errors_are_chinese(capsys, argv, chinese):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith(chinese) and "error:" not in err


def test_unknown_argparse_message_is_kept():
    assert translate_error("something new") == "something new"
