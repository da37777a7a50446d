"""``counter-app district …``: init, add-community, add-counter, check.

``register(subparsers)`` adds the group to the main parser; each sub-command returns its
exit code (0 done, 1 faults found, 2 refused).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from counter_app.errors import CounterError


def register(subparsers) -> None:
    p = subparsers.add_parser("district", help="区级数据库（PostgreSQL）：建库、登记柜台、对账")
    sub = p.add_subparsers(dest="district_command", required=True)

    init = sub.add_parser("init", help="创建或升级区级数据库结构")
    init.add_argument("--url", required=True, help="管理员连接，例如 postgresql://user@host/db")
    init.set_defaults(func=_guarded(_init))

    comm = sub.add_parser("add-community", help="登记社区（区、街道不存在时一并登记）")
    comm.add_argument("--url", required=True)
    comm.add_argument("--district", required=True, help="区（或街道办）名称")
    comm.add_argument("--street", required=True, help="街道名称")
    comm.add_argument("--code", required=True, help="社区代码，2 到 4 个英文字母")
    comm.add_argument("--name", required=True, help="社区名称")
    comm.set_defaults(func=_guarded(_add_community))

    add = sub.add_parser("add-counter", help="登记柜台并创建它自己的数据库账号")
    add.add_argument("--url", required=True)
    add.add_argument("--community", required=True, help="社区代码")
    add.add_argument("--counter-id", required=True, help="柜台编号，例如 XF01")
    add.add_argument("--name", required=True, help="柜台名称")
    add.add_argument("--credentials-out", type=Path,
                     help="把账号和密码写入此文件（仅本人可读，0600）；不给则只显示一次")
    add.set_defaults(func=_guarded(_add_counter))

    check = sub.add_parser("check", help="对账：流水链、余额、库存、透支、拒收记录")
    check.add_argument("--url", required=True)
    check.set_defaults(func=_guarded(_check))


def _guarded(command):
    """A typed error becomes its Chinese message and exit code 2, never a traceback."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except CounterError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2

    return run


def _init(args) -> int:
    from counter_app.district.schema import current_revision, init_district

    before = current_revision(args.url)
    revision = init_district(args.url)
    if before is None:  # trial: a new database was reported as "already current"
        print(f"已建立区级数据库结构（版本 {revision}）")
    elif before != revision:
        print(f"区级数据库结构已从版本 {before} 升级到 {revision}")
    else:
        print(f"区级数据库结构已是最新（版本 {revision}）")
    return 0


def _add_community(args) -> int:
    from counter_app.district.roles import add_community

    add_community(args.url, district=args.district, street=args.street, code=args.code,
                  name=args.name)
    print(f"已登记社区：{args.name}（代码 {args.code.upper()}）")
    return 0


def _add_counter(args) -> int:
    from counter_app.district.roles import add_counter

    out = args.credentials_out
    if out is not None and out.exists():
        print(f"错误：文件 {out} 已存在，不覆盖", file=sys.stderr)
        return 2
    creds = add_counter(args.url, args.community, args.counter_id, args.name)
    print(f"已登记柜台 {creds.counter_id}，数据库账号 {creds.role}")
    if out is not None:
        creds.write(out)
        print(f"账号和密码已写入 {out}（仅本人可读）。请把它交给该柜台，之后删除。")
    else:
        print(f"密码（只显示这一次，请妥善保管）：{creds.password}")
    return 0


def _check(args) -> int:
    from counter_app.district.check import district_check, faults

    findings = district_check(args.url)
    for f in findings:
        tag = "问题" if f.severity == "fault" else "提示"
        print(f"[{tag}] {f.name}：{f.message}")
    bad = faults(findings)
    if bad:
        print(f"对账未通过：{len(bad)} 个问题")
        return 1
    print("对账通过：每个柜台的流水链完整，余额与库存与流水一致")
    return 0
