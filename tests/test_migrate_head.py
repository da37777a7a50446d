"""Issue 7 performance: opening a database already at the newest schema skips Alembic
(its import and script scan cost ~0.2 s of each start). The head it compares with is read
from the revision files, so a new migration moves it with nobody editing a constant."""

from __future__ import annotations

import shutil
import subprocess
import sys

from alembic.script import ScriptDirectory

from counter_app.db import migrate

from fs_fixtures import cli_env


def test_head_and_revisions_read_from_the_files_equal_alembics():
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.script_head() == scripts.get_current_head() == migrate.HEAD
    assert migrate.KNOWN_REVISIONS == {s.revision for s in scripts.walk_revisions()}


def _revision_file(folder, rev: str, down: str) -> None:
    (folder / f"{rev}_x.py").write_text(
        f'"""x\n\nRevision ID: {rev}\nRevises: {down}\n"""\n'
        f"revision = '{rev}'\ndown_revision = '{down}'\nbranch_labels = None\n")


def test_a_new_migration_file_moves_the_head(tmp_path):
    versions = tmp_path / "versions"
    shutil.copytree(migrate.VERSIONS, versions)
    head = migrate.script_head(versions)
    _revision_file(versions, "9001", head)
    migrate.script_revisions.cache_clear()
    assert migrate.script_head(versions) == "9001"
    _revision_file(versions, "9002", head)  # two heads: no shortcut, Alembic decides
    migrate.script_revisions.cache_clear()
    assert migrate.script_head(versions) is None
    assert set(migrate.script_revisions(versions)) == migrate.KNOWN_REVISIONS | {"9001", "9002"}
    migrate.script_revisions.cache_clear()


OPEN_TWICE = """
import sys
from counter_app.db import open_database
open_database(sys.argv[1]).dispose()       # a new file: Alembic creates the schema
print("alembic" in sys.modules)
del sys.modules["alembic"]
for name in [m for m in sys.modules if m.startswith("alembic.")]:
    del sys.modules[name]
open_database(sys.argv[1]).dispose()       # at the head now: Alembic is not loaded
print("alembic" in sys.modules)
"""


def test_opening_a_database_at_the_head_does_not_load_alembic(tmp_path):
    proc = subprocess.run([sys.executable, "-c", OPEN_TWICE, str(tmp_path / "a.db")],
                          capture_output=True, text=True, env=cli_env())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "False"]
