"""The first-start dialog joins the district: the empty database is replaced by the one
the district's join builds at the same path (sync.join; here a join function that builds a
real counter file the way it does: a new file, refusing an existing one)."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from counter_app import counters, first_start, operators
from counter_app.db import open_database
from counter_app.db.models import Role
from counter_app.errors import DatabaseExists, InvalidInput
from counter_app.ui.shell.first_run_dialog import FirstRunDialog

calls = []
admins = []


def district_join(path: Path, url, counter_id, *, password, first_admin=None):
    """What sync.join does to the file: refuses an existing one, builds a complete counter."""
    calls.append((url, counter_id, password))
    admins.append(first_admin)
    if path.exists():
        raise DatabaseExists(path=path, hint="加入街道会新建数据库")
    db = open_database(path)
    counters.create_community(db, street="和平街道", community="幸福社区", code="XF",
                              counter_id=counter_id, counter_name="幸福社区积分超市")
    operators.add_operator(db, None, "管理员", Role.ADMIN, "1234")
    db.dispose()
    return counter_id


def test_the_dialog_joins_and_the_file_is_the_districts(qtbot, tmp_path):
    calls.clear()
    db = open_database(tmp_path / "new.db")
    dialog = FirstRunDialog(db, join=district_join)
    qtbot.addWidget(dialog)
    assert dialog.join_mode.isChecked() and not dialog.own_box.isEnabled()
    dialog.fields["district_url"].setText("http://district")
    dialog.submit()
    qtbot.waitUntil(lambda: "postgresql://" in dialog.message.text(), timeout=5000)
    assert calls == [] and (tmp_path / "new.db").exists()
    dialog.fields["district_url"].setText(" postgresql://district.example/hpq ")
    dialog.fields["join_counter_id"].setText("xf02")
    dialog.fields["join_password"].setText("s3cret")
    # a new community's first counter: its first administrator goes with the join
    dialog.fields["join_admin"].setText(" 和谐站长 ")
    dialog.fields["join_pin"].setText("2468")
    admins.clear()
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.submit()
    assert calls == [("postgresql://district.example/hpq", "XF02", "s3cret")]
    assert admins == [("和谐站长", "2468")]
    assert dialog.joined == "XF02"
    again = open_database(tmp_path / "new.db")
    assert counters.local_counter(again).id == "XF02"
    again.dispose()


def test_a_database_with_data_is_never_replaced(counter):
    calls.clear()
    with pytest.raises(InvalidInput, match="已有数据"):
        first_start.join_district(counter.db, "postgresql://d/hpq", "XF01", "pw",
                                  join=district_join)
    assert calls == [] and counters.local_counter(counter.db).id == "XF01"


def test_the_stand_alone_way_is_still_there(qtbot, tmp_path):
    db = open_database(tmp_path / "own.db")
    dialog = FirstRunDialog(db, join=district_join)
    qtbot.addWidget(dialog)
    dialog.standalone.setChecked(True)
    assert dialog.own_box.isEnabled() and not dialog.join_box.isEnabled()
    for key, value in dict(street="和平街道", community="安康社区", code="AK", counter_id="AK01",
                           counter_name="安康社区积分超市", admin_name="张站长", pin="2468",
                           pin2="2468").items():
        dialog.fields[key].setText(value)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.submit()
    assert dialog.info.id == "AK01" and dialog.joined is None
    db.dispose()
    assert QApplication.activeModalWidget() is None
