"""Issue 7 B12 (core helper for the GUI): which database may be created without asking."""

from __future__ import annotations

from counter_app import config


def test_default_database_is_created_without_asking(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("COUNTER_APP_DB", raising=False)
    default = config.default_db_path()
    assert config.is_default_db(default) and config.needs_creation(default)
    assert not config.ask_before_creating(default)


def test_any_other_missing_database_needs_a_question(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    typo = tmp_path / "no" / "such" / "counter.db"
    monkeypatch.setenv("COUNTER_APP_DB", str(typo))
    assert config.default_db_path() == typo  # the env var chooses the file …
    assert not config.is_default_db(typo)  # … but it is not the app's own default
    assert config.ask_before_creating(typo)
    typo.parent.mkdir(parents=True)
    typo.write_bytes(b"")
    assert not config.needs_creation(typo) and not config.ask_before_creating(typo)


def test_relative_and_home_paths_compare_by_location(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert config.data_dir() / "counter.db" == tmp_path / "data" / "counter_app" / "counter.db"
    assert config.is_default_db("data/counter_app/counter.db")
    assert config.is_default_db("~/data/../data/counter_app/counter.db")
    assert not config.is_default_db("data/counter_app/other.db")
