"""A whole demo district for training and the benchmarks: N counters (SQLite files in one
folder) in two communities of one street, each community's first counter set up locally
and registered by its first push, the others made by the real join path (``sync.join``),
then a day's activity at every counter — awards, redemptions, a void, restocks — and,
unless ``sync=False``, every counter synced at the end (with it, the day's activity waits
unsynced at the counters, as after a long outage; the set-up itself went through the
district, because a counter can only join a community the district already holds).

Every step goes through the core (members.register, earning awards + review, redemption.checkout,
redemption.void, stock.receive) and the sync package, so each file passes ``check`` and
the district passes ``district check``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from counter_app.errors import DatabaseExists, InvalidInput

DISTRICT = "和平区"
STREET = "和平街道"
COMMUNITIES = (("XF", "幸福社区"), ("HX", "和谐社区"))
PINS = {"admin": "1234", "volunteer": "1111", "stock": "3333", "reviewer": "4444"}
ITEMS = (("香皂", "日用品", 5, "块"), ("毛巾", "日用品", 8, "条"), ("酱油 500ml", "粮油", 6, "瓶"),
         ("洗衣液 2kg", "日用品", 15, "瓶"), ("大米 5kg", "粮油", 20, "袋"))
POINT_ITEMS = (("志愿服务", "微心愿", 10), ("志愿服务", "结对帮扶", 15), ("垃圾分类", "分类督导", 5))
MAX_COUNTERS = 60
MAX_MEMBERS = 20_000


@dataclass
class DemoCounter:
    counter_id: str
    community: str
    path: Path
    joined: bool  # made by join (not the community's first counter)
    awards: int = 0
    redemptions: int = 0
    voids: int = 0
    restocks: int = 0


@dataclass
class DistrictDemo:
    counters: list[DemoCounter]
    members: int
    synced: bool
    problems: list[str] = field(default_factory=list)  # district check findings, if any


def _plan(n: int) -> list[tuple[str, str, str]]:
    """(community code, name, counter id): counters alternate between the communities,
    so both have one as soon as n >= 2."""
    out, seen = [], {}
    for i in range(n):
        code, name = COMMUNITIES[i % len(COMMUNITIES)]
        seen[code] = seen.get(code, 0) + 1
        out.append((code, name, f"{code}{seen[code]:02d}"))
    return out


def _actors(db, counter_id: str) -> dict:
    """An Actor per role from the file's operators. The demo acts for them directly: it
    made their PINs itself, and checking each (argon2, about a second on a busy machine)
    would only slow the build."""
    from sqlalchemy import text

    from counter_app.db.models import Role
    from counter_app.operators import Actor

    with db.read() as s:
        rows = s.execute(text("SELECT id, name, role FROM operators WHERE active "
                              "ORDER BY id")).all()
    by_role = {}
    for op_id, name, role in rows:
        by_role.setdefault(str(role), Actor(op_id, name, Role(role), counter_id))
    return by_role


def _seed_counter(path: Path, code: str, name: str, counter_id: str, members: int,
                  rng: random.Random):
    """The community's first counter, set up locally as a standalone counter would be."""
    from counter_app import catalogue, counters, members as members_mod, operators
    from counter_app.db import open_database
    from counter_app.db.models import ItemKind, MemberCategory, PointCategory, PointItem, Role
    from counter_app.demo import people

    db = open_database(path)
    info = counters.create_community(db, street=STREET, community=name, code=code,
                                     counter_id=counter_id, counter_name=f"{name}积分超市")
    admin_id = operators.add_operator(db, None, f"{name[:2]}管理员", Role.ADMIN, PINS["admin"])
    admin = operators.authenticate(db, admin_id, PINS["admin"], counter_id)  # once: it works
    for who, role in (("志愿者", Role.VOLUNTEER), ("库管员", Role.STOCK),
                      ("审核员", Role.REVIEWER)):
        operators.add_operator(db, admin, f"{name[:2]}{who}", role, PINS[role.value])
    actors = _actors(db, counter_id)
    with db.write() as s:
        cats = {}
        for cat_name, item_name, points in POINT_ITEMS:
            if cat_name not in cats:
                cats[cat_name] = PointCategory(scheme="A", name=cat_name)
                s.add(cats[cat_name])
                s.flush()
            s.add(PointItem(category_id=cats[cat_name].id, name=item_name, points=points))
    for item_name, category, points, unit in ITEMS:
        catalogue.add_item(db, actors["stock"], community_id=info.community_id, name=item_name,
                           kind=ItemKind.GOODS, category=category, points=points, unit=unit)
    point_item_ids = _ids(db, "point_items")
    for _ in range(members):
        person, _female = people.person_name(rng)
        mid = members_mod.register(db, admin, name=person, category=MemberCategory.RESIDENT,
                                   community_id=info.community_id)
        for _ in range(rng.randint(1, 3)):  # opening points: what they earned before
            _award(db, actors, mid, rng.choice(point_item_ids))
    return db


def _award(db, actors, member_id: int, item_id: int, note: str | None = None) -> None:
    """Points as a counter earns them: recorded by the administrator, approved by the
    reviewer in the weekly review (a reviewer never approves their own)."""
    from counter_app.earning import awards, review

    award = awards.record(db, actors["admin"], member_id, item_id, note=note)
    review.approve(db, actors["reviewer"], [award.id])


def _ids(db, table: str, where: str = "") -> list[int]:
    from sqlalchemy import text

    with db.read() as s:
        return [r[0] for r in s.execute(text(f"SELECT id FROM {table} {where} ORDER BY id"))]


def _activity(db, counter: DemoCounter, community_code: str, rng: random.Random,
              volume: int) -> None:
    """A day at the counter: restock every item, awards, redemptions, one void."""
    from sqlalchemy import text

    from counter_app import ledger, redemption, stock
    from counter_app.redemption import CartLine

    actors = _actors(db, counter.counter_id)
    with db.read() as s:
        community_id = s.execute(text("SELECT id FROM communities WHERE code = :c"),
                                 {"c": community_code}).scalar()
        items = s.execute(text("SELECT id, points FROM exchange_items WHERE community_id = :c "
                               "AND active ORDER BY id"), {"c": community_id}).all()
        member_ids = [r[0] for r in s.execute(text(
            "SELECT id FROM members WHERE community_id = :c ORDER BY id"), {"c": community_id})]
    point_item_ids = _ids(db, "point_items")
    for item_id, _points in items:
        stock.receive(db, actors["stock"], item_id, rng.randint(30, 80), "演示：到货")
        counter.restocks += 1
    receipts = []
    for _ in range(volume):
        mid = rng.choice(member_ids)
        _award(db, actors, mid, rng.choice(point_item_ids), "演示：今日积分")
        counter.awards += 1
        with db.read() as s:
            balance = ledger.balance_of(s, mid)
        affordable = [(i, p) for i, p in items if p <= balance]
        if not affordable:
            continue
        item_id, _points = rng.choice(affordable)
        receipts.append(redemption.checkout(db, actors["volunteer"], mid,
                                            [CartLine(item_id, 1)]).receipt_no)
        counter.redemptions += 1
    if receipts:
        redemption.void(db, actors["admin"], rng.choice(receipts), "演示：拿错了商品")
        counter.voids += 1


def _keep_credentials(out: Path, creds) -> None:
    path = out / f"{creds.counter_id}.credentials.json"
    path.unlink(missing_ok=True)
    creds.write(path)  # mode 0600, like district add-counter --credentials-out


def build_district(url: str, out: Path | str, *, counters: int = 4, members: int = 200,
                   seed: int = 20261202, sync: bool = True, activity: int = 12,
                   progress=None) -> DistrictDemo:
    """``url``: the district's administrator URL (the schema is created or upgraded);
    ``members``: members per community; ``activity``: awards (and as many redemptions as
    balances allow) per counter."""
    from counter_app.district import init_district
    from counter_app.district.check import district_check, faults
    from counter_app.district.roles import add_community, add_counter
    from counter_app.sync import credentials, settings
    from counter_app.sync.connection import account, split_password
    from counter_app.sync.errors import SyncError
    from counter_app.sync.join import join
    from counter_app.sync.run import sync_once

    if not 2 <= counters <= MAX_COUNTERS:
        raise InvalidInput(detail=f"演示街道的柜台数须在 2 到 {MAX_COUNTERS} 之间（两个社区）")
    if not 1 <= members <= MAX_MEMBERS:
        raise InvalidInput(detail=f"每个社区的会员数须在 1 到 {MAX_MEMBERS} 之间")
    out = Path(out)
    plan = _plan(counters)
    out.mkdir(parents=True, exist_ok=True)
    for _code, _name, counter_id in plan:
        if (out / f"{counter_id}.db").exists():
            raise DatabaseExists(path=(out / f"{counter_id}.db").absolute(),
                                 hint="演示街道要新建柜台数据库：请换一个空文件夹")
    say = progress or (lambda _msg: None)
    rng = random.Random(seed)
    say("正在建立街道数据库……")
    init_district(url)
    for code, name in COMMUNITIES:
        add_community(url, district=DISTRICT, street=STREET, code=code, name=name)
    made: list[DemoCounter] = []
    dbs = {}
    try:
        for code, name, counter_id in plan:
            creds = add_counter(url, code, counter_id, f"{name}积分超市 {counter_id}")
            _keep_credentials(out, creds)
            path = out / f"{counter_id}.db"
            first = not any(c.community == name for c in made)
            if first:
                say(f"正在建立 {counter_id}（{name}的第一个柜台，{members} 名会员）……")
                db = _seed_counter(path, code, name, counter_id, members, rng)
                clean, password = split_password(creds.conninfo)
                settings.configure(db, clean)
                credentials.store(account(clean, counter_id), password)
                report = sync_once(db)  # registers its community's members, items …
                if not report.ok:
                    raise SyncError(detail=f"{counter_id}：{report.error}")
            else:
                say(f"正在加入 {counter_id}（{name}）……")
                join(path, creds.conninfo, counter_id)
                from counter_app.db import open_database

                db = open_database(path)
            dbs[counter_id] = db
            made.append(DemoCounter(counter_id, name, path, joined=not first))
        for counter in made:
            say(f"{counter.counter_id}：今天的兑换、积分、作废和到货……")
            code = counter.counter_id[:2]
            _activity(dbs[counter.counter_id], counter, code, rng, activity)
        result = DistrictDemo(made, members, synced=sync)
        if sync:
            for round_ in (1, 2):  # the second round brings every counter the others' day
                for counter in made:
                    say(f"同步 {counter.counter_id}（第 {round_} 轮）……")
                    report = sync_once(dbs[counter.counter_id])
                    if not report.ok:
                        raise SyncError(detail=f"{counter.counter_id}：{report.error}")
            result.problems = [f"{f.name}：{f.message}" for f in faults(district_check(url))]
        return result
    finally:
        for db in dbs.values():
            db.dispose()


def describe(demo: DistrictDemo) -> list[str]:
    lines = []
    for c in demo.counters:
        how = "加入" if c.joined else "首个柜台"
        lines.append(f"{c.counter_id} {c.community}（{how}）：积分 {c.awards} 次，兑换 "
                     f"{c.redemptions} 次，作废 {c.voids} 次，到货 {c.restocks} 次 —— {c.path}")
    return lines


__all__ = ["DistrictDemo", "DemoCounter", "build_district", "describe"]
