"""Opening the counter day and handing over between volunteers.

* The first log-in of a local calendar day opens the counter day (``counter_days``: who,
  when).
* A log-in starts a shift of that operator (or continues their open one); a log-out ends
  it and stores its **summary**: redemptions and points of this operator in the shift,
  merchant vouchers handed out, voids of their receipts or approved by them, and the goods
  running low. The outgoing volunteer sees it at log-out; the next operator to log in
  sees the same stored summary and is recorded as having received it (``received_by``).
* A shift left open (the app was closed or the PC died, nobody logged out) is ended by the
  next log-in of someone else, its summary computed then and handed over the same way.

The summary is computed once, from the journals and receipts, and kept as JSON: a reprint
shows what both saw.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from counter_app import audit, clock, localtime
from counter_app.day import as_datetime as _dt, timed_sql as _q
from counter_app.day.day_close import VoidRow
from counter_app.db.day_models import CounterDay, DayClose, Shift
from counter_app.db.models import Operator
from counter_app.errors import NotFound
from counter_app.operators import Actor
from counter_app.reports.dashboard import low_stock


@dataclass(frozen=True)
class LowItem:
    name: str
    qty: int
    unit: str


@dataclass(frozen=True)
class ShiftSummary:
    shift_id: int
    counter_id: str
    counter_name: str
    operator_id: int
    operator: str
    day: str  # local YYYY-MM-DD
    started_at: datetime  # naive UTC
    ended_at: datetime
    redemptions: int
    points_redeemed: int
    vouchers: int  # merchant offers handed out (qty)
    voids: tuple[VoidRow, ...]
    low_stock: tuple[LowItem, ...]
    received_by: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, default=str, sort_keys=True)

    @classmethod
    def from_json(cls, data: str, received_by: str | None = None) -> ShiftSummary:
        raw = json.loads(data)
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        values["voids"] = tuple(VoidRow(**v) for v in values.get("voids", ()))
        values["low_stock"] = tuple(LowItem(**v) for v in values.get("low_stock", ()))
        for name in ("started_at", "ended_at"):
            values[name] = datetime.fromisoformat(values[name])
        if received_by is not None:
            values["received_by"] = received_by
        return cls(**values)


@dataclass(frozen=True)
class LoginDay:
    day_opened: bool  # this log-in opened the counter day
    shift_id: int
    handover: ShiftSummary | None  # the previous operator's summary, to be seen now


_RED = _q(
    "SELECT COUNT(*), COALESCE(SUM(d.total_points), 0) FROM redemptions d "
    "WHERE d.counter_id = :c AND d.operator_id = :o AND d.created_at >= :lo "
    "AND d.created_at <= :hi AND NOT EXISTS (SELECT 1 FROM points_journal r "
    "WHERE r.reverses_id = d.points_entry_id AND r.created_at <= :hi)")
_VOUCHERS = _q(
    "SELECT COALESCE(SUM(l.qty), 0) FROM redemptions d "
    "JOIN redemption_lines l ON l.redemption_id = d.id JOIN exchange_items i ON i.id = l.item_id "
    "WHERE d.counter_id = :c AND d.operator_id = :o AND d.created_at >= :lo "
    "AND d.created_at <= :hi AND i.kind = 'merchant_offer' AND NOT EXISTS (SELECT 1 FROM "
    "points_journal r WHERE r.reverses_id = d.points_entry_id AND r.created_at <= :hi)")
_VOIDS = _q(
    "SELECT v.receipt_no, v.created_at, d.total_points, v.reason, v.requested_by, o.name "
    "FROM redemption_voids v "
    "JOIN redemptions d ON d.id = v.redemption_id JOIN operators o ON o.id = v.operator_id "
    "WHERE v.counter_id = :c AND (d.operator_id = :o OR v.operator_id = :o) "
    "AND v.created_at >= :lo AND v.created_at <= :hi ORDER BY v.created_at, v.receipt_no")


def summarise(s: Session, shift: Shift, ended_at: datetime) -> ShiftSummary:
    p = {"c": shift.counter_id, "o": shift.operator_id, "lo": shift.started_at, "hi": ended_at}
    count, points = s.execute(_RED, p).one()
    vouchers = s.execute(_VOUCHERS, p).scalar()
    voids = tuple(VoidRow(no, localtime.to_local(_dt(at)).strftime("%H:%M"), int(pts), reason,
                          asked, who) for no, at, pts, reason, asked, who in s.execute(_VOIDS, p))
    low = tuple(LowItem(r.name, r.qty, r.unit) for r in low_stock(s, shift.counter_id))
    names = s.execute(text("SELECT (SELECT name FROM operators WHERE id = :o), "
                           "(SELECT name FROM counters WHERE id = :c)"), p).one()
    return ShiftSummary(
        shift_id=shift.id, counter_id=shift.counter_id, counter_name=names[1],
        operator_id=shift.operator_id, operator=names[0], day=shift.day,
        started_at=shift.started_at, ended_at=ended_at, redemptions=int(count),
        points_redeemed=int(points), vouchers=int(vouchers), voids=voids, low_stock=low)


def _end(s: Session, shift: Shift, now: datetime) -> ShiftSummary:
    summary = summarise(s, shift, now)
    shift.ended_at = now
    shift.summary = summary.to_json()
    return summary


def _open_shifts(s: Session, counter_id: str) -> list[Shift]:
    return list(s.scalars(select(Shift).where(Shift.counter_id == counter_id,
                                              Shift.ended_at.is_(None)).order_by(Shift.id)))


def log_in(db, actor: Actor, *, tz=None) -> LoginDay:
    """The log-in moment: open the day if it is the first, take over from the previous
    operator, start (or continue) this operator's shift. One transaction."""
    with db.write() as s:
        now = clock.now_utc()
        day = localtime.local_date(now, tz).isoformat()
        opened = s.scalar(select(CounterDay.id).where(CounterDay.counter_id == actor.counter_id,
                                                      CounterDay.day == day)) is None
        if opened:
            s.add(CounterDay(counter_id=actor.counter_id, day=day, opened_at=now,
                             opened_by=actor.operator_id))
            audit.record(s, actor, "day.open", at=now, day=day)
        own = None
        for shift in _open_shifts(s, actor.counter_id):
            if shift.operator_id == actor.operator_id and shift.day == day and own is None:
                own = shift
            else:  # left open: nobody logged out
                _end(s, shift, now)
        pending = s.scalar(select(Shift).where(
            Shift.counter_id == actor.counter_id, Shift.ended_at.is_not(None),
            Shift.received_by.is_(None), Shift.operator_id != actor.operator_id)
            .order_by(Shift.ended_at.desc(), Shift.id.desc()).limit(1))
        handover = None
        if pending is not None:
            pending.received_by, pending.received_at = actor.operator_id, now
            handover = ShiftSummary.from_json(pending.summary, received_by=actor.name)
            audit.record(s, actor, "shift.received", at=now, shift=pending.id)
        if own is None:
            own = Shift(counter_id=actor.counter_id, day=day, operator_id=actor.operator_id,
                        started_at=now)
            s.add(own)
            s.flush()
            audit.record(s, actor, "shift.start", at=now, shift=own.id)
        return LoginDay(opened, own.id, handover)


def log_out(db, actor: Actor) -> ShiftSummary | None:
    """The log-out moment: end this operator's open shift and keep its summary."""
    with db.write() as s:
        now = clock.now_utc()
        shifts = [sh for sh in _open_shifts(s, actor.counter_id)
                  if sh.operator_id == actor.operator_id]
        summary = None
        for shift in shifts:
            summary = _end(s, shift, now)
            audit.record(s, actor, "shift.end", at=now, shift=shift.id,
                         redemptions=summary.redemptions, points=summary.points_redeemed)
        return summary


def stored_summary(db, shift_id: int) -> ShiftSummary:
    with db.read() as s:
        shift = s.get(Shift, shift_id)
        if shift is None:
            raise NotFound(what=f"班次 {shift_id}")
        if shift.summary is None:  # still running: what it would show now
            return summarise(s, shift, clock.now_utc())
        received = s.get(Operator, shift.received_by) if shift.received_by else None
        return ShiftSummary.from_json(shift.summary, received.name if received else None)


@dataclass(frozen=True)
class ShiftRow:
    id: int
    operator: str
    started_at: datetime
    ended_at: datetime | None
    received_by: str | None

    def describe(self) -> str:
        def hm(t):
            return localtime.to_local(t).strftime("%H:%M") if t else "当班中"
        got = f"，交给 {self.received_by}" if self.received_by else ""
        return f"班次 {self.id}：{self.operator} {hm(self.started_at)}–{hm(self.ended_at)}{got}"


def list_shifts(db, day: date | None = None) -> list[ShiftRow]:
    day_text = (day or localtime.local_date(clock.now_utc())).isoformat()
    with db.read() as s:
        rows = s.execute(text(
            "SELECT sh.id, o.name, sh.started_at, sh.ended_at, r.name FROM shifts sh "
            "JOIN operators o ON o.id = sh.operator_id LEFT JOIN operators r "
            "ON r.id = sh.received_by WHERE sh.day = :d ORDER BY sh.started_at, sh.id")
            , {"d": day_text}).all()
    return [ShiftRow(i, n, _dt(a), _dt(b) if b else None, r) for i, n, a, b, r in rows]


@dataclass(frozen=True)
class DayStatus:
    day: str
    opened_at: datetime | None
    opened_by: str | None
    on_duty: tuple[str, ...]
    closed_at: datetime | None

    def describe(self) -> str:
        if self.opened_at is None:  # closed from the command line, nobody logged in
            return (f"{self.day}：未在柜台开门；已于 "
                    f"{localtime.to_local(self.closed_at).strftime('%H:%M')} 日结"
                    if self.closed_at else f"{self.day}：尚未开门（第一位操作员登录时开门）")
        parts = [f"{self.day}：{localtime.to_local(self.opened_at).strftime('%H:%M')} "
                 f"由 {self.opened_by} 开门"]
        parts.append("当班：" + ("、".join(self.on_duty) if self.on_duty else "无"))
        parts.append(f"已于 {localtime.to_local(self.closed_at).strftime('%H:%M')} 日结"
                     if self.closed_at else "尚未日结")
        return "；".join(parts)


def day_status(db, day: date | None = None) -> DayStatus:
    from counter_app.counters import local_counter

    counter = local_counter(db)
    day_text = (day or localtime.local_date(clock.now_utc())).isoformat()
    with db.read() as s:
        opened = s.execute(select(CounterDay.opened_at, Operator.name)
                           .join(Operator, Operator.id == CounterDay.opened_by, isouter=True)
                           .where(CounterDay.counter_id == counter.id,
                                  CounterDay.day == day_text)).first()
        on_duty = tuple(s.scalars(select(Operator.name).join(Shift, Shift.operator_id == Operator.id)
                                  .where(Shift.counter_id == counter.id, Shift.day == day_text,
                                         Shift.ended_at.is_(None))))
        closed = s.scalar(select(DayClose.closed_at).where(DayClose.counter_id == counter.id,
                                                           DayClose.day == day_text))
    return DayStatus(day_text, opened[0] if opened else None, opened[1] if opened else None,
                     on_duty, closed)
