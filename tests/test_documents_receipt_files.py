"""Receipt files live beside the database in use, not in the default data folder."""

from __future__ import annotations

import os

from counter_app.config import data_dir
from counter_app.documents import receipts_dir


def test_receipts_go_beside_the_database_given(tmp_path):
    db = tmp_path / "stick" / "counter.db"
    assert receipts_dir(db) == tmp_path / "stick" / "receipts"
    assert data_dir() not in receipts_dir(db).parents


def test_a_relative_or_home_database_path_is_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert receipts_dir("counter.db") == tmp_path / "receipts"
    monkeypatch.setenv("HOME", str(tmp_path))
    assert receipts_dir("~/x/counter.db") == tmp_path / "x" / "receipts"
    assert os.path.isabs(receipts_dir("counter.db"))
