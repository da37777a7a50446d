import sqlite3
import subprocess
import sys
from datetime import date


from counter_app import check, members
from counter_app.cli import main
from counter_app.db import open_database
from counter_app.demo import build_demo
from counter_app.demo.data import POINT_SCHEMES

AS_OF = date(2026, 11, 20)


def dump(path, table, order):
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
    finally:
        con.close()


def test_demo_is_deterministic_and_consistent(tmp_path):
    a = build_demo(tmp_path / "a.db", members=300, seed=7, as_of=AS_OF)
    b = build_demo(tmp_path / "b.db", members=300, seed=7, as_of=AS_OF)
    c = build_demo(tmp_path / "c.db", members=300, seed=8, as_of=AS_OF)
    for table, order in (("members", "id"), ("points_journal", "counter_id, seq"),
                         ("stock_journal", "counter_id, seq"), ("redemptions", "receipt_no")):
        assert dump(a.path, table, order) == dump(b.path, table, order)
    assert dump(a.path, "members", "id") != dump(c.path, "members", "id")
    assert a.points_entries > 300 and a.redemptions > 30
    assert check.verify(open_database(a.path)).ok


def test_demo_community_is_realistic(tmp_path):
    s = build_demo(tmp_path / "d.db", members=1200, seed=3, scheme="B", as_of=AS_OF)
    con = sqlite3.connect(s.path)
    cats = dict(con.execute("SELECT category, COUNT(*) FROM members GROUP BY category"))
    assert set(cats) == {"resident", "party_in_service", "party_no_post", "organisation",
                         "merchant"}
    assert cats["resident"] > cats["party_in_service"] > 0
    assert con.execute("SELECT COUNT(*) FROM members WHERE category='party_in_service' "
                       "AND work_unit IS NULL").fetchone()[0] == 0
    n_cat, n_items = con.execute("SELECT COUNT(DISTINCT category_id), COUNT(*) "
                                 "FROM point_items").fetchone()
    assert (n_cat, n_items) == (7, 35)
    values = {v for (v,) in con.execute("SELECT DISTINCT points FROM point_items")}
    assert values == {5, 10, 20}
    kinds = {k for (k,) in con.execute("SELECT DISTINCT kind FROM exchange_items")}
    assert kinds == {"goods", "service", "merchant_offer"}
    first, last = con.execute("SELECT MIN(created_at), MAX(created_at) FROM points_journal").fetchone()
    assert first[:7] <= "2026-05-22" and last[:10] <= "2026-11-20"
    # names follow surname frequency: 王/李/张 are common, every name has initials
    top = con.execute("SELECT substr(name,1,1) s, COUNT(*) c FROM members WHERE kind='person' "
                      "GROUP BY s ORDER BY c DESC LIMIT 5").fetchall()
    assert {"王", "李", "张"} & {t[0] for t in top}
    assert con.execute("SELECT COUNT(*) FROM members WHERE name_initials = ''").fetchone()[0] == 0
    con.close()


def test_scheme_a_has_21_items(tmp_path):
    assert sum(len(items) for _, items in POINT_SCHEMES["A"]) == 21
    s = build_demo(tmp_path / "e.db", members=50, scheme="A", as_of=AS_OF)
    con = sqlite3.connect(s.path)
    assert con.execute("SELECT COUNT(*), COUNT(DISTINCT category_id) FROM point_items"
                       ).fetchone() == (21, 8)
    con.close()


def test_cli_demo_check_backup_restore(tmp_path, capsys):
    db = tmp_path / "cli.db"
    assert main(["--db", str(db), "demo", "--members", "200", "--as-of", "2026-11-20"]) == 0
    assert main(["--db", str(db), "demo", "--members", "200"]) == 2  # refuses to overwrite
    assert main(["--db", str(db), "demo", "--if-missing"]) == 0
    assert main(["--db", str(db), "check"]) == 0
    assert "账本检查通过：积分记录" in capsys.readouterr().out
    out = tmp_path / "backup.db"
    assert main(["--db", str(db), "backup", "--out", str(out)]) == 0
    assert main(["--db", str(db), "backup", "--out", str(out)]) == 2  # never overwrites
    restored = tmp_path / "restored.db"
    assert main(["--db", str(restored), "restore", str(out)]) == 0
    assert main(["--db", str(restored), "check"]) == 0
    assert dump(restored, "points_journal", "seq") == dump(db, "points_journal", "seq")
    assert main(["--db", str(restored), "restore", str(out)]) == 2  # needs --force
    capsys.readouterr()
    with open_database(db).read() as s:
        someone = members.get_member(s, 150)
    assert main(["--db", str(db), "search", someone.card_code]) == 0
    assert someone.name in capsys.readouterr().out


def test_cli_check_fails_and_names_tampered_entry(tmp_path):
    db = tmp_path / "t.db"
    build_demo(db, members=100, as_of=AS_OF)
    con = sqlite3.connect(db, isolation_level=None)
    victim = con.execute("SELECT id FROM points_journal WHERE seq = 17").fetchone()[0]
    con.execute("DROP TRIGGER points_journal_no_update")
    con.execute("UPDATE points_journal SET note = 'changed' WHERE id = ?", (victim,))
    con.close()
    proc = subprocess.run([sys.executable, "-m", "counter_app", "--db", str(db), "check"],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert f"积分账本 柜台 XF01 第 17 条（{victim}）：内容被改动" in proc.stdout


def test_bad_demo_arguments_get_a_message(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "x.db"), "demo", "--members", "0"]) == 2
    assert "会员人数须在 1 到" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()


def test_check_and_restore_refuse_foreign_or_missing_files(tmp_path, capsys):
    foreign = tmp_path / "foreign.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE notes (t TEXT)")
    con.commit()
    con.close()
    before = foreign.read_bytes()
    assert main(["--db", str(foreign), "check"]) == 2
    assert "不是积分超市柜台的数据库" in capsys.readouterr().err
    assert foreign.read_bytes() == before  # not migrated, not switched to WAL
    assert main(["--db", str(tmp_path / "x.db"), "restore", str(foreign)]) == 2
    assert not (tmp_path / "x.db").exists()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    assert main(["--db", str(junk), "check"]) == 2
    assert "不是可用的数据库文件" in capsys.readouterr().err
    missing = tmp_path / "missing.db"
    assert main(["--db", str(missing), "search", "zs"]) == 2
    assert main(["--db", str(missing), "print", "labels", "--out", str(tmp_path / "l.pdf")]) == 2
    assert not missing.exists()
