"""The day-close report (日结) and the shift summary (交接班小结) as slips: printed on the
receipt printer (ESC/POS), as a roll-width PDF, or through the system printer, like
receipts (documents.slip). The chain heads are printed in full, in groups of eight hex
digits, so that anyone can compare the paper with ``counter-app check`` later.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime

from counter_app.documents.slip import (
    BIG, CUT_LINE, RULE_LINE, SMALL, TITLE, Slip, SlipLine, centered, columns_for, pair,
    paragraph,
)
from counter_app.localtime import to_local


def _when(naive_utc: datetime) -> str:
    return f"{to_local(naive_utc):%Y-%m-%d %H:%M}"


def _section(title: str, columns: int) -> list[SlipLine]:
    return [RULE_LINE, *centered(title, columns, BIG)]


def _listed(title: str, rows: list[tuple[str, str]], empty: str, columns: int) -> list[SlipLine]:
    out = _section(title, columns)
    if not rows:
        out += paragraph(empty, columns)
    for left, right in rows:
        out += pair(left, right, columns)
    return out


def _hash_lines(value: str, columns: int) -> list[SlipLine]:
    groups = [value[i:i + 8] for i in range(0, len(value), 8)]
    per_line = max(1, (columns + 1) // 9)
    return [SlipLine(" ".join(groups[i:i + per_line]))
            for i in range(0, len(groups), per_line)]


def day_close_slip(report, width_mm: int = 80, reprint: bool = False,
                   supplement=None) -> Slip:
    """``report``: a day.day_close.DayReport; ``supplement``: the same day's figures now,
    when entries of the day were written after the close (day_close.after_close): printed
    after the closed report, which stays as it was."""
    slip = _day_close_slip(report, width_mm, reprint)
    if supplement is None:
        return slip
    more = _day_close_slip(supplement, width_mm, reprint=False, closed=report)
    return replace(slip, lines=(*slip.lines, *more.lines))


def _day_close_slip(report, width_mm: int, reprint: bool, closed=None) -> Slip:
    cols = columns_for(width_mm)
    title = "补充日结" if closed is not None else "日结报表"
    lines: list[SlipLine] = [*centered(report.counter_name, cols, TITLE),
                             *centered(f"{report.community} · {title}", cols)]
    if reprint:
        lines += centered("（补打：与日结时相同）", cols)
    if closed is not None:
        from counter_app.day.day_close import what_came_after

        lines += paragraph(f"{what_came_after(closed, report)}（日结于 "
                           f"{_when(closed.closed_at)}）。下面是全天到现在的数字，上面的日结"
                           f"报表保持不变", cols)
    lines += pair("营业日", report.day.isoformat(), cols)
    lines += pair("柜台", report.counter_id, cols)
    lines += pair("补充时间" if closed is not None else "日结时间", _when(report.closed_at), cols)
    lines += pair("日结人", report.closed_by or "—", cols)
    lines += pair("统计截至", _when(report.as_of), cols)

    lines += _section("兑换", cols)
    lines += pair("兑换笔数", f"{report.redemptions} 笔", cols)
    lines += pair("兑出积分", f"{report.points_redeemed} 分", cols)
    for row in report.categories:
        lines += pair(f"  {row.category}", f"{row.receipts}笔 {row.qty}件 {row.points}分", cols)

    lines += _listed("商家优惠券", [(r.merchant, f"{r.qty}张 {r.points}分") for r in report.vouchers],
                     "今天没有兑出优惠券", cols)
    lines += _listed("库存变动", [(f"{r.kind_label}·{r.source}", f"{r.entries}条 {r.qty:+d}")
                              for r in report.stock], "今天没有库存变动", cols)

    lines += _section("作废", cols)
    if not report.voids:
        lines += paragraph("今天没有作废小票", cols)
    for v in report.voids:
        lines += pair(f"{v.at} {v.receipt_no}", f"{v.points}分", cols)
        asked = f"，{v.requested_by} 申请" if v.requested_by else ""
        lines += paragraph(f"  原因：{v.reason}{asked}，{v.approved_by} 批准", cols, SMALL)

    lines += _section("积分记录", cols)
    lines += pair("记录笔数", f"{report.awards_recorded} 笔", cols)
    lines += pair("记入积分", f"{report.points_awarded} 分", cols)
    lines += pair("已审核", "—" if report.awards_reviewed is None
                  else f"{report.awards_reviewed} 笔", cols)

    lines += _section("同步", cols)
    if report.district_id is None:
        lines += paragraph("未加入街道：本报表是账本在电脑之外的唯一凭据，请妥善保存", cols)
    for row in report.sync:
        label = {"points": "积分账本", "stock": "库存账本"}.get(row.journal, row.journal)
        lines += pair(label, f"街道已收到 {row.acked_seq}/{row.head_seq}", cols)
    lines += pair("待上传变更", f"{report.outbox_pending} 条", cols)
    lines += pair("上次同步", report.last_sync or "从未", cols)

    lines += _section("账本链头", cols)
    for head in report.heads:
        lines += pair(head.label, f"第 {head.seq} 条", cols)
        lines += pair("  今日/累计", f"{head.entries_today}/{head.entries_total} 条", cols)
        lines += _hash_lines(head.hash, cols)
    lines += paragraph("核对：counter-app check 之后链头应与此一致", cols, SMALL)
    lines += [RULE_LINE, *pair("日结人签字", "________", cols), CUT_LINE]
    return Slip(title=f"日结 {report.counter_id} {report.day.isoformat()}", columns=cols,
                lines=tuple(lines), author=report.counter_name,
                meta={"day": report.day.isoformat()})


def shift_slip(summary, width_mm: int = 58) -> Slip:
    """``summary``: a day.shifts.ShiftSummary."""
    cols = columns_for(width_mm)
    lines: list[SlipLine] = [*centered(summary.counter_name, cols, TITLE),
                             *centered("交接班小结", cols)]
    lines += pair("班次", str(summary.shift_id), cols)
    lines += pair("操作员", summary.operator, cols)
    lines += pair("开始", _when(summary.started_at), cols)
    lines += pair("结束", _when(summary.ended_at), cols)
    lines += [RULE_LINE]
    lines += pair("兑换笔数", f"{summary.redemptions} 笔", cols)
    lines += pair("兑出积分", f"{summary.points_redeemed} 分", cols)
    lines += pair("优惠券", f"{summary.vouchers} 张", cols)
    lines += pair("作废", f"{len(summary.voids)} 笔", cols)
    for v in summary.voids:
        lines += paragraph(f"  {v.receipt_no} {v.points}分：{v.reason}（{v.approved_by} 批准）",
                           cols, SMALL)
    lines += [RULE_LINE, *paragraph("库存不足的物品：" + ("无" if not summary.low_stock else ""),
                                    cols)]
    for item in summary.low_stock:
        lines += pair(f"  {item.name}", f"剩 {item.qty}{item.unit}", cols)
    lines += [RULE_LINE]
    lines += pair("交班", summary.operator, cols)
    lines += pair("接班", summary.received_by or "________", cols)
    lines += [CUT_LINE]
    return Slip(title=f"交接班 {summary.operator} {summary.day}", columns=cols,
                lines=tuple(lines), author=summary.counter_name,
                meta={"shift_id": summary.shift_id})


def slip_bytes(slip: Slip, width_mm: int, pdf: bool) -> bytes:
    """The finished document: a roll PDF, or the ESC/POS job."""
    if pdf:
        from counter_app.documents.roll_pdf import slip_pdf

        buf = io.BytesIO()
        slip_pdf(slip, buf, width_mm)
        return buf.getvalue()
    from counter_app.documents.thermal import slip_escpos

    return slip_escpos(slip, width_mm)
