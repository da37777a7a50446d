"""The goods-received note (入库单) as a slip for the receipt printer (ESC/POS 58/80 mm,
a roll PDF or the system printer), printed through the same path as the day-close report
(ui/day/slip_output.render_slip). ``rows`` are reports.stock_reports.goods_received_rows:
(time, item, qty, unit, source, note).
"""

from __future__ import annotations

from counter_app.documents.slip import (
    CUT_LINE, RULE_LINE, SMALL, TITLE, Slip, SlipLine, centered, columns_for, pair,
    paragraph,
)


def goods_received_slip(rows, counter: str, operator: str, printed_at: str,
                        width_mm: int = 58) -> Slip:
    cols = columns_for(width_mm)
    lines: list[SlipLine] = [*centered("入库单", cols, TITLE), *centered(counter, cols)]
    lines += pair("经办", operator, cols)
    lines += pair("打印时间", printed_at, cols)
    lines += [RULE_LINE]
    for when, item, qty, unit, source, note in rows:
        lines += pair(item, f"{qty} {unit}", cols)
        lines += paragraph(f"  {when} · {source}" + (f" · {note}" if note else ""), cols, SMALL)
    lines += [RULE_LINE]
    lines += pair("合计", f"{len(rows)} 笔 {sum(r[2] for r in rows)} 件", cols)
    lines += [RULE_LINE, *pair("送货人", "________", cols), *pair("收货人", "________", cols),
              CUT_LINE]
    first = rows[0][0] if rows else printed_at
    return Slip(title=f"入库单 {first}", columns=cols, lines=tuple(lines), author=counter,
                meta={"entries": str(len(rows))})
