"""``counter-app check``: verify the journals and receipts the counter trusts.

For each counter's points and stock journal: the sequence is gap-free from 1, every
entry's prev_hash is its predecessor's hash and its own hash recomputes (in the entry's
``hash_format``), the journal head matches the last entry; reversals point at an existing
entry of the opposite delta; cached balances/levels equal journal sums and none is
negative. Receipts (check_receipts) are cross-checked against their points and stock
entries. Each fault names the entry, in Chinese.

The file is opened read-only (plain sqlite3, ``mode=ro``, db.raw_read): checking never
changes what it checks, and works on read-only media; nor does it load SQLAlchemy, so
``counter-app check`` starts fast. Stored values of the wrong type or out of range
are reported as faults, never raised.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from counter_app.bounds import MAX_AMOUNT
from counter_app.db.raw_read import RawSession as Session, text
from counter_app.journal_hashes import ENTRY_HASHES, GENESIS, POINTS, STOCK

JOURNAL_LABELS = {"points_journal": "积分账本", "stock_journal": "库存账本",
                  "redemptions": "兑换小票", "awards": "积分审核", "sync_pulling": "街道同步"}


@dataclass(frozen=True)
class Fault:
    journal: str  # table name: points_journal, stock_journal, redemptions
    entry_id: str | None  # journal entry id, or the receipt number for redemptions
    counter_id: str | None
    seq: int | None
    problem: str

    def __str__(self) -> str:
        label = JOURNAL_LABELS.get(self.journal, self.journal)
        if self.journal == "redemptions" and self.entry_id:
            return f"{label} {self.entry_id}：{self.problem}"
        if self.entry_id:
            return f"{label} 柜台 {self.counter_id} 第 {self.seq} 条（{self.entry_id}）：{self.problem}"
        if self.counter_id:
            return f"{label} 柜台 {self.counter_id}：{self.problem}"
        return f"{label}：{self.problem}"


@dataclass
class Report:
    faults: list[Fault]
    points_entries: int = 0
    stock_entries: int = 0
    accounts: int = 0
    receipts: int = 0

    @property
    def ok(self) -> bool:
        return not self.faults

    def summary(self) -> str:
        """What was checked, in one Chinese line (for the CLI and the UI)."""
        return (f"已检查：积分记录 {self.points_entries} 条，库存记录 {self.stock_entries} 条，"
                f"会员账户 {self.accounts} 个，小票 {self.receipts} 张")

    def verdict(self) -> str:
        if self.ok:
            return "正常：哈希链、序号、余额、库存和小票全部一致"
        return f"发现 {len(self.faults)} 处问题："


_JOURNALS = {POINTS: ("member_id", "points_journal"), STOCK: ("item_id", "stock_journal")}
_COLS = ("id", "counter_id", "seq", "subject", "delta", "kind", "reverses_id", "ref",
         "operator_id", "created_at", "note", "prev_hash", "hash", "hash_format",
         "detail_digest", "subject_uid", "operator_uid", "subject_row_uid", "operator_row_uid")
_SUBJECT_TABLES = {POINTS: "members", STOCK: "exchange_items"}


def _is_amount(value) -> bool:
    return type(value) is int and abs(value) <= MAX_AMOUNT


def _short(h) -> str:
    return f"{h[:16]}…" if isinstance(h, str) and len(h) > 16 else repr(h)


def _columns(session: Session, table: str) -> set[str]:
    return {r[1] for r in session.execute(text(f"PRAGMA table_info({table})"))}


def _entries(session: Session, journal: str):
    """Raw rows (no type conversion, so a tampered value cannot raise while reading)."""
    subject, table = _JOURNALS[journal]
    have = _columns(session, table)
    fmt = "j.hash_format" if "hash_format" in have else "1"  # files of schema 0001
    digest = "j.detail_digest" if "detail_digest" in have else "NULL"
    if "subject_uid" in have:  # schema 0003: format 3 hashes these uids
        uids = ("j.subject_uid, j.operator_uid, s.uid, o.uid FROM {t} j "
                "LEFT JOIN {s} s ON s.id = j.{c} LEFT JOIN operators o ON o.id = j.operator_id")
        uids = uids.format(t=table, s=_SUBJECT_TABLES[journal], c=subject)
    else:
        uids = f"NULL, NULL, NULL, NULL FROM {table} j"
    sql = (f"SELECT j.id, j.counter_id, j.seq, j.{subject}, j.delta, j.kind, j.reverses_id, "
           f"j.ref, j.operator_id, j.created_at, j.note, j.prev_hash, j.hash, {fmt}, {digest}, "
           f"{uids} ORDER BY j.counter_id, j.seq")
    for row in session.execute(text(sql)).yield_per(5000):
        yield dict(zip(_COLS, row))


def _recomputed(f: dict) -> tuple[str | None, str | None]:
    """(hash from the content, or None; problem reading the content, or None)."""
    fmt = f["hash_format"]
    if fmt not in ENTRY_HASHES:
        return None, f"未知的哈希格式 {fmt!r}"
    fields = dict(f)
    try:
        fields["created_at"] = datetime.fromisoformat(str(f["created_at"]))
    except ValueError:
        return None, f"时间无法读取：{f['created_at']!r}"
    try:
        return ENTRY_HASHES[fmt](f["prev_hash"], fields), None
    except (TypeError, ValueError) as exc:
        return None, f"内容无法读取（{exc}）"


class _Chain:
    """One pass over a journal: chain, sequence, value range, sums per cached key."""

    def __init__(self, session: Session, journal: str, faults: list[Fault]):
        self.session, self.journal, self.faults = session, journal, faults
        self.table = _JOURNALS[journal][1]
        self.sums: dict[str, int] = defaultdict(int)
        self.by_id: dict[str, dict] = {}  # entries other checks look at again (kept small)
        self.count = 0

    def fault(self, f: dict | None, problem: str, counter: str | None = None) -> None:
        if f is None:
            self.faults.append(Fault(self.table, None, counter, None, problem))
        else:
            self.faults.append(Fault(self.table, f["id"], f["counter_id"], f["seq"], problem))

    def run(self) -> int:
        last: dict[str, tuple[int, str]] = {}
        for f in _entries(self.session, self.journal):
            self.count += 1
            counter = f["counter_id"]
            prev_seq, prev_hash = last.get(counter, (0, GENESIS))
            if f["seq"] != prev_seq + 1:
                self.fault(f, f"序号不连续：这里应是第 {prev_seq + 1} 条")
            if f["prev_hash"] != prev_hash:
                self.fault(f, f"链条断开：记录的上一条哈希 {_short(f['prev_hash'])} 与前一条记录的"
                              f"哈希 {_short(prev_hash)} 不一致")
            computed, problem = _recomputed(f)
            if problem:
                self.fault(f, problem)
            elif computed != f["hash"]:
                self.fault(f, f"内容被改动：记录的哈希 {_short(f['hash'])} 与按内容算出的 "
                              f"{_short(computed)} 不一致")
            if f["hash_format"] == 3:
                self._uids(f)
            if not _is_amount(f["delta"]) or f["delta"] == 0:
                self.fault(f, f"变动值 {f['delta']!r} 不是 ±{MAX_AMOUNT:,} 以内的非零整数")
            else:
                self.sums[self._key(f)] += f["delta"]
            if f["kind"] in ("redemption", "reversal"):
                self.by_id[f["id"]] = f
            last[counter] = (f["seq"] if type(f["seq"]) is int else prev_seq + 1, f["hash"])
        self._heads(last)
        self._reversals()
        return self.count

    def _uids(self, f: dict) -> None:
        """Format 3 hashes the uids, not the local rowids beside them: a rowid pointed at
        another member (or operator) would move points unseen by the hash."""
        what = "会员" if self.journal == POINTS else "物品"
        if f["subject_uid"] != f["subject_row_uid"]:
            self.fault(f, f"{what}编号 {f['subject']!r} 与哈希覆盖的{what}标识 "
                          f"{f['subject_uid']!r} 不符")
        if f["operator_uid"] != f["operator_row_uid"]:
            self.fault(f, f"操作员编号 {f['operator_id']!r} 与哈希覆盖的操作员标识 "
                          f"{f['operator_uid']!r} 不符")

    def _key(self, f: dict) -> str:
        return str(f["subject"]) if self.journal == POINTS else f"{f['counter_id']}:{f['subject']}"

    def _heads(self, last: dict[str, tuple[int, str]]) -> None:
        heads = {c: (s, h) for c, s, h in self.session.execute(text(
            "SELECT counter_id, last_seq, last_hash FROM journal_heads WHERE journal = :j"),
            {"j": self.journal})}
        for counter in last.keys() - heads.keys():
            self.fault(None, "有记录但没有账本头：下一次记账会失败", counter)
        for counter, (head_seq, head_hash) in heads.items():
            seq, hsh = last.get(counter, (0, GENESIS))
            if head_seq == seq and head_hash != hsh:
                self.fault(None, f"账本头记录的哈希与最后一条记录不一致（第 {seq} 条）："
                                 f"头={head_hash}，记录={hsh}", counter)
            elif type(head_seq) is not int:
                self.fault(None, f"账本头的序号 {head_seq!r} 无法读取", counter)
            elif head_seq > seq:
                missing = (f"第 {seq + 1} 条" if head_seq == seq + 1
                           else f"第 {seq + 1}–{head_seq} 条")
                self.fault(None, f"记录不完整：账本头说最后是第 {head_seq} 条，记录只到第 {seq} 条，"
                                 f"{missing}缺失（尾部被截断？）", counter)
            elif head_seq < seq:
                self.fault(None, f"账本头落后：账本头说最后是第 {head_seq} 条，记录已到第 {seq} 条",
                           counter)

    def _reversals(self) -> None:
        subject, table = _JOURNALS[self.journal]
        rows = self.session.execute(text(
            f"SELECT r.id, r.counter_id, r.seq, r.delta, r.kind, r.reverses_id, "
            f"r.{subject} AS subject, o.id AS original_id, o.delta AS original, "
            f"o.kind AS original_kind, o.{subject} AS original_subject "
            f"FROM {table} r LEFT JOIN {table} o ON o.id = r.reverses_id "
            f"WHERE r.reverses_id IS NOT NULL"))
        for r in rows:
            if r.original_id is None:
                problem = f"撤销了一条不存在的记录 {r.reverses_id}"
            elif not (_is_amount(r.original) and _is_amount(r.delta)) or r.original != -r.delta:
                problem = f"撤销的变动 {r.delta!r} 抵不上原记录的 {r.original!r}"
            elif r.kind != "reversal" or r.original_kind == "reversal":
                problem = f"一条“{r.kind}”记录撤销了一条“{r.original_kind}”记录"
            elif r.subject != r.original_subject:
                problem = f"撤销记在 {r.subject} 上，原记录记在 {r.original_subject} 上"
            else:
                continue
            self.faults.append(Fault(table, r.id, r.counter_id, r.seq, problem))


def _in_district(session: Session) -> bool:
    return session.execute(text("SELECT 1 FROM settings WHERE key = 'district_id'")).first() \
        is not None


def _verify_cache(session: Session, chain: _Chain) -> int:
    if chain.journal == POINTS:
        cached = session.execute(text("SELECT member_id, balance FROM points_accounts"))
        what, amount = "会员", "余额"
    else:
        cached = session.execute(text(
            "SELECT counter_id || ':' || item_id, qty FROM stock_levels"))
        what, amount = "物品", "库存"
    seen, keys = 0, set()
    for key, value in cached:
        seen += 1
        key = str(key)
        keys.add(key)
        total = chain.sums.get(key, 0)
        if type(value) is not int:
            chain.fault(None, f"{what} {key}：{amount}缓存 {value!r} 不是整数，账本合计为 {total}")
            continue
        if value < 0 and not (chain.journal == POINTS and _in_district(session)):
            # At a district counter points_accounts sums only its own entries: negative
            # when a member spends here what was earned elsewhere (sync.balances).
            chain.fault(None, f"{what} {key}：{amount}为负数 {value}")
        if total != value:
            chain.fault(None, f"{what} {key}：{amount}缓存为 {value}，账本合计为 {total}")
    for key, total in chain.sums.items():
        if key not in keys and total != 0:
            chain.fault(None, f"{what} {key}：账本合计为 {total}，但没有{amount}记录")
    return seen


def check_file(path: Path | str) -> Report:
    """``counter-app check``: refuse a missing or foreign file, then verify it read-only."""
    from counter_app.backup import check_counter_db

    check_counter_db(Path(path))
    return verify(Path(path))


def verify(db) -> Report:
    """Check a database (a Database or a path), always through a read-only connection."""
    from counter_app.db.raw_read import read_only_session
    from counter_app.earning.check import award_faults
    from counter_app.receipts_check import check_receipts
    from counter_app.sync.anchor import anchor_faults, pulling_faults

    faults: list[Fault] = []
    with read_only_session(db.path if hasattr(db, "path") else Path(db)) as s:
        points, stock = _Chain(s, POINTS, faults), _Chain(s, STOCK, faults)
        n_points, n_stock = points.run(), stock.run()
        accounts = _verify_cache(s, points)
        _verify_cache(s, stock)
        receipts = check_receipts(s, points.by_id, stock.by_id, faults)
        # approved awards against their ledger entries (earning/check.py, issue 10)
        faults += [Fault("awards", None, None, None, p) for p in award_faults(s)]
        faults += anchor_faults(s)  # the district's head at the last sync (sync/anchor.py)
        faults += pulling_faults(s)
    return Report(faults, n_points, n_stock, accounts, receipts)
