"""argparse in Chinese: usage, section titles, -h and the error lines a mistyped command
gets. argparse has no Chinese catalogue and its messages are built inside the library,
so errors are translated here by pattern; anything unknown stays as argparse said it.
"""

from __future__ import annotations

import argparse
import re
import sys

_ERRORS = [  # (argparse's English, Chinese), tried in order
    (r"the following arguments are required: (.+)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.+)", r"无法识别的参数：\1"),
    (r"one of the arguments (.+) is required", r"参数 \1 中必须给出一个"),
    (r"argument (\S+): not allowed with argument (.+)", r"参数 \1 不能与 \2 同时使用"),
    (r"argument (\S+): invalid int value: (.+)", r"参数 \1 须为整数（收到 \2）"),
    (r"argument (\S+): invalid (\S+) value: (.+)", r"参数 \1 的值无效（收到 \3）"),
    (r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)",
     r"参数 \1 不能是 \2，可选：\3"),
    (r"argument (\S+): expected one argument", r"参数 \1 后面需要一个值"),
    (r"argument (\S+): expected at least one argument", r"参数 \1 后面至少需要一个值"),
    (r"ambiguous option: (\S+) could match (.+)", r"选项 \1 不明确，可能是：\2"),
]


def translate_error(message: str) -> str:
    for english, chinese in _ERRORS:
        if re.fullmatch(english, message):
            return re.sub(english, chinese, message)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="显示本帮助并退出")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{translate_error(message)}\n")


# Sub-commands several groups extend (``import items`` from stock, ``import members`` from
# reports): made by the first group that asks, then shared; argparse refuses a name twice.
SHARED_GROUPS = {"import": ("导入 .xlsx/.csv 表格（物品表、会员花名册）", "import_what", "导入"),
                 "export": ("导出 .xlsx/.csv 表格", "export_what", "导出")}


def shared_group(subparsers, name: str):
    """The sub-commands of the shared group ``name`` (see SHARED_GROUPS)."""
    parser = subparsers.choices.get(name)
    if parser is None:
        help_text, dest, title = SHARED_GROUPS[name]
        parser = subparsers.add_parser(name, help=help_text)
        parser.shared_sub = parser.add_subparsers(dest=dest, title=title, metavar="内容",
                                                  required=True)
    return parser.shared_sub
