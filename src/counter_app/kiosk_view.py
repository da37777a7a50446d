"""What the self-service kiosk (便民服务卡) shows after a member scans their card.

Qt-free: the kiosk window paints a ``KioskView``; a test, a bench and the CLI read the
same. Only a card opens a view: the kiosk stands where anybody can type, so a phone
number or a name never shows someone's points (``lookup.resolve`` would search them).
The name is partly masked, the card number too; no phone, no address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from counter_app import catalogue, ledger, members, rules
from counter_app.db.models import EntryKind, Redemption, RedemptionLine
from counter_app.errors import InvalidInput
from counter_app.journal import utcnow
from counter_app.localtime import local_date, to_local
from counter_app.member_details import nothing_now
from counter_app.point_sources import source_names
from counter_app.read_scope import reading

RECENT = 5  # entries of each kind
SHOWN = 5  # items in each list (redeemable now, close)
CLOSE_WITHIN = 50  # points: an item missing at most this many is "close"

NOT_A_CARD = "请扫描会员卡（便民服务卡）上的条码"


@dataclass(frozen=True)
class KioskEntry:
    day: str  # local date, "11月22日"
    what: str  # "志愿服务 · 微心愿" / "大米 5kg ×1、香皂 ×2"
    points: int  # signed


@dataclass(frozen=True)
class KioskItem:
    name: str
    unit: str
    points: int
    missing: int = 0  # points still to earn (0: redeemable now)


@dataclass(frozen=True)
class KioskView:
    name: str  # masked
    card: str  # its last four characters
    balance: int
    earnings: tuple[KioskEntry, ...]
    redemptions: tuple[KioskEntry, ...]
    redeemable: tuple[KioskItem, ...]
    close: tuple[KioskItem, ...]
    notice: str | None  # why nothing can be redeemed now (blocked, window closed)


def mask_name(name: str) -> str:
    """张三 -> 张*, 王小明 -> 王*明, 欧阳小明 -> 欧**明; Latin names keep their first letter."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    if not name.isascii():
        return name[0] + "*" * (len(name) - 2) + name[-1]
    first = name.split()[0]
    return first[0] + "*" * (len(first) - 1) + (" …" if " " in name else "")


def mask_card(code: str) -> str:
    """The last four characters (XF01000166J -> 166J): enough to recognise one's own card,
    not to copy it."""
    return code[-4:]


def _day(moment: datetime) -> str:
    local = to_local(moment)
    return f"{local.month}月{local.day}日"


def _redeemed_items(session, refs: list[str]) -> dict[str, str]:
    """receipt no. -> "大米 5kg ×1、香皂 ×2" (one query)."""
    if not refs:
        return {}
    from sqlalchemy import select

    rows = session.execute(
        select(Redemption.receipt_no, RedemptionLine.item_name, RedemptionLine.qty)
        .join(RedemptionLine, RedemptionLine.redemption_id == Redemption.id)
        .where(Redemption.receipt_no.in_(refs))
        .order_by(Redemption.receipt_no, RedemptionLine.line_no))
    out: dict[str, list[str]] = {}
    for number, name, qty in rows:
        out.setdefault(number, []).append(f"{name} ×{qty}")
    return {k: "、".join(v) for k, v in out.items()}


def _entries(session, member_id: int, kind: EntryKind) -> tuple[KioskEntry, ...]:
    rows = ledger.history(session, member_id, limit=RECENT, kinds=[str(kind)])
    refs = [r.ref for r in rows if r.ref]
    names = (source_names(session, refs) if kind == EntryKind.AWARD
             else _redeemed_items(session, refs))
    return tuple(KioskEntry(_day(r.created_at), names.get(r.ref or "", r.note or r.kind_label),
                            r.delta) for r in rows)


def _offers(session, counter, member, now: datetime) -> tuple[tuple, tuple, str | None]:
    notice = nothing_now(session, member, now, blocked="此卡的会员已停用，不能兑换，请联系工作人员")
    items = catalogue.list_items(session, counter.id, counter.community_id)
    used = rules.used_of(session, member.id, items, now)
    age = members.age_on(member.birth_date, local_date(now))
    redeemable, close = [], []
    for item in items:
        kw = dict(age=age, used=used.get(item.id, 0), in_cart=0)
        if rules.why_not(item, spare_points=member.balance, **kw) is None:
            redeemable.append(KioskItem(item.name, item.unit, item.points))
        elif rules.why_not(item, spare_points=item.points, **kw) is None:
            missing = item.points - member.balance  # only the points are missing
            if missing <= CLOSE_WITHIN:
                close.append(KioskItem(item.name, item.unit, item.points, missing))
    if notice is not None:
        redeemable = []
    redeemable.sort(key=lambda i: (-i.points, i.name))
    close.sort(key=lambda i: (i.missing, i.name))
    return tuple(redeemable[:SHOWN]), tuple(close[:SHOWN]), notice


def scan(session_or_db, counter, code: str, now: datetime | None = None) -> KioskView:
    """The view for a scanned card at ``counter`` (counters.CounterInfo). Anything but a
    card code raises InvalidInput; unknown, mistyped or blocked cards raise their own
    errors (UnknownCard, InvalidCardCode, BlockedCard) with a message to show."""
    code = (code or "").strip().upper()
    if not members.CARD_RE.match(code):
        raise InvalidInput(NOT_A_CARD)
    now = now or utcnow()
    with reading(session_or_db) as s:
        member = members.lookup_card(s, code)
        redeemable, close, notice = _offers(s, counter, member, now)
        return KioskView(
            name=mask_name(member.name), card=mask_card(member.card_code),
            balance=member.balance,
            earnings=_entries(s, member.id, EntryKind.AWARD),
            redemptions=_entries(s, member.id, EntryKind.REDEMPTION),
            redeemable=redeemable, close=close, notice=notice)


def spoken_balance(view: KioskView) -> str:
    """What the kiosk says aloud (spoken confirmation on): the balance, no name (people
    stand around a kiosk)."""
    return f"您的积分余额是 {view.balance} 分"


# --- leaving the kiosk: an administrator's PIN ------------------------------------------


def administrators(session_or_db) -> tuple[tuple[int, str], ...]:
    """(id, name) of the active administrators: who may end the kiosk."""
    from sqlalchemy import select

    from counter_app.db.models import Operator, Role

    with reading(session_or_db) as s:
        rows = s.execute(select(Operator.id, Operator.name).where(
            Operator.active.is_(True), Operator.role == Role.ADMIN).order_by(Operator.id))
        return tuple((r.id, r.name) for r in rows)


def leave(db, operator_id: int, pin: str, counter_id: str):
    """Check an administrator's PIN to end the kiosk (wrong PINs count and lock as at the
    log-in); anyone else is refused. Recorded in the audit log. Returns the Actor."""
    from counter_app import audit, operators
    from counter_app.db.models import Role
    from counter_app.errors import PermissionDenied

    actor = operators.authenticate(db, operator_id, pin, counter_id)
    if Role(actor.role) != Role.ADMIN:
        raise PermissionDenied(role=operators.ROLE_LABELS[Role(actor.role)], action="退出自助查询机")
    with db.write() as s:
        audit.record(s, actor, "kiosk.leave")
    return actor


class KioskReader:
    """The kiosk's database: read-only use, reopened when the file was replaced under it
    (a restore while the kiosk runs: an open file would keep showing the old data).
    The kiosk does not hold the app lock, so it can run beside the counter program on
    the same PC (second screen)."""

    def __init__(self, db_path, open_database=None):
        import os

        from counter_app.db import open_database as _open

        self.path = db_path
        self._open = open_database or _open
        self.db = self._open(db_path)
        self._stamp = self._file_id(os)

    def _file_id(self, os):
        st = os.stat(self.path)
        return (st.st_dev, st.st_ino)

    def current(self):
        """The database, reopened first if the file is not the one opened."""
        import os

        try:
            stamp = self._file_id(os)
        except OSError:
            return self.db  # gone for a moment (a restore renaming): keep the open one
        if stamp != self._stamp:
            self.db.dispose()
            self.db = self._open(self.path)
            self._stamp = stamp
        return self.db

    def scan(self, counter, code: str, now: datetime | None = None) -> KioskView:
        return scan(self.current(), counter, code, now)

    def close(self) -> None:
        self.db.dispose()
