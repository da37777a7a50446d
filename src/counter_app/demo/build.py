"""Build the demo community in bulk.

The service functions open one transaction per action; replaying six months of
history for 100,000 members that way would take many minutes. The builder
therefore simulates the history in memory (respecting balances, stock and
redemption limits) and writes it in one transaction, chaining every journal
entry with the same code the ledger uses, so ``counter-app check`` holds.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from counter_app.db import open_database
from counter_app.db.models import (
    Building, CardNumber, Community, Compound, Counter, DistrictKeyed, ExchangeItem, Household,
    ItemBarcode, JournalHead,
    Member, MemberCard, MemberCategory, Operator, PointCategory, PointItem, PointsAccount,
    PointsEntry, Redemption, RedemptionLine, RedemptionVoid, Setting, StockEntry, StockLevel,
    Street, Unit,
)
from counter_app.db.earning_models import Activity, Award, PointItemValue, Wish
from counter_app.db.stock_models import Merchant, Voucher, VoucherUse
from counter_app.demo import people
from counter_app.earning.presets import SINCE_ALWAYS, item_options
from counter_app.demo.data import (
    COMPOUNDS, DEMO_OPERATORS, EXCHANGE_ITEMS, MERCHANTS, ORGANISATIONS, POINT_SCHEMES,
    WORK_UNITS,
)
from counter_app.demo.activities import post_wishes
from counter_app.demo.history import History
from counter_app.counters import LOCAL_COUNTER
from counter_app.errors import DatabaseExists, InvalidInput
from counter_app.ids import uuid7_at
from counter_app.localtime import day_start_utc
from counter_app import card_codes
from counter_app.operators import hash_pin
from counter_app.search_keys import search_keys
from counter_app.system_errors import explain, os_error

STREET = "和平街道"
COMMUNITY = "幸福社区"
COMMUNITY_CODE = "XF"
MAX_MEMBERS = 200_000  # a district's largest community, with room; more is a typo


@dataclass
class DemoSummary:
    path: Path
    members: int
    points_entries: int
    stock_entries: int
    redemptions: int
    counter_id: str
    operators: list[tuple[str, str, str]] = field(default_factory=list)


def _ean13(rng: random.Random) -> str:
    body = "690" + f"{rng.randrange(10**9):09d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _local_to_utc(day: date, seconds: int) -> datetime:
    return day_start_utc(day) + timedelta(seconds=seconds)


class _Builder:
    def __init__(self, n_members: int, counter_id: str, seed: int, scheme: str, as_of: date):
        self.rng = random.Random(seed)
        # uids from their own generator, so the rest of the demo is what it was per seed;
        # the counter id is mixed in, so the counters of one demo district never share one.
        self.uid_rng = random.Random(f"{seed}:{counter_id}:uid")
        self.voucher_rng = random.Random(f"{seed}:{counter_id}:vouchers")  # likewise
        self.uid_ms = int(datetime.combine(as_of, datetime.min.time(), UTC).timestamp() * 1000)
        self.uids: dict[tuple[type, object], str] = {}
        self.last_card_number = 0
        self.n = n_members
        self.counter_id = counter_id
        self.scheme = scheme
        self.as_of = as_of
        self.rows: dict[type, list[dict]] = {}

    def add(self, model: type, **row) -> dict:
        if issubclass(model, DistrictKeyed):
            row.setdefault("uid", uuid7_at(self.uid_ms, self.uid_rng.getrandbits(74)))
            row.setdefault("version", 1)
            self.uids[(model, row.get("id"))] = row["uid"]
        self.rows.setdefault(model, []).append(row)
        return row

    def uid(self, model: type, row_id) -> str | None:
        return None if row_id is None else self.uids[(model, row_id)]

    def next_card_code(self) -> str:
        code, self.last_card_number = card_codes.next_code(self.counter_id,
                                                           self.last_card_number)
        return code

    def new_id(self, at: datetime) -> str:
        ms = int(at.replace(tzinfo=UTC).timestamp() * 1000)
        return uuid7_at(ms, self.rng.getrandbits(74))

    # --- reference data --------------------------------------------------------------

    def geography(self) -> None:
        self.add(Street, id=1, name=STREET)
        self.add(Community, id=1, street_id=1, code=COMMUNITY_CODE, name=COMMUNITY)
        self.add(Counter, id=self.counter_id, community_id=1, name=f"{COMMUNITY}积分超市")
        self.add(Setting, key=LOCAL_COUNTER, value=self.counter_id)
        n_compounds = max(3, min(60, self.n // 1500))
        self.units: list[int] = []
        unit_id = building_id = 0
        for c in range(n_compounds):
            suffix = "" if c < len(COMPOUNDS) else f"{c // len(COMPOUNDS) + 1}期"
            self.add(Compound, id=c + 1, community_id=1, name=COMPOUNDS[c % len(COMPOUNDS)] + suffix)
            for b in range(self.rng.randint(6, 24)):
                building_id += 1
                self.add(Building, id=building_id, compound_id=c + 1, name=f"{b + 1}栋")
                for u in range(self.rng.randint(2, 3)):
                    unit_id += 1
                    self.add(Unit, id=unit_id, building_id=building_id, name=f"{u + 1}单元")
                    self.units.append(unit_id)
        self.households: list[int] = []

    def household(self) -> int:
        # Most members join an existing household (families); new ones get a new flat.
        if self.households and self.rng.random() < 0.45:
            return self.rng.choice(self.households)
        hid = len(self.households) + 1
        floor = self.rng.randint(1, 18)
        self.add(Household, id=hid, unit_id=self.rng.choice(self.units),
                 room=f"{floor}{self.rng.randint(1, 4):02d}")
        self.households.append(hid)
        return hid

    def operators(self) -> list[tuple[str, str, str]]:
        for i, (name, role, pin) in enumerate(DEMO_OPERATORS, start=1):
            self.add(Operator, id=i, name=name, role=role, pin_hash=hash_pin(pin), failed_pins=0,
                     locked_until=None, active=True)
        return list(DEMO_OPERATORS)

    def point_items(self) -> list[tuple[int, int]]:
        items, pid = [], 0
        for cid, (category, entries) in enumerate(POINT_SCHEMES[self.scheme], start=1):
            self.add(PointCategory, id=cid, scheme=self.scheme, name=category)
            for entry in entries:
                name, points, opts = item_options(entry)
                pid += 1
                eligible = ",".join(opts["eligible"]) if "eligible" in opts else None
                self.add(PointItem, id=pid, category_id=cid, name=name, points=points, active=True,
                         eligible=eligible, min_points=opts.get("min"), max_points=opts.get("max"))
                self.add(PointItemValue, id=pid, item_id=pid, points=points,
                         effective_from=SINCE_ALWAYS, set_by=None,
                         set_at=_local_to_utc(self.as_of - timedelta(days=200), 8 * 3600),
                         note="方案预设")
                items.append((pid, points, name, opts.get("eligible")))
        return items

    def catalogue(self) -> list[dict]:
        items = []
        # the 商居联盟 merchants whose offers are on the shelf (trial: the demo redeemed
        # merchant offers but had no merchant and no voucher to try 核销 with)
        merchant_ids: dict[str, int] = {}
        registered = _local_to_utc(self.as_of - timedelta(days=200), 9 * 3600)
        for name in dict.fromkeys(row[8] for row in EXCHANGE_ITEMS if row[8]):
            merchant_ids[name] = len(merchant_ids) + 1
            self.add(Merchant, id=merchant_ids[name], community_id=1, name=name,
                     address=f"幸福路 {len(merchant_ids) * 7} 号", contact=None, member_id=None,
                     active=True, created_at=registered)
        for i, (kind, cat, name, unit, points, lim, period, min_age, merchant) in enumerate(
                EXCHANGE_ITEMS, start=1):
            items.append(self.add(
                ExchangeItem, id=i, community_id=1, kind=kind, category=cat, name=name, unit=unit,
                points=points, tracks_stock=kind == "goods", merchant=merchant, limit_qty=lim,
                limit_period=period, min_age=min_age, active=True,
                merchant_id=merchant_ids.get(merchant) if kind == "merchant_offer" else None))
            if kind == "goods":
                self.add(ItemBarcode, code=_ean13(self.rng), item_id=i)
        return items

    # --- members ----------------------------------------------------------------------

    def members(self) -> list[dict]:
        rng, phones, out = self.rng, set(), []
        created = _local_to_utc(self.as_of - timedelta(days=200), 9 * 3600)
        n_orgs = max(2, self.n // 400)
        n_merchants = max(2, self.n // 800)
        for mid in range(1, self.n + 1):
            if mid <= n_orgs:
                category = MemberCategory.ORGANISATION
            elif mid <= n_orgs + n_merchants:
                category = MemberCategory.MERCHANT
            else:
                category = rng.choices(
                    (MemberCategory.RESIDENT, MemberCategory.PARTY_IN_SERVICE,
                     MemberCategory.PARTY_NO_POST), cum_weights=(78, 90, 100))[0]
            row = dict(id=mid, community_id=1, category=category, status="active",
                       created_at=created, card_code=self.next_card_code(),
                       id_number=None, birth_date=None, household_id=None, compound_id=None,
                       work_unit=None, address=None)
            if category in (MemberCategory.ORGANISATION, MemberCategory.MERCHANT):
                pool = ORGANISATIONS if category is MemberCategory.ORGANISATION else [
                    m for m, _ in MERCHANTS]
                k = mid - (1 if category is MemberCategory.ORGANISATION else n_orgs + 1)
                name = pool[k % len(pool)] + ("" if k < len(pool) else f"（{k // len(pool) + 1}）")
                compound = rng.randint(1, len(self.rows[Compound]))
                row.update(kind="organisation", name=name, phone=people.phone(rng, phones),
                           compound_id=compound, address=f"幸福路{rng.randint(1, 300)}号")
                keys = search_keys(name, row["phone"], person=False)
            else:
                name, female = people.person_name(rng)
                born = people.birth_date(rng, self.as_of)
                row.update(kind="person", name=name, phone=people.phone(rng, phones),
                           id_number=people.id_number(rng, born, female), birth_date=born,
                           household_id=self.household())
                if category is MemberCategory.PARTY_IN_SERVICE:
                    row["work_unit"] = rng.choice(WORK_UNITS)
                if rng.random() < 0.08:  # some elderly members have no mobile phone
                    phones.discard(row["phone"])
                    row["phone"] = None
                keys = search_keys(name, row["phone"])
            row.update(keys)
            out.append(self.add(Member, **row))
            self.add(MemberCard, code=row["card_code"], member_id=mid, status="active",
                     issued_at=created)
        return out


def _sql_value(value):
    # The exact text SQLAlchemy's SQLite DateTime/Date types store, so rows read back equal.
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _bulk_insert(raw, model: type, rows: list[dict]) -> None:
    """executemany on the DB-API connection: several times faster than ORM inserts."""
    if not rows:
        return
    columns = [c.name for c in model.__table__.columns]
    sql = (f"INSERT INTO {model.__tablename__} ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    raw.executemany(sql, ([_sql_value(r.get(c)) for c in columns] for r in rows))


def _ensure_not_running(path: Path) -> None:
    """Refuse early (before minutes of work) when a running counter holds the database."""
    from counter_app.db.app_lock import exclusive

    with exclusive(path, "演示数据生成", "重建演示数据"):
        pass


def _remove_db_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _write_database(path: Path, rows: dict[type, list[dict]]) -> None:
    db = open_database(path)
    order = (Street, Community, Counter, Setting, CardNumber, Compound, Building, Unit, Household, Operator,
             PointCategory, PointItem, PointItemValue, Merchant, ExchangeItem, ItemBarcode, Member,
             MemberCard,
             PointsAccount, StockLevel, JournalHead, PointsEntry, StockEntry, Redemption,
             RedemptionLine, RedemptionVoid, Voucher, VoucherUse, Activity, Wish, Award)
    try:
        with db.write() as s:
            raw = s.connection().connection.dbapi_connection
            for model in order:
                _bulk_insert(raw, model, rows.get(model, []))
            raw.execute("ANALYZE")  # planner statistics for the freshly loaded tables
    finally:
        db.dispose()  # the last connection closing folds the WAL into the file


def _install(rows: dict[type, list[dict]], path: Path, replace: bool) -> None:
    """Build into ``<name>.part`` beside the target and rename it at the end: a failure
    (full disk, read-only folder, Ctrl+C) leaves the old database or none, and no part."""
    part = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_db_files(part)  # left over from a run that was killed
        _write_database(part, rows)
        if path.exists() and not replace:
            raise DatabaseExists(path=path.absolute(), hint="重建演示数据请加 --force")
        from counter_app.db.app_lock import exclusive

        # Hold the app lock across the swap: a counter starting now waits for the new file
        # instead of opening the old one that is about to disappear.
        with exclusive(path, "演示数据生成", "重建演示数据"):
            for suffix in ("-wal", "-shm"):  # the old file's WAL must not replay onto the new
                Path(str(path) + suffix).unlink(missing_ok=True)
            os.replace(part, path)
    except BaseException as exc:
        try:
            _remove_db_files(part)
        except OSError:
            pass  # the folder is unusable: nothing was left in it
        if isinstance(exc, OSError):  # named by the database asked for, not its .part
            raise os_error(exc, path.absolute()) from None
        typed = explain(exc, path.absolute()) if isinstance(exc, Exception) else None
        if typed is not None and typed is not exc:
            raise typed from None
        raise


def build_demo(path: Path | str, *, members: int = 2000, counter_id: str = "XF01",
               seed: int = 20261122, scheme: str = "A", as_of: date | None = None,
               replace: bool = False, progress=None) -> DemoSummary:
    """Create a demo database at ``path``; an existing one only with ``replace``
    (and only while no counter has it open)."""
    path = Path(path)
    if path.exists():
        if not replace:
            raise DatabaseExists(path=path.absolute(), hint="重建演示数据请加 --force")
        _ensure_not_running(path)  # before minutes of work, and again before the swap
    if scheme not in POINT_SCHEMES:
        raise InvalidInput(detail=f"没有积分方案 {scheme}，可选：{'、'.join(POINT_SCHEMES)}")
    if not 1 <= members <= MAX_MEMBERS:
        raise InvalidInput(detail=f"演示社区的会员人数须在 1 到 {MAX_MEMBERS} 之间")
    from counter_app.counters import _COUNTER_ID
    if not _COUNTER_ID.match(counter_id):
        raise InvalidInput(detail="柜台编号须为 2 到 16 位大写字母或数字，例如 XF01")
    say = progress or (lambda _msg: None)
    b = _Builder(members, counter_id, seed, scheme, as_of or date.today())
    b.geography()
    ops = b.operators()
    point_items = b.point_items()
    items = b.catalogue()
    say(f"正在生成 {members} 名会员……")
    member_rows = b.members()
    say("正在模拟半年的积分和兑换……")
    history = History(b, member_rows, point_items, items)
    history.simulate()
    post_wishes(history)
    for mid, balance in history.balances.items():
        b.add(PointsAccount, member_id=mid, balance=balance)
    for item_id, qty in history.stock.items():
        b.add(StockLevel, counter_id=counter_id, item_id=item_id, qty=qty)
    b.add(CardNumber, counter_id=counter_id, last_number=b.last_card_number)
    for journal, head in history.heads.items():
        b.add(JournalHead, counter_id=counter_id, journal=journal, last_seq=head.seq,
              last_hash=head.hash)
    say("正在写入数据库……")
    _install(b.rows, path, replace)
    return DemoSummary(path, members, len(b.rows.get(PointsEntry, [])),
                       len(b.rows.get(StockEntry, [])), len(b.rows.get(Redemption, [])),
                       counter_id, ops)
