"""``counter-app demo-district --url URL --out DIR [--counters N] [--members M] [--seed S]
[--no-sync]``: a whole demo district (demo/district.py) for training and the benchmarks."""

from __future__ import annotations

from pathlib import Path

from counter_app.cli.command import Db, command


def register(sub) -> None:
    d = sub.add_parser("demo-district",
                       help="生成演示街道：两个社区的多个柜台（各自的数据库文件），经街道服务器加入并同步")
    d.add_argument("--url", required=True, help="街道数据库的管理员地址（没有表时自动建立）")
    d.add_argument("--out", required=True, type=Path, help="放各柜台数据库文件的文件夹")
    d.add_argument("--counters", type=int, default=4, help="柜台数（2–60，默认 4，两个社区轮流分）")
    d.add_argument("--members", type=int, default=200, help="每个社区的会员数（默认 200）")
    d.add_argument("--seed", type=int, default=20261202, help="随机种子（同一种子生成同样的数据）")
    d.add_argument("--activity", type=int, default=12, help="每个柜台今天的积分次数（默认 12）")
    d.add_argument("--no-sync", action="store_true",
                   help="最后不同步：各柜台今天的记录留在本机等待上传（如长时间断网后）")
    command(d, demo_district_cmd, Db.NONE)


def demo_district_cmd(args, _db_path) -> int:
    from counter_app.demo.district import build_district, describe

    demo = build_district(args.url, args.out, counters=args.counters, members=args.members,
                          seed=args.seed, sync=not args.no_sync, activity=args.activity,
                          progress=lambda msg: print(msg, flush=True))
    for line in describe(demo):
        print(line)
    print(f"各柜台的街道账号在 {args.out}/*.credentials.json（仅本人可读）；操作员以社区名"
          "开头（例如 幸福管理员、和谐志愿者），PIN：管理员 1234、志愿者 1111、库管员 3333、"
          "审核员 4444")
    if not demo.synced:
        print("未同步：今天的记录等待上传，运行 counter-app --db 文件 sync 上传")
        return 0
    if demo.problems:
        print("街道核对发现问题：")
        for p in demo.problems:
            print(f"  {p}")
        return 1
    print("已全部同步，街道核对通过")
    return 0
