"""`counter-app district init|add-community|add-counter|check`, through register(subparsers)."""

from __future__ import annotations

import argparse
import json
import stat
import uuid

from counter_app.district import commands
from district_helpers import Chain


def run(*argv) -> int:
    parser = argparse.ArgumentParser(prog="counter-app")
    commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_set_up_a_district_from_the_command_line(district, tmp_path, capsys):
    url = district.url
    assert run("district", "init", "--url", url) == 0
    assert run("district", "add-community", "--url", url, "--district", "和平区",
               "--street", "和平街道", "--code", "xf", "--name", "幸福社区") == 0
    out = tmp_path / "xf01.json"
    assert run("district", "add-counter", "--url", url, "--community", "XF",
               "--counter-id", "XF01", "--name", "幸福社区积分超市",
               "--credentials-out", str(out)) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = capsys.readouterr().out
    assert "已登记柜台 XF01" in text and json.loads(out.read_text())["password"] not in text
    # Without a file the password is shown once.
    assert run("district", "add-counter", "--url", url, "--community", "XF",
               "--counter-id", "XF02", "--name", "二号柜台") == 0
    assert "只显示这一次" in capsys.readouterr().out


def test_refusals_are_chinese_messages_with_exit_2(world, tmp_path, capsys):
    assert run("district", "add-counter", "--url", world.url, "--community", "ZZ",
               "--counter-id", "ZZ01", "--name", "无") == 2
    err = capsys.readouterr().err
    assert "没有社区代码 ZZ" in err and "Traceback" not in err
    existing = tmp_path / "taken.json"
    existing.write_text("{}")
    assert run("district", "add-counter", "--url", world.url, "--community", "XF",
               "--counter-id", "XF05", "--name", "五号", "--credentials-out", str(existing)) == 2
    assert "不覆盖" in capsys.readouterr().err
    assert run("district", "check", "--url", "postgresql://nobody@127.0.0.1:1/none") == 2
    assert "连不上区级数据库" in capsys.readouterr().err


def test_check_exits_non_zero_and_names_each_fault(world, capsys):
    m = uuid.uuid4()
    chain = Chain("XF01")
    chain.add(m, 10)
    chain.add(m, -30)
    with world.client("XF01") as cl:
        cl.push_entries("points", chain.entries)
    assert run("district", "check", "--url", world.url) == 0
    out = capsys.readouterr().out
    assert "对账通过" in out and "[提示] overdraft" in out
    with world.admin() as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("UPDATE balances SET balance = 0")
    assert run("district", "check", "--url", world.url) == 1
    out = capsys.readouterr().out
    assert "[问题] balance_mismatch" in out and "对账未通过：1 个问题" in out


def test_the_main_cli_reaches_the_district_group():
    """`counter-app district …` is wired into the counter's own CLI (no --db involved)."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "counter_app", "district", "check", "--url",
                           "postgresql://nobody@127.0.0.1:1/none"], capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("错误：") and "区级数据库" in proc.stderr
