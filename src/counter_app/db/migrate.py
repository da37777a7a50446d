"""Bring a counter database to the newest schema with Alembic."""

from __future__ import annotations

from pathlib import Path


MIGRATIONS = Path(__file__).with_name("migrations")
# The newest revision. Opening an up-to-date database skips Alembic altogether (its
# import and script scan cost ~0.2 s of start-up); a test keeps this equal to the head.
HEAD = "0006"
KNOWN_REVISIONS = frozenset({"0001", "0002", "0003", "0006"})  # every revision this program can open or upgrade


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def current_revision(db) -> str | None:
    with db.engine.connect() as conn:
        exists = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").first()
        if not exists:
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def upgrade(db, revision: str = "head") -> None:
    if revision == "head" and current_revision(db) == HEAD:
        return
    from alembic import command

    _run(db, command.upgrade, revision)


def downgrade(db, revision: str) -> None:
    """Down to ``revision`` with the migrations' own downgrades (tests of older files)."""
    from alembic import command

    _run(db, command.downgrade, revision)


def _run(db, step, revision: str) -> None:
    cfg = alembic_config()
    with db.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        step(cfg, revision)
        conn.commit()
