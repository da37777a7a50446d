"""Bring a counter database to the newest schema with Alembic.

Opening a database that is already at the head skips Alembic altogether (its import and
script scan cost ~0.2 s of every start). The head is read from the revision files
themselves (``revision = '…'`` / ``down_revision = …`` lines), so a new migration file
moves it without anyone editing a constant here; tests keep it equal to Alembic's own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

MIGRATIONS = Path(__file__).with_name("migrations")
VERSIONS = MIGRATIONS / "versions"

_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(.*)$", re.M)
_QUOTED = re.compile(r"['\"]([^'\"]+)['\"]")


@lru_cache(maxsize=None)
def script_revisions(versions: Path = VERSIONS) -> dict[str, tuple[str, ...]]:
    """{revision: its down revisions} of every migration file in ``versions``
    (a text scan, no Alembic import)."""
    found: dict[str, tuple[str, ...]] = {}
    for path in sorted(versions.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(source), _DOWN.search(source)
        if rev is None or down is None:
            continue  # not a revision file (e.g. __init__.py)
        found[rev.group(1)] = tuple(_QUOTED.findall(down.group(1)))
    return found


def script_head(versions: Path = VERSIONS) -> str | None:
    """The one head of the revision files, or None when there are several (Alembic then
    decides what to do, and says what is wrong)."""
    revisions = script_revisions(versions)
    downs = {d for ds in revisions.values() for d in ds}
    heads = [r for r in revisions if r not in downs]
    return heads[0] if len(heads) == 1 else None


def __getattr__(name: str):
    # HEAD / KNOWN_REVISIONS as module constants, computed on first use.
    if name == "HEAD":
        return script_head()
    if name == "KNOWN_REVISIONS":  # every revision this program can open or upgrade
        return frozenset(script_revisions())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    if revision == "head":
        head = script_head()
        if head is not None and current_revision(db) == head:
            return
    from alembic import command

    cfg = alembic_config()
    with db.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.commit()
