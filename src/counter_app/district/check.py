"""Reconciliation of a district database: ``district_check(url)`` -> named faults.

Recomputes what the push functions maintain, from the stored rows and independently of
them: every chain gap-free and linked, format-2 hashes recomputed in Python (chain.py, the
twin of the SQL), heads equal to the chains' ends, balances equal to opening plus the
points journal, stock levels equal to the stock journal. Overdrafts are listed (they are
kept on purpose: the goods are gone) and dead letters are faults until someone looks.
"""

from __future__ import annotations

from dataclasses import dataclass

from counter_app.district import chain
from counter_app.district.receipts_check import check_receipts
from counter_app.district.schema import connect_admin

FAULT = "fault"
NOTICE = "notice"
_TABLES = {"points": "points_journal", "stock": "stock_journal"}


@dataclass(frozen=True)
class Finding:
    name: str  # seq_gap, chain_break, hash_mismatch, head_mismatch, balance_mismatch, ...
    message: str  # Chinese, for the administrator
    severity: str = FAULT
    counter_id: str | None = None


def _finding(name: str, message: str, counter_id: str | None, notice: bool = False) -> Finding:
    return Finding(name, message, NOTICE if notice else FAULT, counter_id)


def faults(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == FAULT]


def district_check(url: str) -> list[Finding]:
    findings: list[Finding] = []
    with connect_admin(url) as conn:
        with conn.transaction():
            # One snapshot for every query: pushes running meanwhile do not show half.
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            heads = {(c, j): (s, h) for c, j, s, h in conn.execute(
                "SELECT counter_id, journal, last_seq, last_hash FROM counter_heads")}
            for (counter_id, journal), head in sorted(heads.items()):
                findings += _check_chain(conn, counter_id, journal, head)
            findings += _check_balances(conn)
            findings += _check_stock(conn)
            findings += _check_reversals(conn)
            findings += _check_unknown_counters(conn)
            findings += _check_award_approvals(conn)
            findings += check_receipts(conn, _finding)
            findings += _list_overdrafts(conn)
            findings += _list_dead_letters(conn)
    return findings


def _check_chain(conn, counter_id: str, journal: str, head: tuple[int, str]) -> list[Finding]:
    out: list[Finding] = []
    name = "积分" if journal == "points" else "库存"
    expected_seq, prev = 1, chain.GENESIS
    cur = conn.cursor(name=f"chain_{journal}")  # server-side: a long chain is streamed
    cur.itersize = 5000
    cur.execute(
        f"SELECT id, counter_id, seq, subject, delta, kind, reverses_id, ref, operator_id, "
        f"created_at, note, detail_digest, hash_format, prev_hash, hash "
        f"FROM {_TABLES[journal]} WHERE counter_id = %s ORDER BY seq", (counter_id,))
    cols = [d.name for d in cur.description]
    for values in cur:
        row = dict(zip(cols, values))
        seq = row["seq"]
        if seq != expected_seq:
            out.append(Finding("seq_gap", f"柜台 {counter_id} 的{name}流水缺号：第 {expected_seq} "
                                          f"条之后直接是第 {seq} 条", counter_id=counter_id))
        if row["prev_hash"] != prev:
            out.append(Finding("chain_break", f"柜台 {counter_id} 的{name}流水第 {seq} 条"
                                              f"没有接上前一条（链断开）", counter_id=counter_id))
        if row["hash_format"] in chain.VERIFIED and chain.entry_hash(row["prev_hash"], row) != row["hash"]:
            out.append(Finding("hash_mismatch", f"柜台 {counter_id} 的{name}流水第 {seq} 条"
                                                f"内容与哈希不符（被改动过）",
                               counter_id=counter_id))
        expected_seq, prev = seq + 1, row["hash"]
    cur.close()
    if head != (expected_seq - 1, prev):
        out.append(Finding("head_mismatch", f"柜台 {counter_id} 的{name}链头记录（第 {head[0]} 条）"
                                            f"与流水末尾（第 {expected_seq - 1} 条）不一致",
                           counter_id=counter_id))
    return out


def _check_balances(conn) -> list[Finding]:
    rows = conn.execute("""
        SELECT coalesce(b.member_id, j.subject), coalesce(b.opening, 0),
               b.balance, coalesce(j.total, 0)
          FROM balances b
          FULL JOIN (SELECT subject, sum(delta) AS total FROM points_journal
                      GROUP BY subject) j ON j.subject = b.member_id
         WHERE b.balance IS DISTINCT FROM coalesce(b.opening, 0) + coalesce(j.total, 0)
         ORDER BY 1""").fetchall()
    return [Finding("balance_mismatch",
                    f"会员 {member} 的区级余额 {'无记录' if balance is None else balance} 分，"
                    f"应为期初 {opening} 分加流水 {total} 分 = {opening + total} 分")
            for member, opening, balance, total in rows]


def _check_stock(conn) -> list[Finding]:
    rows = conn.execute("""
        SELECT coalesce(s.counter_id, j.counter_id), coalesce(s.item_id, j.subject), s.qty,
               coalesce(j.total, 0)
          FROM stock_levels s
          FULL JOIN (SELECT counter_id, subject, sum(delta) AS total FROM stock_journal
                      GROUP BY counter_id, subject) j
            ON j.counter_id = s.counter_id AND j.subject = s.item_id
         WHERE s.qty IS DISTINCT FROM coalesce(j.total, 0)
         ORDER BY 1, 2""").fetchall()
    return [Finding("stock_mismatch",
                    f"柜台 {counter} 物品 {item} 的区级库存 {'无记录' if qty is None else qty}，"
                    f"库存流水合计为 {total}", counter_id=counter)
            for counter, item, qty, total in rows]


def _check_reversals(conn) -> list[Finding]:
    out = []
    for journal, table in _TABLES.items():
        name = "积分" if journal == "points" else "库存"
        for counter, seq, target_counter in conn.execute(f"""
                SELECT r.counter_id, r.seq, t.counter_id FROM {table} r
                  LEFT JOIN {table} t ON t.id = r.reverses_id
                 WHERE r.reverses_id IS NOT NULL
                   AND t.counter_id IS DISTINCT FROM r.counter_id ORDER BY 1, 2"""):
            what = "不存在的流水" if target_counter is None else f"柜台 {target_counter} 的流水"
            out.append(Finding("foreign_reversal", f"柜台 {counter} 的{name}流水第 {seq} 条"
                                                   f"冲正了{what}", counter_id=counter))
        for target, count in conn.execute(f"""
                SELECT reverses_id, count(*) FROM {table} WHERE reverses_id IS NOT NULL
                 GROUP BY reverses_id HAVING count(*) > 1 ORDER BY 1"""):
            out.append(Finding("double_reversal", f"{name}流水 {target} 被冲正了 {count} 次"))
    return out


def _check_unknown_counters(conn) -> list[Finding]:
    """Journal rows of a counter the district does not know (d0011: the journals have no
    foreign key to counters; the push functions write only the caller's)."""
    out = []
    for journal, table in _TABLES.items():
        name = "积分" if journal == "points" else "库存"
        for counter, count in conn.execute(f"""
                SELECT j.counter_id, count(*) FROM {table} j
                 WHERE NOT EXISTS (SELECT 1 FROM counters c WHERE c.id = j.counter_id)
                 GROUP BY 1 ORDER BY 1"""):
            out.append(Finding("unknown_counter", f"{name}流水中有 {count} 条属于未登记的柜台 "
                                                  f"{counter}", counter_id=counter))
    return out


def _check_award_approvals(conn) -> list[Finding]:
    """One award, one approval: an approval entry names its award (ref ``PI<item>@<award>``,
    counter migration 0009); two award entries naming one award mean two counters approved
    it (docs/sync.md: the review-counter rule makes that impossible). Also an award whose
    ledger entry is another counter's than the one the rule lets review it."""
    out = [Finding("double_award_approval",
                   f"积分记录 {award} 被审核入账了 {count} 次（柜台 {counters}），"
                   "应在多出的柜台冲正", counter_id=None)
           for award, count, counters in conn.execute("""
                SELECT split_part(ref, '@', 2), count(*), string_agg(DISTINCT counter_id, '、')
                  FROM points_journal WHERE kind = 'award' AND ref LIKE 'PI%@%'
                 GROUP BY 1 HAVING count(*) > 1 ORDER BY 1""")]
    out += [Finding("award_reviewed_elsewhere",
                    f"积分记录 {award} 由柜台 {actual} 审核入账，按规则只能由柜台 {allowed} 审核",
                    counter_id=actual)
            for award, actual, allowed in conn.execute("""
                SELECT a.id, e.counter_id, coalesce(a.review_counter, c.counter_id)
                  FROM awards a JOIN points_journal e ON e.id = a.ledger_entry_id
                  LEFT JOIN award_review_claims c ON c.award_id = a.id
                 WHERE (a.review_counter IS NOT NULL OR c.counter_id IS NOT NULL)
                   AND e.counter_id <> coalesce(a.review_counter, c.counter_id)
                 ORDER BY 1""")]
    return out


def _list_overdrafts(conn) -> list[Finding]:
    return [Finding("overdraft", f"会员 {member} 离线透支：柜台 {counter} 兑换后余额为 "
                                 f"{balance} 分", severity=NOTICE, counter_id=counter)
            for member, counter, balance in conn.execute(
                "SELECT member_id, counter_id, balance_after FROM overdrafts "
                "WHERE resolved_at IS NULL ORDER BY detected_at, member_id")]


def _list_dead_letters(conn) -> list[Finding]:
    return [Finding("dead_letter", f"柜台 {counter} 上传的 {journal} 记录 {entry}"
                                   f"{'' if seq is None else f'（序号 {seq}）'}被拒收：{reason}",
                    counter_id=counter)
            for counter, journal, entry, seq, reason in conn.execute(
                "SELECT counter_id, journal, entry_id, seq, reason FROM dead_letters "
                "ORDER BY at, counter_id")]
