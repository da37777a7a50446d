"""Change tracking (issue 8 §1): every change of a mutable register writes an outbox row in
its own transaction — whatever the call site: service, ORM or raw SQL — and bumps the
row's version; a rolled-back change leaves none. Payloads carry uids, never rowids."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import select, text

from counter_app import catalogue, members, operators, rules
from counter_app.db.models import (
    Building, Compound, ExchangeItem, Household, ItemBarcode, Member, MemberCard, Operator,
    PointCategory, PointItem, Role, Setting, Unit,
)
from counter_app.errors import WrongPin

UUID_KEYS = ("uid", "community_id", "street_id", "member_id", "item_id", "category_id",
             "household_id", "compound_id", "building_id", "unit_id")


def outbox(db, after: int = 0) -> list[dict]:
    with db.read() as s:
        rows = s.execute(text("SELECT seq, table_name, row_uid, version, payload FROM outbox "
                              "WHERE seq > :a ORDER BY seq"), {"a": after}).all()
    return [dict(seq=r.seq, table=r.table_name, uid=r.row_uid, version=r.version,
                 payload=json.loads(r.payload)) for r in rows]


def last_seq(db) -> int:
    with db.read() as s:
        return s.scalar(text("SELECT coalesce(max(seq), 0) FROM outbox"))


def row(db, model, **where):
    with db.read() as s:
        return s.scalars(select(model).filter_by(**where)).one()


def assert_uids_only(payload: dict) -> None:
    """Foreign keys in a payload are the parents' uids (36-character text), never rowids."""
    for key in UUID_KEYS:
        if payload.get(key) is not None:
            assert isinstance(payload[key], str) and len(payload[key]) == 36, (key, payload)


def changed(db, before: int, table: str, uid: str) -> dict:
    rows = [r for r in outbox(db, before) if r["table"] == table and r["uid"] == uid]
    assert rows, f"no outbox row for {table} {uid}"
    assert_uids_only(rows[-1]["payload"])
    assert rows[-1]["payload"]["version"] == rows[-1]["version"]
    return rows[-1]


def test_member_register_edit_block_and_card_replace_write_the_outbox(counter):
    before = last_seq(counter.db)
    mid = counter.member("李四", phone="13800001111")
    m = row(counter.db, Member, id=mid)
    card = row(counter.db, MemberCard, code=m.card_code)
    new = changed(counter.db, before, "members", m.uid)
    assert new["version"] == 1 and new["payload"]["name"] == "李四"
    with counter.db.read() as s:
        community_uid = s.scalar(text("SELECT uid FROM communities"))
    assert new["payload"]["community_id"] == community_uid
    assert changed(counter.db, before, "member_cards", card.uid)["payload"]["member_id"] == m.uid

    seq = last_seq(counter.db)
    members.update_contact(counter.db, counter.admin, mid, name="李四光")
    edit = changed(counter.db, seq, "members", m.uid)
    assert edit["version"] == 2 and edit["payload"]["name"] == "李四光"
    assert row(counter.db, Member, id=mid).version == 2

    seq = last_seq(counter.db)
    members.set_blocked(counter.db, counter.admin, mid, True, "卡丢了")
    assert changed(counter.db, seq, "members", m.uid)["payload"]["status"] == "blocked"

    seq = last_seq(counter.db)
    code = members.replace_card(counter.db, counter.admin, mid)  # a bulk UPDATE + Core INSERT
    assert changed(counter.db, seq, "member_cards", card.uid)["payload"]["status"] == "blocked"
    new_card = row(counter.db, MemberCard, code=code)
    assert changed(counter.db, seq, "member_cards", new_card.uid)["version"] == 1
    assert changed(counter.db, seq, "members", m.uid)["payload"]["card_code"] == code


def test_item_create_edit_price_and_barcode_write_the_outbox(counter):
    before = last_seq(counter.db)
    item_id = catalogue.add_item(counter.db, counter.stock_staff,
                                 community_id=counter.info.community_id, name="酱油",
                                 kind="goods", category="粮油", points=8, unit="瓶",
                                 barcodes=("6901234567915",))
    item = row(counter.db, ExchangeItem, id=item_id)
    assert changed(counter.db, before, "exchange_items", item.uid)["payload"]["points"] == 8
    bc = row(counter.db, ItemBarcode, code="6901234567915")
    assert changed(counter.db, before, "item_barcodes", bc.uid)["payload"]["item_id"] == item.uid

    seq = last_seq(counter.db)
    catalogue.set_active(counter.db, counter.stock_staff, item_id, False)
    assert changed(counter.db, seq, "exchange_items", item.uid)["payload"]["active"] == 0

    seq = last_seq(counter.db)
    with counter.db.write() as s:  # a price change, as any future edit path would write it
        s.get(ExchangeItem, item_id).points = 9
    price = changed(counter.db, seq, "exchange_items", item.uid)
    assert price["payload"]["points"] == 9 and price["version"] == 3

    seq = last_seq(counter.db)
    with counter.db.write() as s:
        s.add(ItemBarcode(code="6901234567922", item_id=item_id))
    assert changed(counter.db, seq, "item_barcodes",
                   row(counter.db, ItemBarcode, code="6901234567922").uid)


def test_operator_add_pin_change_and_deactivate_write_the_outbox_lockouts_do_not(counter):
    before = last_seq(counter.db)
    op_id = operators.add_operator(counter.db, counter.admin, "赵师傅", Role.VOLUNTEER, "5678")
    op = row(counter.db, Operator, id=op_id)
    added = changed(counter.db, before, "operators", op.uid)
    assert added["payload"]["pin_hash"].startswith("$argon2")
    assert "failed_pins" not in added["payload"]

    seq = last_seq(counter.db)
    with pytest.raises(WrongPin):
        operators.authenticate(counter.db, op_id, "0000", counter.info.id)
    assert outbox(counter.db, seq) == []  # a failed PIN is this counter's own business
    assert row(counter.db, Operator, id=op_id).version == 1

    seq = last_seq(counter.db)
    with counter.db.write() as s:
        s.get(Operator, op_id).pin_hash = operators.hash_pin("8765")
    assert changed(counter.db, seq, "operators", op.uid)["version"] == 2
    seq = last_seq(counter.db)
    with counter.db.write() as s:
        s.get(Operator, op_id).active = False
    assert changed(counter.db, seq, "operators", op.uid)["payload"]["active"] == 0


def test_point_items_and_categories_write_the_outbox(counter):
    before = last_seq(counter.db)
    with counter.db.write() as s:
        cat = PointCategory(scheme="A", name="环境整治")
        s.add(cat)
        s.flush()
        s.add(PointItem(category_id=cat.id, name="清理楼道", points=5))
    cat = row(counter.db, PointCategory, name="环境整治")
    item = row(counter.db, PointItem, name="清理楼道")
    assert changed(counter.db, before, "point_categories", cat.uid)
    assert changed(counter.db, before, "point_items", item.uid)["payload"]["category_id"] == cat.uid
    seq = last_seq(counter.db)
    with counter.db.write() as s:
        s.get(PointItem, item.id).points = 6
    assert changed(counter.db, seq, "point_items", item.uid)["payload"]["points"] == 6


def test_geography_writes_the_outbox(counter):
    before = last_seq(counter.db)
    with counter.db.write() as s:
        c = Compound(community_id=counter.info.community_id, name="新苑")
        s.add(c)
        s.flush()
        b = Building(compound_id=c.id, name="1栋")
        s.add(b)
        s.flush()
        u = Unit(building_id=b.id, name="1单元")
        s.add(u)
        s.flush()
        s.add(Household(unit_id=u.id, room="101"))
    for model, table in ((Compound, "compounds"), (Building, "buildings"), (Unit, "units"),
                         (Household, "households")):
        with counter.db.read() as s:
            uid = s.scalars(select(model.uid).order_by(model.id.desc())).first()
        assert changed(counter.db, before, table, uid)


def test_the_redemption_window_is_synced_local_settings_are_not(counter):
    seq = last_seq(counter.db)
    rules.set_window(counter.db, counter.admin, rules.Window(quarter_last_days=10))
    setting = row(counter.db, Setting, key=rules.WINDOW_SETTING)
    first = changed(counter.db, seq, "settings", setting.uid)
    assert first["payload"]["value"] == "quarter_last_days:10"
    rules.set_window(counter.db, counter.admin, rules.Window(quarter_last_days=5))
    assert changed(counter.db, seq, "settings", setting.uid)["version"] == 2

    seq = last_seq(counter.db)
    with counter.db.write() as s:
        s.add(Setting(key="last_sync_attempt", value="x"))  # this counter's own
    assert outbox(counter.db, seq) == []


def test_a_rolled_back_change_leaves_no_outbox_row(counter):
    mid = counter.member("王五")
    seq = last_seq(counter.db)
    with pytest.raises(RuntimeError), counter.db.write() as s:
        s.get(Member, mid).name = "王五五"
        s.add(ItemBarcode(code="6900000000017", item_id=counter.rice))
        s.flush()
        assert s.scalar(text("SELECT count(*) FROM outbox WHERE seq > :a"), {"a": seq}) == 2
        raise RuntimeError("power cut")
    assert outbox(counter.db, seq) == []
    assert row(counter.db, Member, id=mid).version == 1


def test_raw_sql_cannot_change_a_register_without_an_outbox_row(counter):
    """No call site can forget: not even one that bypasses the ORM."""
    mid = counter.member("孙六")
    uid = row(counter.db, Member, id=mid).uid
    counter.db.dispose()
    con = sqlite3.connect(counter.db.path, isolation_level=None)
    try:
        seq = con.execute("SELECT max(seq) FROM outbox").fetchone()[0]
        con.execute("UPDATE members SET phone = '13900002222' WHERE id = ?", (mid,))
        rows = con.execute("SELECT row_uid, version FROM outbox WHERE seq > ?", (seq,)).fetchall()
        assert rows == [(uid, 2)]
        con.execute("UPDATE members SET phone = '13900002222' WHERE id = ?", (mid,))
        assert con.execute("SELECT count(*) FROM outbox WHERE seq > ?", (seq,)).fetchone() == (1,)
        with pytest.raises(sqlite3.IntegrityError, match="uid"):
            con.execute("UPDATE members SET uid = '01900000-0000-7000-8000-000000000000'")
        with pytest.raises(sqlite3.IntegrityError, match="members.uid"):
            con.execute("INSERT INTO members (community_id, kind, category, name, card_code, "
                        "status, created_at, name_pinyin, name_initials) VALUES "
                        "(1, 'person', 'resident', 'x', 'XF01999999Q', 'active', '2026-01-01',"
                        " 'x', 'x')")
    finally:
        con.close()


def test_journals_make_no_outbox_rows_and_carry_no_sync_columns(counter):
    mid = counter.member("周七", points=20)
    seq = last_seq(counter.db)
    from counter_app import ledger
    ledger.adjust(counter.db, counter.admin, mid, 5, "测试")
    assert outbox(counter.db, seq) == []
    with counter.db.read() as s:
        for table in ("points_journal", "stock_journal"):
            cols = {r[1] for r in s.execute(text(f"PRAGMA table_info({table})"))}
            assert not {c for c in cols if "ack" in c or "sync" in c or "push" in c}, cols
        assert s.scalar(text("SELECT acked_seq FROM outbox_acked WHERE id = 1")) == 0
        sync_cols = {r[1] for r in s.execute(text("PRAGMA table_info(sync_state)"))}
    assert sync_cols == {"counter_id", "journal", "acked_seq", "acked_hash"}


def test_every_outbox_trigger_is_off_while_a_pull_applies_its_page(counter):
    """Migration 0011: each register's outbox triggers carry the pull guard, and 0011's
    downgrade text gives back exactly what 0003–0010 created."""
    from counter_app.db.outbox_ddl import (OUTBOX_TRIGGER_SUFFIXES, PULL_GUARD, guarded,
                                           unguarded)

    with counter.db.read() as s:
        triggers = s.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                                  )).all()
    outbox_triggers = [(n, q) for n, q in triggers if n.endswith(OUTBOX_TRIGGER_SUFFIXES)]
    assert len(outbox_triggers) >= 60
    counter.member("周九")
    for name, sql in outbox_triggers:
        assert f"WHEN {PULL_GUARD}" in sql, name
        assert PULL_GUARD not in unguarded(sql) and guarded(unguarded(sql)) == sql, name
    before = last_seq(counter.db)
    with counter.db.write() as s:
        s.execute(text("INSERT INTO sync_pulling (id) VALUES (1)"))
        s.execute(text("UPDATE members SET phone = '13800009999'"))
        s.execute(text("DELETE FROM sync_pulling"))
    assert last_seq(counter.db) == before
    with counter.db.write() as s:
        s.execute(text("UPDATE members SET phone = '13800008888'"))
    assert last_seq(counter.db) > before


def test_check_names_a_pull_guard_left_committed(counter):
    from counter_app.check import verify

    assert verify(counter.db).ok
    with counter.db.write() as s:
        s.execute(text("INSERT INTO sync_pulling (id) VALUES (1)"))
    report = verify(counter.db)
    assert [f.journal for f in report.faults] == ["sync_pulling"]
    assert "不会上传" in str(report.faults[0])
