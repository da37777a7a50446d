"""Governance papers and rosters from the command line:

- ``counter-app print notice|boards|honours|points-file …`` (added to the ``print`` group
  by ``register_print``): the monthly public notice, the quarterly red/black boards, the
  yearly honours with certificates, a member's points file;
- ``counter-app report work-units --from D --to D --out DIR``: a workbook and a PDF per
  work unit / supervising department;
- ``counter-app report rules``: show (or, with an administrator's PIN, change) the rules
  those papers follow;
- ``counter-app import members FILE``: a roster (.xlsx/.csv), all rows or none.
"""

from __future__ import annotations

from pathlib import Path

from counter_app.cli.command import Db, command, sign_in_operator, write_output
from counter_app.cli.parser import shared_group

PRINT_WHAT = ("notice", "boards", "honours", "points-file")


def register_print(sub) -> None:
    """The papers of this module as sub-commands of ``print`` (cli/printing.py)."""
    n = sub.add_parser("notice", help="月度积分公示 PDF（一月一公示）")
    n.add_argument("--month", required=True, metavar="YYYY-MM")
    n.add_argument("--out", required=True, metavar="FILE.pdf")
    n.add_argument("--published", metavar="YYYY-MM-DD", help="公示日期（默认：今天，或月底次日）")
    n.add_argument("--days", type=int, metavar="N", help="公示期天数（默认：社区设置，通常 7 天）")
    command(n, notice_cmd, Db.OPEN)

    b = sub.add_parser("boards", help="季度红黑榜 PDF（党员、驻区单位）")
    b.add_argument("--quarter", required=True, metavar="YYYY-Qn")
    b.add_argument("--out", required=True, metavar="FILE.pdf")
    b.add_argument("--party-top", type=int, metavar="N", help="党员红榜人数")
    b.add_argument("--party-below", type=int, metavar="N", help="党员黑榜：季度积分低于 N 分")
    b.add_argument("--org-top", type=int, metavar="N", help="单位红榜个数")
    b.add_argument("--org-below", type=int, metavar="N", help="单位黑榜：季度积分低于 N 分")
    command(b, boards_cmd, Db.OPEN)

    h = sub.add_parser("honours", help="年度评选结果和荣誉证书 PDF")
    h.add_argument("--year", required=True, metavar="YYYY")
    h.add_argument("--out", required=True, metavar="FILE.pdf")
    h.add_argument("--stars", type=int, metavar="N", help="积分之星人数（默认：社区设置）")
    h.add_argument("--no-certificates", action="store_true", help="只印名单，不印证书")
    command(h, honours_cmd, Db.OPEN)

    f = sub.add_parser("points-file", help="会员年度积分档案 PDF")
    f.add_argument("--member", required=True, metavar="ID|卡号", help="会员编号或卡号")
    f.add_argument("--year", required=True, metavar="YYYY")
    f.add_argument("--out", required=True, metavar="FILE.pdf")
    command(f, points_file_cmd, Db.OPEN)


def register(subparsers) -> None:
    r = subparsers.add_parser("report", help="报表：反馈单位的服务情况、公示与评选规则")
    rs = r.add_subparsers(dest="report_what", required=True,
                          metavar="{work-units,rules,object,decide,objections}")
    w = rs.add_parser("work-units", help="按工作单位（在职党员）和主管部门（驻区单位）生成报表")
    w.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
    w.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
    w.add_argument("--out", required=True, metavar="DIR")
    command(w, work_units_cmd, Db.OPEN)

    ru = rs.add_parser("rules", help="查看或修改公示期、红黑榜和积分之星的规则")
    for name, label in (("objection-days", "公示期天数"), ("party-top", "党员红榜人数"),
                        ("party-below", "党员黑榜：季度积分低于"), ("org-top", "单位红榜个数"),
                        ("org-below", "单位黑榜：季度积分低于"), ("stars", "积分之星人数")):
        ru.add_argument(f"--{name}", type=int, metavar="N", help=label)
    _operator_args(ru, "修改规则需要管理员")
    command(ru, rules_cmd, Db.OPEN)

    ob = rs.add_parser("object", help="对一条已审核的积分提出公示异议")
    ob.add_argument("--award", type=int, required=True, metavar="ID", help="积分记录编号")
    ob.add_argument("--by", required=True, metavar="NAME", help="提出人（实名）")
    ob.add_argument("--reason", required=True, help="异议理由")
    ob.add_argument("--deadline", metavar="YYYY-MM-DD",
                    help="异议截止日（默认：该月公示的截止日，按月底次日发布计）")
    _operator_args(ob, "记录异议的操作员")
    command(ob, object_cmd, Db.OPEN)

    de = rs.add_parser("decide", help="处理公示异议：采纳（撤销该积分）或不采纳")
    de.add_argument("objection", metavar="OBJECTION_ID")
    way = de.add_mutually_exclusive_group(required=True)
    way.add_argument("--uphold", action="store_true", help="异议成立：冲回积分")
    way.add_argument("--dismiss", action="store_true", help="异议不成立")
    de.add_argument("--note", required=True, help="处理意见")
    _operator_args(de, "处理异议需要审核员或管理员")
    command(de, decide_cmd, Db.OPEN)

    ls = rs.add_parser("objections", help="列出公示异议和处理结果")
    command(ls, objections_cmd, Db.OPEN)

    isub = shared_group(subparsers, "import")
    m = isub.add_parser("members", help="从 Excel/CSV 花名册导入会员、住户和小区楼栋（全部或全不）")
    m.add_argument("file", metavar="FILE", help=".xlsx 或 .csv（UTF-8 或 GB18030）")
    m.add_argument("--check", action="store_true", help="只检查，不导入")
    _operator_args(m, "导入需要有会员管理权限的操作员")
    command(m, import_members_cmd, Db.OPEN)


def _operator_args(p, why: str) -> None:
    p.add_argument("--operator", metavar="NAME", help=f"操作员姓名（{why}）")
    p.add_argument("--pin", help="操作员 PIN（不给则在终端输入）")


def _day(text: str | None, what: str):
    from counter_app.reports.period import optional_day

    return optional_day(text, what)


def _written(args, data: bytes, pages: int, what: str) -> int:
    write_output(args.out, data)
    print(f"{what}，共 {pages} 页：{args.out}")
    return 0


def notice_cmd(args, db) -> int:
    from counter_app.reports import notice

    n = notice.build(db, args.month, published=_day(args.published, "公示日期"),
                     objection_days=args.days)
    return _written(args, *notice.pdf(n), f"{n.period.label}积分公示：{len(n.members)} 名会员，"
                                           f"异议截止 {n.deadline:%Y-%m-%d}")


def boards_cmd(args, db) -> int:
    from counter_app.reports import boards

    b = boards.build(db, args.quarter, party_red_top=args.party_top,
                     party_black_below=args.party_below, org_red_top=args.org_top,
                     org_black_below=args.org_below)
    return _written(args, *boards.pdf(b),
                    f"{b.period.label}红黑榜：党员红榜 {len(b.party.red)}、黑榜 {len(b.party.black)}，"
                    f"单位红榜 {len(b.organisations.red)}、黑榜 {len(b.organisations.black)}")


def honours_cmd(args, db) -> int:
    from counter_app.reports import honours

    h = honours.build(db, args.year, stars_top=args.stars)
    names = "、".join(c.name for c in h.honour_compounds) or "无"
    return _written(args, *honours.pdf(h, certificates=not args.no_certificates),
                    f"{h.period.label}评选：积分之星 {len(h.stars)} 名，荣誉小区 {names}")


def member_id_of(db, text: str) -> int:
    """A member by number (``12``) or card code (``XF0100012K``)."""
    from counter_app import members

    text = (text or "").strip()
    if text.isdecimal() and text.isascii():
        return int(text)
    with db.read() as s:
        return members.lookup_card(s, text).id


def points_file_cmd(args, db) -> int:
    from counter_app.reports import points_file

    f = points_file.build(db, member_id_of(db, args.member), args.year)
    return _written(args, *points_file.pdf(f), f"{f.name} {f.period.first.year}年度积分档案："
                                               f"获得 {f.earned} 分，兑换 {f.redeemed} 分")


def work_units_cmd(args, db) -> int:
    from counter_app.errors import StorageError
    from counter_app.reports import period, work_units

    p = period.days(_day(args.first, "开始日期"), _day(args.last, "结束日期"))
    reports = work_units.build(db, p)
    try:
        files = work_units.write(reports, args.out)
    except OSError as exc:
        raise StorageError(path=Path(args.out).absolute(), reason=exc.strerror or str(exc)) from None
    print(f"{p.label}：{len(reports.units)} 个单位/主管部门，{len(files)} 个文件，在 {args.out}")
    return 0


_RULE_ARGS = {"objection_days": "objection_days", "party_top": "party_red_top",
              "party_below": "party_black_below", "org_top": "org_red_top",
              "org_below": "org_black_below", "stars": "stars_top"}


def rules_cmd(args, db) -> int:
    from dataclasses import asdict

    from counter_app.reports import report_rules

    with db.read() as s:
        rules = report_rules.load(s)
    changes = {field: getattr(args, arg) for arg, field in _RULE_ARGS.items()
               if getattr(args, arg) is not None}
    if changes:
        new = report_rules.with_overrides(rules, **changes)  # checked before asking for a PIN
        rules = report_rules.save(db, sign_in_operator(db, args.operator, args.pin), new)
    for key, value in asdict(rules).items():
        print(f"{report_rules.LABELS[key]}：{value}")
    return 0


def object_cmd(args, db) -> int:
    from datetime import timedelta

    from counter_app.db.earning_models import Award
    from counter_app.errors import NotFound
    from counter_app.reports import notice, objections, period, report_rules

    deadline = _day(args.deadline, "异议截止日")
    if deadline is None:
        with db.read() as s:
            award = s.get(Award, args.award)
            if award is None:
                raise NotFound(what=f"积分记录（编号 {args.award}）")
            month = period.month(f"{award.activity_date:%Y-%m}")
            days = report_rules.load(s).objection_days
        deadline = notice.default_published(month, month.last) + timedelta(days=days)
    actor = sign_in_operator(db, args.operator, args.pin)
    oid = objections.raise_objection(db, actor, args.award, args.by, args.reason,
                                     deadline=deadline)
    print(f"已记录异议 {oid}（积分记录 {args.award}，异议截止 {deadline:%Y-%m-%d}）")
    return 0


def decide_cmd(args, db) -> int:
    from counter_app.reports import objections

    o = objections.decide(db, sign_in_operator(db, args.operator, args.pin), args.objection,
                          args.uphold, args.note)
    print(f"异议 {o.id}：{'已采纳，积分已冲回' if o.outcome == 'upheld' else '未采纳'}"
          f"（{o.member} {o.points} 分）")
    return 0


def objections_cmd(args, db) -> int:
    from counter_app.localtime import to_local
    from counter_app.reports import objections

    with db.read() as s:
        rows = objections.objections(s)
    labels = {None: "待处理", "upheld": "已采纳", "dismissed": "未采纳"}
    for o in rows:
        print(f"{o.id}\t{to_local(o.raised_at):%Y-%m-%d %H:%M}\t积分记录 {o.award_id}\t{o.member}"
              f"\t{o.points} 分\t{o.raised_by}：{o.reason}\t{labels[o.outcome]}"
              + (f"（{o.note}）" if o.note else ""))
    if not rows:
        print("没有公示异议")
    return 0


def import_members_cmd(args, db) -> int:
    from counter_app import roster_import

    plan = roster_import.read_roster(db, args.file)
    if args.check:
        print(roster_import.summary(plan, done=False))
        return 0
    actor = sign_in_operator(db, args.operator, args.pin)
    result = roster_import.apply(db, actor, plan)
    print(roster_import.summary(result, done=True))
    return 0
