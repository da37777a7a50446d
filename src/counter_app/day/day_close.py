"""Day close (日结): the day's figures and the chain heads, computed once and kept.

``close_day`` computes the report of one local calendar day of this counter inside one
BEGIN IMMEDIATE transaction (nothing can be written between reading the figures and the
heads) and stores it in ``day_closes``: the report as printed (JSON) and the head of each
journal (sequence and hash of the last entry, and the entry count). Closing the same day
again returns the stored report unchanged (idempotent): a past day is re-printed from what
was closed, never recomputed. ``day_closes`` is synced to the district (migration 0007):
until the district holds the heads, the printed paper is the only anchor outside the PC.

What a day is: entries of this counter whose ``created_at`` falls in the local day, up to
the moment of closing (today) or the end of the day (a past day closed late). A receipt
counts when it was not voided by then; voids of the day are listed with reason, who asked
and who approved (the administrator whose PIN the void took).

Sections read from tables other helpers add are read only if those tables exist:
``vouchers`` (per merchant; redeemed merchant offers are always counted) and ``awards``
(reviewed awards, by ``reviewed_at``).

Speed: journal ranges are bounded by the UUIDv7 id floor (reports.dashboard.id_floor),
so a day on a 100,000-member database reads the day's rows, not the whole journal.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

from counter_app import audit, clock, localtime
from counter_app.counters import LOCAL_COUNTER
from counter_app.day import as_datetime as _dt, timed_sql as _q
from counter_app.db.day_models import DayClose
from counter_app.errors import InvalidInput
from counter_app.journal import GENESIS, TABLES
from counter_app.operators import Actor
from counter_app.reports.dashboard import id_floor

JOURNAL_LABELS = {"points": "积分账本", "stock": "库存账本"}
STOCK_KIND_LABELS = {"receive": "入库", "redemption": "兑换出库", "reversal": "作废退回",
                     "adjustment": "调整", "stocktake": "盘点调整", "writeoff": "报损"}


@dataclass(frozen=True)
class CategoryRow:
    category: str
    receipts: int  # receipts with at least one line of this category
    qty: int
    points: int


@dataclass(frozen=True)
class VoucherRow:
    merchant: str
    qty: int
    points: int


@dataclass(frozen=True)
class StockRow:
    kind: str  # receive, redemption, reversal, adjustment, or another helper's kind
    source: str  # what the movement came from: a receipt, a delivery's note …
    entries: int
    qty: int  # sum of the deltas (negative: out)

    @property
    def kind_label(self) -> str:
        return STOCK_KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class VoidRow:
    receipt_no: str
    at: str  # local HH:MM
    points: int
    reason: str
    requested_by: str | None
    approved_by: str


@dataclass(frozen=True)
class HeadRow:
    journal: str  # points, stock (or another journal of journal_heads)
    seq: int  # of the last entry; 0 for an empty journal
    hash: str  # of the last entry; GENESIS for an empty journal
    entries_today: int
    entries_total: int

    @property
    def label(self) -> str:
        return JOURNAL_LABELS.get(self.journal, self.journal)


@dataclass(frozen=True)
class SyncRow:
    journal: str
    acked_seq: int  # highest sequence the district acknowledged
    head_seq: int


@dataclass(frozen=True)
class DayReport:
    counter_id: str
    counter_name: str
    community: str
    day: date
    as_of: datetime  # naive UTC: the figures cover [day start, as_of]
    closed_at: datetime  # naive UTC
    closed_by: str
    redemptions: int
    points_redeemed: int
    categories: tuple[CategoryRow, ...]
    vouchers: tuple[VoucherRow, ...]
    stock: tuple[StockRow, ...]
    voids: tuple[VoidRow, ...]
    awards_recorded: int
    points_awarded: int
    awards_reviewed: int | None  # None: this program records no reviews
    sync: tuple[SyncRow, ...]
    outbox_pending: int
    last_sync: str | None
    district_id: str | None
    heads: tuple[HeadRow, ...]
    extra: dict = field(default_factory=dict)

    def head(self, journal: str) -> HeadRow:
        return next(h for h in self.heads if h.journal == journal)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, default=_json_default,
                          sort_keys=True)

    @classmethod
    def from_json(cls, data: str) -> DayReport:
        raw = json.loads(data)
        rows = {"categories": CategoryRow, "vouchers": VoucherRow, "stock": StockRow,
                "voids": VoidRow, "sync": SyncRow, "heads": HeadRow}
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        for name, row in rows.items():
            values[name] = tuple(row(**r) for r in values.get(name, ()))
        values["day"] = date.fromisoformat(values["day"])
        for name in ("as_of", "closed_at"):
            values[name] = datetime.fromisoformat(values[name])
        return cls(**values)


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


@dataclass(frozen=True)
class Closed:
    report: DayReport
    new: bool  # False: the day was closed before, this is the stored report
    close_id: int


# --- the figures --------------------------------------------------------------------------


_REDEMPTIONS = _q(
    "SELECT COUNT(*), COALESCE(SUM(d.total_points), 0) FROM redemptions d "
    "WHERE d.counter_id = :c AND d.created_at >= :lo AND d.created_at <= :hi "
    "AND NOT EXISTS (SELECT 1 FROM points_journal r WHERE r.reverses_id = d.points_entry_id "
    "AND r.created_at <= :hi)")
_CATEGORIES = _q(
    "SELECT i.category, COUNT(DISTINCT d.id), SUM(l.qty), SUM(l.qty * l.unit_points) "
    "FROM redemptions d JOIN redemption_lines l ON l.redemption_id = d.id "
    "JOIN exchange_items i ON i.id = l.item_id "
    "WHERE d.counter_id = :c AND d.created_at >= :lo AND d.created_at <= :hi "
    "AND NOT EXISTS (SELECT 1 FROM points_journal r WHERE r.reverses_id = d.points_entry_id "
    "AND r.created_at <= :hi) GROUP BY i.category ORDER BY SUM(l.qty * l.unit_points) DESC, "
    "i.category")
_MERCHANT_OFFERS = _q(
    "SELECT COALESCE(i.merchant, '未注明商家'), SUM(l.qty), SUM(l.qty * l.unit_points) "
    "FROM redemptions d JOIN redemption_lines l ON l.redemption_id = d.id "
    "JOIN exchange_items i ON i.id = l.item_id "
    "WHERE d.counter_id = :c AND d.created_at >= :lo AND d.created_at <= :hi "
    "AND i.kind = 'merchant_offer' "
    "AND NOT EXISTS (SELECT 1 FROM points_journal r WHERE r.reverses_id = d.points_entry_id "
    "AND r.created_at <= :hi) GROUP BY 1 ORDER BY 1")
# Source of a movement: what the stock journal itself says — a receive's source is its ref
# (stock/receive.py: purchase, donation:<merchant uid>, street, district, other with a
# note), a write-off's its reason; redemptions and their reversals come from receipts; an
# entry without such a ref (an adjustment, one from before sources) by its note.
_STOCK = _q(
    "SELECT kind, CASE WHEN kind IN ('redemption', 'reversal') THEN '兑换小票' "
    "ELSE COALESCE(label || COALESCE('：' || NULLIF(NULLIF(TRIM(note), ''), label), ''), "
    "NULLIF(TRIM(note), ''), '未注明') END AS source, COUNT(*), SUM(delta) "
    "FROM (SELECT kind, note, delta, CASE WHEN ref = 'purchase' THEN '社区采购' "
    "WHEN ref LIKE 'donation:%' THEN '商家让利（' || COALESCE((SELECT m.name FROM merchants m "
    "WHERE m.uid = substr(ref, 10)), '商家') || '）' "
    "WHEN ref = 'street' THEN '街道调拨' WHEN ref = 'district' THEN '区级调拨' "
    "WHEN ref = 'other' THEN '其他' "
    "WHEN ref = 'writeoff:damaged' THEN '破损' WHEN ref = 'writeoff:expired' THEN '过期' "
    "WHEN ref = 'writeoff:lost' THEN '丢失' END AS label "
    "FROM stock_journal WHERE id >= :floor AND counter_id = :c "
    "AND created_at >= :lo AND created_at <= :hi) GROUP BY kind, source ORDER BY kind, source")
_VOIDS = _q(
    "SELECT v.receipt_no, v.created_at, d.total_points, v.reason, v.requested_by, o.name "
    "FROM redemption_voids v JOIN redemptions d ON d.id = v.redemption_id "
    "JOIN operators o ON o.id = v.operator_id "
    "WHERE v.counter_id = :c AND v.created_at >= :lo AND v.created_at <= :hi "
    "ORDER BY v.created_at, v.receipt_no")
_AWARDS = _q(
    "SELECT COUNT(*), COALESCE(SUM(delta), 0) FROM points_journal p "
    "WHERE p.id >= :floor AND +p.counter_id = :c AND p.kind = 'award' "
    "AND p.created_at >= :lo AND p.created_at <= :hi "
    "AND NOT EXISTS (SELECT 1 FROM points_journal r WHERE r.reverses_id = p.id "
    "AND r.created_at <= :hi)")
_LAST_BY = {j: _q(f"SELECT seq, hash FROM {t} WHERE counter_id = :c AND created_at <= :hi "
                  f"ORDER BY seq DESC LIMIT 1") for j, t in TABLES.items()}
_COUNT_DAY = {j: _q(f"SELECT COUNT(*) FROM {t} WHERE id >= :floor AND +counter_id = :c "
                    f"AND created_at >= :lo AND created_at <= :hi") for j, t in TABLES.items()}


def _tables(s: Session) -> dict[str, set[str]]:
    names = [r[0] for r in s.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))]
    return {n: {r[1] for r in s.execute(text(f"PRAGMA table_info('{n}')"))} for n in names
            if n in ("vouchers", "awards")}


def _first(cols: set[str], *names: str) -> str | None:
    return next((n for n in names if n in cols), None)


def _vouchers_table(s: Session, cols: set[str], p: dict) -> list[VoucherRow]:
    """Vouchers issued (the stock helper's table), per merchant, if its shape is known."""
    merchant = _first(cols, "merchant", "merchant_name")
    at = _first(cols, "issued_at", "created_at")
    if merchant is None or at is None:
        return []
    where = f"{at} >= :lo AND {at} <= :hi" + (" AND counter_id = :c" if "counter_id" in cols
                                             else "")
    points = "SUM(points)" if "points" in cols else "0"
    rows = s.execute(_q(f"SELECT COALESCE({merchant}, '未注明商家'), COUNT(*), {points} "
                        f"FROM vouchers WHERE {where} GROUP BY 1 ORDER BY 1"), p)
    return [VoucherRow(f"{m}（券）", int(n), int(pts or 0)) for m, n, pts in rows]


def _reviewed(s: Session, cols: set[str], p: dict) -> int | None:
    at = _first(cols, "reviewed_at")
    if at is None:
        return None
    where = f"{at} >= :lo AND {at} <= :hi" + (" AND counter_id = :c" if "counter_id" in cols
                                             else "")
    return int(s.execute(_q(f"SELECT COUNT(*) FROM awards WHERE {where}"), p).scalar() or 0)


def _heads(s: Session, p: dict) -> list[HeadRow]:
    out = []
    for journal in TABLES:
        last = s.execute(_LAST_BY[journal], p).first()
        seq, hash_ = (int(last[0]), last[1]) if last else (0, GENESIS)
        today = int(s.execute(_COUNT_DAY[journal], p).scalar())
        out.append(HeadRow(journal, seq, hash_, today, seq))  # sequences are gap-free
    # Journals other helpers add keep their heads in journal_heads too; the receipt
    # numbering also lives there, as a counter without a hash (never a chain).
    for journal, seq, hash_ in s.execute(text(
            "SELECT journal, last_seq, last_hash FROM journal_heads WHERE counter_id = :c "
            "ORDER BY journal"), p):
        if journal not in TABLES and hash_ != GENESIS:
            out.append(HeadRow(journal, int(seq), hash_, 0, int(seq)))
    return out


def _setting(s: Session, key: str) -> str | None:
    return s.execute(text("SELECT value FROM settings WHERE key = :k"), {"k": key}).scalar()


def compute(s: Session, counter_id: str, day: date, *, now: datetime | None = None,
            closed_by: str = "", tz=None) -> DayReport:
    """The report of ``day`` (local) for ``counter_id`` as of ``now`` (default: now)."""
    now = now or clock.now_utc()
    lo = localtime.day_start_utc(day, tz)
    end = localtime.day_start_utc(day + timedelta(days=1), tz) - timedelta(microseconds=1)
    hi = min(now, end)
    p = {"c": counter_id, "lo": lo, "hi": hi, "floor": id_floor(lo)}
    names = s.execute(text(
        "SELECT k.name, c.name FROM counters k JOIN communities c ON c.id = k.community_id "
        "WHERE k.id = :c"), p).one()
    receipts, redeemed = s.execute(_REDEMPTIONS, p).one()
    categories = [CategoryRow(c, int(n), int(q), int(pts))
                  for c, n, q, pts in s.execute(_CATEGORIES, p)]
    vouchers = [VoucherRow(m, int(q), int(pts)) for m, q, pts in s.execute(_MERCHANT_OFFERS, p)]
    extra_tables = _tables(s)
    if "vouchers" in extra_tables:
        vouchers += _vouchers_table(s, extra_tables["vouchers"], p)
    stock = [StockRow(k, src, int(n), int(q)) for k, src, n, q in s.execute(_STOCK, p)]
    voids = [VoidRow(no, localtime.to_local(_dt(at), tz).strftime("%H:%M"), int(pts), reason,
                     requested, approver)
             for no, at, pts, reason, requested, approver in s.execute(_VOIDS, p)]
    awards, awarded = s.execute(_AWARDS, p).one()
    reviewed = (_reviewed(s, extra_tables["awards"], p) if "awards" in extra_tables else None)
    heads = _heads(s, p)
    acked = {j: int(a) for j, a in s.execute(text(
        "SELECT journal, acked_seq FROM sync_state WHERE counter_id = :c"), p)}
    sync = tuple(SyncRow(h.journal, acked.get(h.journal, 0), h.seq) for h in heads
                 if h.journal in TABLES)
    pending = int(s.execute(text(
        "SELECT COUNT(*) FROM outbox WHERE seq > (SELECT acked_seq FROM outbox_acked "
        "WHERE id = 1)")).scalar())
    from counter_app.sign_in import last_sync_in
    from counter_app.district_identity import DISTRICT_ID

    return DayReport(
        counter_id=counter_id, counter_name=names[0], community=names[1], day=day, as_of=hi,
        closed_at=now, closed_by=closed_by, redemptions=int(receipts),
        points_redeemed=int(redeemed), categories=tuple(categories), vouchers=tuple(vouchers),
        stock=tuple(stock), voids=tuple(voids), awards_recorded=int(awards),
        points_awarded=int(awarded), awards_reviewed=reviewed, sync=sync,
        outbox_pending=pending, last_sync=last_sync_in(s),
        district_id=_setting(s, DISTRICT_ID), heads=tuple(heads))


# --- closing -------------------------------------------------------------------------------


def _stored(s: Session, counter_id: str, day: date) -> DayClose | None:
    return s.query(DayClose).filter_by(counter_id=counter_id, day=day.isoformat()).one_or_none()


def closable_day(day: date | None = None, *, tz=None) -> date:
    """``day`` (default: today, local), refused when it has not come yet."""
    today = localtime.local_date(clock.now_utc(), tz)
    day = day or today
    if day > today:
        raise InvalidInput(detail=f"{day.isoformat()} 还没到，不能日结")
    return day


def close_day(db, actor: Actor, day: date | None = None, *, tz=None) -> Closed:
    """Close ``day`` (default: today, local) once; again: the stored report (new=False)."""
    now = clock.now_utc()
    day = closable_day(day, tz=tz)
    with db.write() as s:
        counter_id = _setting(s, LOCAL_COUNTER)
        if counter_id != actor.counter_id:
            raise InvalidInput(detail=f"操作员登录的柜台 {actor.counter_id} 不是本机柜台 {counter_id}")
        stored = _stored(s, counter_id, day)
        if stored is not None:
            return Closed(DayReport.from_json(stored.report), False, stored.id)
        report = compute(s, counter_id, day, now=now, closed_by=actor.name, tz=tz)
        points, stock_head = report.head("points"), report.head("stock")
        row = DayClose(counter_id=counter_id, day=day.isoformat(), closed_at=now,
                       closed_by=actor.operator_id, points_seq=points.seq,
                       points_hash=points.hash, stock_seq=stock_head.seq,
                       stock_hash=stock_head.hash,
                       heads=json.dumps([asdict(h) for h in report.heads], ensure_ascii=False),
                       report=report.to_json())
        s.add(row)
        s.flush()
        audit.record(s, actor, "day.close", at=now, day=day.isoformat(),
                     points_head=f"{points.seq}:{points.hash}",
                     stock_head=f"{stock_head.seq}:{stock_head.hash}")
        return Closed(report, True, row.id)


def after_close(db, closed: DayReport, *, tz=None) -> DayReport | None:
    """The day's figures now, when this counter wrote entries of ``closed``'s day after
    that close (a late redemption, a restock in the evening): the closed report stays as it
    was printed, and this one is printed after it as its supplement (补充日结), with the
    chain heads of now. None when nothing of that day was written after the close."""
    with db.read() as s:
        now_report = compute(s, closed.counter_id, closed.day, now=clock.now_utc(),
                             closed_by=closed.closed_by, tz=tz)
    before = {h.journal: h.entries_today for h in closed.heads}
    if all(h.entries_today == before.get(h.journal, h.entries_today)
           for h in now_report.heads):
        return None
    return now_report


def what_came_after(closed: DayReport, now: DayReport) -> str:
    """What the day had after its close, in words (the supplement's first line, and the
    command line's): the redemptions, awards and stock entries written since."""
    stock_now = sum(r.entries for r in now.stock)
    stock_then = sum(r.entries for r in closed.stock)
    parts = [f"兑换 {now.redemptions - closed.redemptions} 笔、"
             f"{now.points_redeemed - closed.points_redeemed} 分",
             f"积分记录 {now.awards_recorded - closed.awards_recorded} 笔",
             f"库存变动 {stock_now - stock_then} 条"]
    return "日结之后本日又有：" + "，".join(parts)


def stored_report(db, day: date, counter_id: str | None = None) -> DayReport | None:
    with db.read() as s:
        counter_id = counter_id or _setting(s, LOCAL_COUNTER)
        row = _stored(s, counter_id, day)
        return DayReport.from_json(row.report) if row else None


def closed_days(db, limit: int = 60) -> list[tuple[str, datetime, str | None]]:
    """(day, closed_at, sync_result) of the most recent closes, newest first."""
    with db.read() as s:
        rows = s.execute(text("SELECT day, closed_at, sync_result FROM day_closes "
                              "ORDER BY day DESC LIMIT :n"), {"n": limit}).all()
    return [(d, _dt(at), r) for d, at, r in rows]


def sync_after_close(db, closed: Closed) -> str:
    """Closing triggers a sync when a district is configured: ``counter_app.sync.run.
    sync_once(db)`` if the sync package provides it. The outcome (Chinese) is recorded on
    the day close and returned; a failed sync never undoes the close."""
    from counter_app.errors import CounterError

    if closed.report.district_id is None:
        result = "未配置街道（单机柜台），未同步"
    else:
        run = None
        try:
            if (importlib.util.find_spec("counter_app.sync") is not None
                    and importlib.util.find_spec("counter_app.sync.run") is not None):
                run = getattr(importlib.import_module("counter_app.sync.run"), "sync_once", None)
        except ImportError:
            run = None
        if run is None:
            result = "未配置同步（本程序不含同步模块），未同步"
        else:
            try:
                outcome = run(db)  # a SyncReport: never raises for a failed sync
                if getattr(outcome, "ok", True):
                    summary = outcome.summary() if hasattr(outcome, "summary") else outcome
                    result = summary or "已同步"  # the summary says 同步完成 itself
                else:
                    result = f"同步未成功：{outcome.error}（日结已保存，稍后会再同步）"
            except CounterError as exc:
                result = f"同步未成功：{exc}（日结已保存，稍后会再同步）"
            except OSError as exc:
                result = f"同步未成功：网络出错（{exc}）（日结已保存，稍后会再同步）"
    with db.write() as s:
        s.execute(text("UPDATE day_closes SET sync_result = :r WHERE id = :i"),
                  {"r": result, "i": closed.close_id})
    return result
