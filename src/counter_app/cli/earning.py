"""``counter-app earning …``: point items, awards, the weekly review, wishes, expiry.

Commands that change something act as an operator: ``--operator NAME`` and the PIN from
``--pin``, the environment (COUNTER_APP_PIN) or the terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path

from counter_app.cli.command import Db, command, sign_in_operator, write_output


def _who(p) -> None:
    p.add_argument("--operator", required=True, help="操作员姓名")
    p.add_argument("--pin", help="操作员 PIN（不给则读 COUNTER_APP_PIN 或在终端输入）")


def _day(p, name: str = "--date", help: str = "活动日期 YYYY-MM-DD（默认今天）") -> None:
    p.add_argument(name, dest=name.strip("-").replace("-", "_"), help=help)


def register(sub) -> None:
    e = sub.add_parser("earning", help="积分项目、记录积分、每周审核、微心愿、积分过期")
    es = e.add_subparsers(dest="earning_what", metavar="命令", required=True)

    p = es.add_parser("items", help="列出积分项目及其分值")
    _day(p, "--on", "按这一天的分值列出（默认今天）")
    command(p, items_cmd, Db.OPEN)

    p = es.add_parser("preset", help="装入预设积分方案（A=8类21项，B=7类35项）")
    p.add_argument("scheme", choices=("A", "B"))
    _who(p)
    command(p, preset_cmd, Db.OPEN)

    p = es.add_parser("set-value", help="调整积分项目的分值（从某天起生效）")
    p.add_argument("item", type=int, help="积分项目编号")
    p.add_argument("points", type=int)
    p.add_argument("--from", dest="effective_from", required=True, help="生效日期 YYYY-MM-DD")
    p.add_argument("--note", help="调整说明")
    _who(p)
    command(p, set_value_cmd, Db.OPEN)

    p = es.add_parser("history", help="积分项目的分值调整记录")
    p.add_argument("item", type=int)
    command(p, history_cmd, Db.OPEN)

    p = es.add_parser("record", help="为一位会员记录积分（待审核）")
    p.add_argument("--member", required=True, help="卡号或会员编号")
    p.add_argument("--item", required=True, type=int, help="积分项目编号")
    _day(p)
    p.add_argument("--points", type=int, help="分值（只用于有分值范围的项目）")
    p.add_argument("--note")
    p.add_argument("--review-anywhere", action="store_true",
                   help="交由社区任一柜台审核（审核前须联网到街道服务器认领）；默认由本柜台审核")
    _who(p)
    command(p, record_cmd, Db.OPEN)

    p = es.add_parser("queue", help="待审核的积分，按周和活动分组")
    command(p, queue_cmd, Db.OPEN)

    p = es.add_parser("approve", help="审核通过（记入积分账本）")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--ids", nargs="+", type=int, metavar="ID", help="积分记录编号")
    which.add_argument("--week", help="这一周（任意一天 YYYY-MM-DD）的全部待审核记录")
    _who(p)
    command(p, approve_cmd, Db.OPEN)

    p = es.add_parser("reject", help="驳回（填写原因）")
    p.add_argument("--ids", nargs="+", type=int, metavar="ID", required=True)
    p.add_argument("--reason", required=True)
    _who(p)
    command(p, reject_cmd, Db.OPEN)

    p = es.add_parser("wishes", help="列出微心愿")
    command(p, wishes_cmd, Db.OPEN)

    p = es.add_parser("wish-wall", help="打印心愿征集墙 PDF（待认领和已认领的心愿）")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    command(p, wish_wall_cmd, Db.OPEN)

    p = es.add_parser("expiry-policy", help="积分过期规则：none=不过期，next_year_end=当年积分次年年底过期")
    p.add_argument("mode", choices=("none", "next_year_end"))
    p.add_argument("--notice-days", type=int, default=60, help="提前多少天提醒会员（默认 60）")
    _who(p)
    command(p, expiry_policy_cmd, Db.OPEN)

    p = es.add_parser("expire", help="执行积分过期（当年积分次年年底过期的社区）")
    p.add_argument("--year", type=int, required=True, help="过期哪一年（及以前）获得的积分")
    _who(p)
    command(p, expire_cmd, Db.OPEN)


def _date(text: str | None):
    from counter_app.reports.period import optional_day

    return optional_day(text)


def _actor(db, args):
    return sign_in_operator(db, args.operator, args.pin)


def items_cmd(args, db) -> int:
    from counter_app.earning import catalogue

    with db.read() as s:
        rows = catalogue.items(s, _date(args.on))
    for r in rows:
        value = "未生效" if r.points is None else f"{r.points}分"
        extra = f"\t范围 {r.range_label}" if r.range_label else ""
        state = "" if r.active else "\t已停用"
        print(f"{r.id}\t{r.category}\t{r.name}\t{value}\t可获得：{r.eligible_label}{extra}{state}")
    if not rows:
        print("还没有积分项目；可用 counter-app earning preset A 或 B 装入预设方案", file=sys.stderr)
    return 0


def preset_cmd(args, db) -> int:
    from counter_app.earning import catalogue

    n = catalogue.install_preset(db, _actor(db, args), args.scheme)
    print(f"已装入积分方案 {args.scheme}：{n} 个积分项目")
    return 0


def set_value_cmd(args, db) -> int:
    from counter_app.earning import catalogue

    day = _date(args.effective_from)
    catalogue.set_value(db, _actor(db, args), args.item, args.points, day, args.note)
    print(f"积分项目 {args.item} 从 {day} 起为 {args.points} 分")
    return 0


def history_cmd(args, db) -> int:
    from counter_app.earning import catalogue

    with db.read() as s:
        for v in catalogue.history(s, args.item):
            print(f"{v.effective_from}\t{v.points}分\t{v.set_by or '系统'}\t"
                  f"{v.set_at:%Y-%m-%d %H:%M}\t{v.note or ''}")
    return 0


def record_cmd(args, db) -> int:
    from counter_app import members
    from counter_app.earning import awards

    actor = _actor(db, args)
    who = args.member.strip()
    if who.isdecimal():
        member_id = int(who)
    else:
        with db.read() as s:
            member_id = members.lookup_card(s, who).id
    row = awards.record(db, actor, member_id, args.item, _date(args.date), points=args.points,
                        note=args.note, review_anywhere=args.review_anywhere)
    print(f"已记录（待审核）：编号 {row.id}，{row.member_name}，{row.item}，"
          f"{row.activity_date}，{row.points}分")
    return 0


def queue_cmd(args, db) -> int:
    from counter_app.earning import review

    with db.read() as s:
        groups = review.queue(s)
    lines = []
    for g in groups:
        lines.append(f"{g.week} 这一周 · {g.title}：{len(g.awards)} 条，{g.points} 分")
        lines += [f"  {a.id}\t{a.member_name}\t{a.item}\t{a.activity_date}\t{a.points}分\t"
                  f"录入：{a.recorder or '系统'}" for a in g.awards]
    return _print(lines, "没有待审核的积分记录")


def _print(lines: list[str], empty: str) -> int:
    print("\n".join(lines) if lines else empty)
    return 0


def approve_cmd(args, db) -> int:
    from counter_app.earning import review

    actor = _actor(db, args)
    ids = args.ids
    if args.week:
        monday = review.week_of(_date(args.week))
        with db.read() as s:
            ids = [a.id for g in review.queue(s) if g.week == monday for a in g.awards]
    d = review.approve(db, actor, ids)
    print(f"已审核通过 {len(d.award_ids)} 条，共 {d.points} 分")
    return 0


def reject_cmd(args, db) -> int:
    from counter_app.earning import review

    d = review.reject(db, _actor(db, args), args.ids, args.reason)
    print(f"已驳回 {len(d.award_ids)} 条")
    return 0


def wishes_cmd(args, db) -> int:
    from counter_app.earning import wishes

    with db.read() as s:
        rows = wishes.wishes(s)
    return _print([f"{w.id}\t{w.status_label}\t{w.title}\t许愿人：{w.wisher_name}\t"
                   f"期限：{w.due_date or '不限'}\t{w.claimant}" for w in rows], "还没有微心愿")


def wish_wall_cmd(args, db) -> int:
    import io

    from counter_app import counters
    from counter_app.documents.wish_wall import wish_wall_pdf
    from counter_app.earning import catalogue, wishes

    with db.read() as s:
        rows = wishes.wishes(s, ("posted", "claimed"))
    buf = io.BytesIO()
    pages = wish_wall_pdf(rows, buf, community=counters.local_counter(db).community,
                          printed_on=f"{catalogue.today():%Y年%m月%d日}")
    out = write_output(Path(args.out), buf.getvalue())
    print(f"心愿征集墙：{len(rows)} 个心愿，{pages} 页，{out}")
    return 0


def expire_cmd(args, db) -> int:
    from counter_app.earning import expiry

    r = expiry.run(db, _actor(db, args), args.year)
    print(f"{r.year} 年及以前获得的积分已过期：{r.members} 位会员，共 {r.points} 分")
    return 0


def expiry_policy_cmd(args, db) -> int:
    from counter_app.earning import expiry

    pol = expiry.set_policy(db, _actor(db, args), args.mode, args.notice_days)
    print(f"积分过期规则：{expiry.POLICY_LABELS[pol.mode]}，提前 {pol.notice_days} 天提醒")
    return 0
